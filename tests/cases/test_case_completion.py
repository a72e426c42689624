"""A bundle's cases are decided in parallel, each in its own department; the filing becomes ready for
issue when the last is decided — and not while a deficiency (容缺) is open."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases import services as intake
from apps.cases.codes import CaseState, FilingState, MaterialStatus
from apps.cases.models import Case, Filing, Outcome
from apps.cases.review import services
from apps.catalogue import services as catalogue
from apps.catalogue.codes import Necessity
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, accept_filing, at_window, make_case, make_filing
from tests.factories.catalogue import BundleFactory, MaterialFactory, checklist, make_item, requirement

pytestmark = pytest.mark.django_db
APPROVAL = {"holder": "示范餐饮有限公司", "scope": "餐饮服务", "valid_from": None, "valid_until": None}


def bundle_filing(n=3):
    centre = ServiceCentreFactory()
    departments = [DepartmentFactory(centre=centre) for _ in range(n)]
    items = [make_item(department=d) for d in departments]
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    filing = accept_filing(make_filing(bundle=bundle, applicant=COMPANY))
    approvers = [make_staff(Role.APPROVER, department=d) for d in departments]
    return filing, list(filing.cases.order_by("pk")), approvers


def approve(case, approver):
    services.claim(case_id=case.pk, actor=approver)
    services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)


def test_the_filing_is_ready_for_issue_when_its_last_case_is_decided():
    filing, cases, approvers = bundle_filing(3)
    assert [c.department_id for c in cases] == [a.memberships.get().department_id for a in approvers]
    approve(cases[0], approvers[0])
    services.claim(case_id=cases[1].pk, actor=approvers[1])
    services.decide(
        case_id=cases[1].pk, actor=approvers[1], outcome=Outcome.DENY, reasons="不符合", legal_basis="某条"
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED  # one case still open
    approve(cases[2], approvers[2])
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE
    [ready] = [e for e in history_of(filing) if e.transition == "complete_review"]
    assert ready.actor == approvers[2]


@time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False)
def test_an_open_deficiency_keeps_a_decided_filing_from_issue_until_it_is_cleared():
    later = MaterialFactory(name="卫生检测报告")
    department = DepartmentFactory()
    item = make_item(
        department=department,
        promised_limit_days=10,
        children=checklist(requirement(later, Necessity.DEFERRABLE)),
    )
    filing = make_filing(items=[item])
    intake.accept_with_deficiency(
        **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 10, 9)
    )
    approver = make_staff(Role.APPROVER, department=department)
    approve(filing.cases.get(), approver)
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED_WITH_DEFICIENCY  # decided, but blocked from issue
    intake.clear_deficiency(
        **at_window(filing), filing_id=filing.pk, material_id=later.pk, status=MaterialStatus.ORIGINAL
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_departments_deciding_the_last_two_cases_at_once_complete_the_filing_once():
    filing, cases, approvers = bundle_filing(2)
    for case, approver in zip(cases, approvers, strict=True):
        services.claim(case_id=case.pk, actor=approver)
    barrier = threading.Barrier(2)
    errors = []

    def decide(case, approver):
        barrier.wait()
        try:
            services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=pair) for pair in zip(cases, approvers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Filing.objects.get(pk=filing.pk).state == FilingState.READY_FOR_ISSUE
    assert history_of(filing).filter(transition="complete_review").count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["claim", "decide"])
def test_two_approvers_acting_on_one_case_at_once_get_one_success_and_one_conflict(action):
    department = DepartmentFactory()
    case = make_case(department=department)
    first, second = (make_staff(Role.APPROVER, department=department) for _ in range(2))
    if action == "decide":
        services.claim(case_id=case.pk, actor=first)
        # The same approver in two browser tabs, approving in one and denying in the other.
        actors = [first, first]
    else:
        actors = [first, second]
    barrier = threading.Barrier(2)
    results = []

    def attempt(actor, outcome):
        barrier.wait()
        try:
            if action == "claim":
                results.append(services.claim(case_id=case.pk, actor=actor))
            else:
                kwargs = (
                    APPROVAL if outcome == Outcome.APPROVE else {"reasons": "不符合", "legal_basis": "某条"}
                )
                results.append(services.decide(case_id=case.pk, actor=actor, outcome=outcome, **kwargs))
        except Conflict as conflict:
            results.append(conflict)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(actor, outcome))
        for actor, outcome in zip(actors, [Outcome.APPROVE, Outcome.DENY], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["Case", "Conflict"]
    case = Case.objects.get(pk=case.pk)
    expected = {CaseState.IN_REVIEW} if action == "claim" else {CaseState.APPROVED, CaseState.DENIED}
    assert case.state in expected
    assert history_of(case).filter(transition__in=["claim", "approve", "deny"]).count() == (
        1 if action == "claim" else 2
    )
