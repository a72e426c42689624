"""The window's decisions: accept, accept with a deficiency, return for completion, refuse, withdraw."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.audit.selectors import history_of
from apps.cases import services
from apps.cases.codes import CaseState, FilingState, MaterialStatus
from apps.cases.models import Case, Filing
from apps.catalogue import services as catalogue
from apps.catalogue.codes import MaterialForm, Necessity
from apps.catalogue.services import ItemChildren
from apps.core.errors import Conflict
from apps.notifications.models import Outbox
from apps.worktime.models import Clock
from tests.cases.online_hall import submittable
from tests.factories import DepartmentFactory, ServiceCentreFactory, UserFactory, make_staff
from tests.factories.cases import (
    COMPANY,
    at_window,
    comprehensive_window,
    make_filing,
    online_filing,
    window_clerk,
)
from tests.factories.catalogue import BundleFactory, MaterialFactory, make_item

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 10, 0)  # a Thursday before Mid-autumn and National Day


def requirement(material, necessity=Necessity.REQUIRED):
    return {
        "material": material,
        "original_count": 1,
        "copy_count": 0,
        "necessity": necessity,
        "form": MaterialForm.PAPER,
    }


def hand_in_everything(filing):
    for entry in filing.checklist.all():
        services.record_material(
            **at_window(filing),
            filing_id=filing.pk,
            material_id=entry.material_id,
            status=MaterialStatus.ORIGINAL,
        )


@time_machine.travel(TODAY, tick=False)
def test_accepting_opens_a_case_with_its_clock_and_logs_who_and_where():
    filing = make_filing(promised_limit_days=5)
    hand_in_everything(filing)
    clerk = filing.created_by
    services.accept(filing_id=filing.pk, actor=clerk, window=filing.window, client_ip="10.1.2.3")
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED
    assert filing.accepted_on == dt.date(2026, 9, 24)
    [case] = filing.cases.select_related("clock")
    assert case.state == CaseState.QUEUED
    assert case.department == case.item.department
    assert case.clock.due_on == dt.date(2026, 10, 9)  # 9/25 and National Day do not count
    log = TransitionLog.objects.get(transition="accept")
    assert (log.actor, log.client_ip, log.context["window"]) == (clerk, "10.1.2.3", filing.window.number)


def test_accepting_with_materials_missing_is_refused_and_lists_them_all():
    a, b = MaterialFactory(name="身份证"), MaterialFactory(name="租赁合同")
    filing = make_filing(
        children=ItemChildren(materials=[requirement(a), requirement(b)], steps=[{"name": "受理"}])
    )
    with pytest.raises(ValidationError) as exc:
        services.accept(**at_window(filing), filing_id=filing.pk)
    assert exc.value.message_dict["checklist"] == ["身份证尚未提交。", "租赁合同尚未提交。"]
    assert not Case.objects.exists()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT


@time_machine.travel(TODAY, tick=False)
def test_a_bundle_becomes_one_case_per_item_in_each_department_with_one_number():
    centre = ServiceCentreFactory()
    departments = [DepartmentFactory(centre=centre) for _ in range(3)]
    items = [
        make_item(department=d, legal_limit_days=days, promised_limit_days=min(days, 10))
        for d, days in zip(departments, (20, 3, 30), strict=True)
    ]
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    filing = make_filing(bundle=bundle, applicant=COMPANY)
    hand_in_everything(filing)
    services.accept(**at_window(filing), filing_id=filing.pk)
    cases = list(Case.objects.filter(filing=filing).select_related("clock").order_by("pk"))
    assert [c.department for c in cases] == departments
    # The bundle's limit, but never beyond an item's legal limit (3 days for the second).
    assert [c.clock.limit_days for c in cases] == [10, 3, 10]
    assert Filing.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_accept_with_deficiency_only_for_materials_that_may_follow_later():
    later, needed = MaterialFactory(name="卫生检测报告"), MaterialFactory(name="身份证")
    filing = make_filing(
        promised_limit_days=10,
        children=ItemChildren(
            materials=[requirement(later, Necessity.DEFERRABLE), requirement(needed)],
            steps=[{"name": "受理"}],
        ),
    )
    with pytest.raises(ValidationError) as exc:
        services.accept_with_deficiency(
            **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 10, 9)
        )
    assert "身份证" in exc.value.message_dict["checklist"][0]
    services.record_material(
        **at_window(filing), filing_id=filing.pk, material_id=needed.pk, status=MaterialStatus.COPY
    )
    with pytest.raises(ValidationError) as exc:
        services.accept_with_deficiency(**at_window(filing), filing_id=filing.pk, commitment_date=None)
    assert "commitment_date" in exc.value.message_dict
    # Past the promised date: 10 working days from 9/24 is 10/15 (National Day off, Saturday 10/10 on).
    with pytest.raises(ValidationError) as exc:
        services.accept_with_deficiency(
            **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 10, 16)
        )
    assert "2026-10-15" in exc.value.message_dict["commitment_date"][0]
    services.accept_with_deficiency(
        **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 10, 15)
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED_WITH_DEFICIENCY
    assert filing.has_open_deficiency
    assert filing.checklist.get(material=later).status == MaterialStatus.DEFICIENT
    assert filing.cases.count() == 1


def test_return_for_completion_lists_everything_at_once():
    a, b = MaterialFactory(name="身份证"), MaterialFactory(name="租赁合同")
    filing = make_filing(
        children=ItemChildren(materials=[requirement(a), requirement(b)], steps=[{"name": "受理"}])
    )
    with pytest.raises(ValidationError) as exc:
        services.return_for_completion(
            **at_window(filing), filing_id=filing.pk, corrections=[{"material": a.pk, "reason": "缺"}]
        )
    assert "租赁合同" in exc.value.message_dict["corrections"][0]
    services.return_for_completion(
        **at_window(filing),
        filing_id=filing.pk,
        corrections=[
            {"material": a.pk, "reason": "未提供原件"},
            {"material": b.pk, "reason": "合同已过期"},
            {"material": None, "reason": "申请表未签字"},
        ],
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.RETURNED
    assert [c["reason"] for c in filing.completion_list] == ["未提供原件", "合同已过期", "申请表未签字"]
    assert not Case.objects.exists()
    # The applicant hears of it (an online applicant would otherwise only find out by looking).
    told = Outbox.objects.get(event="returned_for_completion")
    assert (
        told.context["materials"] == "身份证、租赁合同、申请表未签字"
        and told.subject_ref == f"cases.filing:{filing.pk}"
    )


def test_a_refusal_needs_reasons_and_legal_basis():
    filing = make_filing()
    with pytest.raises(ValidationError) as exc:
        services.refuse(**at_window(filing), filing_id=filing.pk, reasons="", legal_basis="")
    assert set(exc.value.message_dict) == {"reasons", "legal_basis"}
    services.refuse(
        **at_window(filing),
        filing_id=filing.pk,
        reasons="不属于本机关职权范围",
        legal_basis="《行政许可法》第三十二条",
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.REJECTED
    assert Outbox.objects.get(event="refused").context["reasons"] == "不属于本机关职权范围"


def test_deciding_twice_is_a_conflict_and_changes_nothing():
    filing = make_filing()
    hand_in_everything(filing)
    services.accept(**at_window(filing), filing_id=filing.pk)
    with pytest.raises(Conflict):
        services.accept(**at_window(filing), filing_id=filing.pk)
    with pytest.raises(Conflict):
        services.refuse(**at_window(filing), filing_id=filing.pk, reasons="x", legal_basis="y")
    with pytest.raises(Conflict):
        services.record_material(
            **at_window(filing),
            filing_id=filing.pk,
            material_id=filing.checklist.first().material_id,
            status=MaterialStatus.MISSING,
        )
    assert Case.objects.count() == 1
    assert TransitionLog.objects.filter(transition="accept").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_withdrawing_an_accepted_filing_withdraws_its_cases_and_stops_their_clocks():
    filing = make_filing()
    hand_in_everything(filing)
    services.accept(**at_window(filing), filing_id=filing.pk)
    with pytest.raises(ValidationError):
        services.withdraw(**at_window(filing), filing_id=filing.pk, reason="")
    services.withdraw(**at_window(filing), filing_id=filing.pk, reason="申请人书面申请撤回")
    case = Case.objects.select_related("clock").get(filing=filing)
    assert case.state == CaseState.WITHDRAWN
    assert case.clock.stopped_on == dt.date(2026, 9, 24)
    assert not Clock.objects.filter(stopped_on__isnull=True).exists()


def test_an_online_filing_is_submitted_by_its_own_citizen_only():
    item = make_item()
    citizen = make_staff(Role.CITIZEN)
    filing = online_filing(citizen=citizen, centre=item.lineage.centre, items=[item])
    with pytest.raises(PermissionDenied):
        services.submit_online(filing_id=filing.pk, actor=UserFactory())
    submittable(filing, citizen)
    services.submit_online(filing_id=filing.pk, actor=citizen)
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED and filing.submitted_at is not None


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_clerks_deciding_at_once_get_one_success_and_one_conflict():
    filing = make_filing()
    hand_in_everything(filing)
    barrier = threading.Barrier(2)
    results = []

    def attempt(action):
        barrier.wait()
        try:
            results.append(action())
        except Conflict as conflict:
            results.append(conflict)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=attempt, args=(lambda: services.accept(**at_window(filing), filing_id=filing.pk),)
        ),
        threading.Thread(
            target=attempt,
            args=(
                lambda: services.refuse(
                    **at_window(filing), filing_id=filing.pk, reasons="理由", legal_basis="依据"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Filing"]
    state = Filing.objects.get(pk=filing.pk).state
    assert Case.objects.filter(filing=filing).count() == (1 if state == FilingState.ACCEPTED else 0)
    assert history_of(filing).filter(transition__in=["accept", "refuse"]).count() == 1  # one decision


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_clerks_taking_one_online_filing_at_once_get_one_success_and_one_conflict():
    item = make_item()
    centre = item.lineage.centre
    citizen = make_staff(Role.CITIZEN)
    filing = submittable(online_filing(citizen=citizen, centre=centre, items=[item]), citizen)
    services.submit_online(filing_id=filing.pk, actor=citizen)
    windows = [comprehensive_window(centre) for _ in range(2)]
    clerks = [(window_clerk(window), window) for window in windows]
    barrier = threading.Barrier(2)
    results = []

    def take(clerk, window):
        barrier.wait()
        try:
            results.append(services.start_pre_review(filing_id=filing.pk, actor=clerk, window=window))
        except Conflict as conflict:
            results.append(conflict)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=pair) for pair in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Filing"]
    [winner] = [r for r in results if isinstance(r, Filing)]
    filing.refresh_from_db()
    assert (filing.state, filing.pre_reviewer) == (FilingState.PRE_REVIEW, winner.pre_reviewer)
    assert history_of(filing).filter(transition="start_pre_review").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_deficiency_is_cleared_when_the_last_missing_material_arrives():
    later = MaterialFactory(name="卫生检测报告")
    filing = make_filing(
        promised_limit_days=10,
        children=ItemChildren(materials=[requirement(later, Necessity.DEFERRABLE)], steps=[{"name": "受理"}]),
    )
    with pytest.raises(Conflict):
        services.clear_deficiency(
            **at_window(filing),
            filing_id=filing.pk,
            material_id=later.pk,
            status=MaterialStatus.ORIGINAL,
        )
    services.accept_with_deficiency(
        **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 10, 9)
    )
    with pytest.raises(ValidationError):
        services.clear_deficiency(
            **at_window(filing), filing_id=filing.pk, material_id=later.pk, status=MaterialStatus.MISSING
        )
    services.clear_deficiency(
        **at_window(filing), filing_id=filing.pk, material_id=later.pk, status=MaterialStatus.ORIGINAL
    )
    filing.refresh_from_db()
    assert filing.deficiency_cleared_at is not None
    assert not filing.has_open_deficiency
    assert TransitionLog.objects.filter(transition="clear_deficiency").count() == 1
