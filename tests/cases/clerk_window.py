"""A hall for the window clerk's tests (desk, API and browser): a published bundle whose merged
checklist has one material of each kind "all originals received" must tell apart, a clerk at a
comprehensive window, and the approvers of the bundle's two departments."""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.roles import Role
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.models import Case, CorrectionRequest, Outcome
from apps.cases.review import services as review
from apps.catalogue import services as catalogue
from apps.catalogue.codes import Necessity
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.catalogue import (
    BundleFactory,
    LicenceTypeFactory,
    MaterialFactory,
    checklist,
    make_item,
    requirement,
)

# A company filing through its agent (代理人): the authorisation letter is then brought too.
COMPANY_WITH_AGENT = ApplicantData(
    kind=ApplicantKind.ORGANISATION,
    name="示范餐饮有限公司",
    id_number="91350100M000100Y43",
    legal_representative="李四",
    agent_name="张三",
    agent_id_number="11010519491231002X",
    agent_phone="13812343210",
)
APPROVAL = {"holder": "示范餐饮有限公司", "scope": "餐饮服务", "valid_from": None, "valid_until": None}


@dataclass
class Hall:
    centre: object
    window: object
    clerk: object
    bundle: object
    approvers: list  # one per department, in the bundle's order
    # The materials of the merged checklist, by what they are.
    required: object  # required, one original: "all originals received" marks it
    letter: object  # optional authorisation letter (only with an agent)
    copy_only: object  # required, a copy only
    produced: object  # the business licence the bundle's first item produces
    later: object  # may follow later (容缺后补), one original


def restaurant_hall(*, clerk_name: str = "李受理") -> Hall:
    """我要开饭店: business registration (produces the business licence) and the food licence (asks for
    it), each in its own department of one centre."""
    centre = ServiceCentreFactory()
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window, full_name=clerk_name)
    licence = LicenceTypeFactory(name="营业执照")
    required = MaterialFactory(name="法定代表人身份证明")
    letter = MaterialFactory(name="授权委托书")
    copy_only = MaterialFactory(name="公司章程")
    produced = MaterialFactory(name="营业执照", licence_type=licence)
    later = MaterialFactory(name="卫生检测报告")
    departments = [DepartmentFactory(centre=centre, name=n) for n in ("市场监管局登记科", "市场监管局食品科")]
    registration = make_item(
        name="企业设立登记",
        department=departments[0],
        result_licence_type=licence,
        children=checklist(
            requirement(required),
            requirement(letter, Necessity.OPTIONAL),
            requirement(copy_only, originals=0, copies=1),
        ),
    )
    food = make_item(
        name="食品经营许可",
        department=departments[1],
        children=checklist(
            requirement(required), requirement(produced), requirement(later, Necessity.DEFERRABLE)
        ),
    )
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(
        values={}, lineage_ids=[registration.lineage_id, food.lineage_id], bundle_id=bundle.pk
    )
    catalogue.publish_bundle(bundle_id=bundle.pk)
    approvers = [make_staff(Role.APPROVER, department=d, full_name="王审批") for d in departments]
    return Hall(centre, window, clerk, bundle, approvers, required, letter, copy_only, produced, later)


def approver_of(hall: Hall, case: Case):
    return next(a for a in hall.approvers if a.memberships.filter(department=case.department_id).exists())


def request_correction(hall: Hall, case: Case, what: str = "章程缺少股东签字") -> CorrectionRequest:
    """The case's approver claims it and asks for a correction (补正): the case is suspended."""
    approver = approver_of(hall, case)
    review.claim(case_id=case.pk, actor=approver)
    return review.request_correction(
        case_id=case.pk, actor=approver, items=[{"material": hall.copy_only.pk, "what": what}]
    )


def approve(hall: Hall, case: Case) -> Case:
    approver = approver_of(hall, case)
    review.claim(case_id=case.pk, actor=approver)
    return review.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
