"""Certificate desk factories: issuing rules, seals, filings decided and ready for issue, issues."""

from __future__ import annotations

import functools

from django.core.files.base import ContentFile

from apps.accounts.roles import Role
from apps.cases.models import Outcome
from apps.cases.review import services as review
from apps.certificates import services
from apps.certificates.models import IssuingRule, Layout, Seal
from apps.certificates.seal_images import draw_seal
from tests.factories.accounts import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, accept_filing, make_filing
from tests.factories.catalogue import LicenceTypeFactory, default_children, make_item


@functools.cache
def seal_png() -> bytes:
    return draw_seal("测试市测试局")


def issuing_rule(licence_type=None, **overrides) -> IssuingRule:
    values = {"number_format": "JY{region}{year}{serial:06d}", "validity_years": 5, **overrides}
    return IssuingRule.objects.create(licence_type=licence_type or LicenceTypeFactory(), **values)


def make_seal(department, *, custodian=None, **overrides) -> Seal:
    custodian = custodian or make_staff(Role.SEAL_KEEPER, centre=department.centre)
    seal = Seal(
        department=department, name=f"{department.name}行政审批专用章", custodian=custodian, **overrides
    )
    seal.image.save("seal.png", ContentFile(seal_png()), save=False)
    seal.save()
    return seal


def certificate_item(department, *, rule=None, **item_kwargs):
    """A published item whose result is a certificate type with an issuing rule."""
    rule = rule or issuing_rule(layout=item_kwargs.pop("layout", Layout.PORTRAIT))
    item_kwargs.setdefault("children", default_children())
    return make_item(department=department, result_licence_type=rule.licence_type, **item_kwargs)


def decide_all(filing, *, outcome=Outcome.APPROVE, outcomes=None, **content):
    """Decide every case of an accepted filing through the real review services, each by an approver
    of its department. ``outcomes`` maps item names to outcomes where they differ."""
    for case in filing.cases.select_related("item", "department"):
        approver = make_staff(Role.APPROVER, department=case.department)
        review.claim(case_id=case.pk, actor=approver)
        chosen = (outcomes or {}).get(case.item.name, outcome)
        if chosen == Outcome.APPROVE:
            values = {"holder": filing.applicant_name, "scope": "预包装食品销售；热食类食品制售", **content}
        else:
            values = {
                "reasons": "经营场所与申请材料不符。",
                "legal_basis": "《中华人民共和国行政许可法》第三十八条",
            }
        review.decide(case_id=case.pk, actor=approver, outcome=chosen, **values)
    filing.refresh_from_db()
    return filing


def ready_filing(*, departments=1, applicant=PERSON, centre=None, outcome=Outcome.APPROVE, seals=True, **kw):
    """A filing with one certificate item per department, every case decided: ready for issue.
    Each department gets a seal in use (unless ``seals=False``)."""
    centre = centre or ServiceCentreFactory()
    items = []
    for _ in range(departments):
        department = DepartmentFactory(centre=centre)
        if seals:
            make_seal(department)
        items.append(certificate_item(department, postal_delivery_supported=True))
    filing = accept_filing(make_filing(items=items, applicant=applicant, centre=centre))
    return decide_all(filing, outcome=outcome, **kw)


def keeper_for(filing):
    """A seal keeper of the filing's centre (not the custodian: a second authorised person)."""
    return make_staff(Role.SEAL_KEEPER, centre=filing.centre)


def issue(filing, *, issuer=None, keeper=None):
    """Ask and confirm through the real services; the issued documents."""
    issuer = issuer or make_staff(Role.ISSUER, centre=filing.centre)
    keeper = keeper or keeper_for(filing)
    request = services.request_issue(filing_id=filing.pk, actor=issuer)
    documents = services.confirm_issue(request_id=request.pk, actor=keeper)
    filing.refresh_from_db()
    return documents
