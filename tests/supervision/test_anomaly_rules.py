"""The 电子监察 rules on planted data: for each rule, what must be flagged and a near miss that must
not. The work is done through the real services wherever they can do it; what they refuse to do (an
extension nobody approved, a document issued without its seal use, many transitions in one second) is
planted as the rows a bypass would leave. Each test runs the whole scan, as the beat job does."""

import datetime as dt

import pytest
import time_machine
from django.db.models import F

from apps.accounts.roles import Role
from apps.audit.services import record_step, record_transition
from apps.cases import services as window_services
from apps.cases.codes import MaterialStatus
from apps.cases.models import Filing, Outcome
from apps.cases.review import services
from apps.catalogue.services import ItemChildren
from apps.certificates.models import DocumentKind, IssuedDocument, Seal
from apps.supervision.anomalies import scan
from apps.supervision.models import Anomaly, AnomalyRule, RefreshMark
from apps.worktime.codes import SpecialProcedure
from apps.worktime.models import Clock, Extension
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import at_window, make_case, make_filing
from tests.factories.catalogue import MaterialFactory, make_item, requirement
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.datetime(2026, 9, 24, 2, 0, tzinfo=dt.UTC)  # Thursday 9/24, 10:00 in Shanghai
APPROVAL = {"holder": "张三", "scope": "预包装食品销售"}


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def approver(department):
    return make_staff(Role.APPROVER, department=department, full_name="李审批")


@pytest.fixture
def signer(department):
    return make_staff(Role.DECISION_MAKER, department=department, full_name="刘决定")


def flagged(rule) -> dict[int, Anomaly]:
    return {a.subject_id: a for a in Anomaly.objects.filter(rule=rule)}


def claimed_case(department, approver, **item):
    case = make_case(department=department, promised_limit_days=5, **item)
    services.claim(case_id=case.pk, actor=approver)
    return case


# --- decided after the due date ---------------------------------------------------------------------


def test_decided_after_the_due_date(department, approver):
    with time_machine.travel(TODAY, tick=False):
        on_time, late = claimed_case(department, approver), claimed_case(department, approver)
    # Five working days from 9/24: 9/28, 9/29, 9/30, 10/8, 10/9 (Mid-autumn and National Day off).
    assert late.clock.due_on == on_time.clock.due_on == D(2026, 10, 9)
    with time_machine.travel(dt.datetime(2026, 10, 9, 8, 0, tzinfo=dt.UTC), tick=False):  # 16:00 on the day
        services.decide(
            case_id=on_time.pk, actor=approver, outcome=Outcome.APPROVE, opinion="同意", **APPROVAL
        )
    with time_machine.travel(dt.datetime(2026, 10, 10, 1, 0, tzinfo=dt.UTC), tick=False):  # 调休 Saturday
        services.decide(case_id=late.pk, actor=approver, outcome=Outcome.APPROVE, opinion="同意", **APPROVAL)
    counts = scan()
    found = flagged(AnomalyRule.DECIDED_LATE)
    assert set(found) == {late.pk} and counts["decided_late"] == 1
    finding = found[late.pk]
    assert (finding.day, finding.department_id, finding.filing_id) == (
        D(2026, 10, 10),
        department.pk,
        late.filing_id,
    )
    assert finding.centre_id == department.centre_id
    assert finding.detail == {"due_on": "2026-10-09", "decided_on": "2026-10-10"}


# --- suspended longer than the special procedure allows ------------------------------------------------


@pytest.mark.parametrize("limit", [5])
def test_special_procedures_that_overran(department, approver, settings, limit):
    settings.HALL_SPECIAL_PROCEDURE_MAX_DAYS = limit
    item = {"special_procedures": [SpecialProcedure.EXPERT_REVIEW]}
    with time_machine.travel(TODAY, tick=False):
        cases = {name: claimed_case(department, approver, **item) for name in "ABCDE"}
        for name, planned in (("A", D(2026, 10, 9)), ("B", D(2026, 10, 9)), ("C", D(2026, 10, 9))):
            services.start_special_procedure(
                case_id=cases[name].pk,
                actor=approver,
                procedure=SpecialProcedure.EXPERT_REVIEW,
                reason="专家评审",
                planned_end_on=planned,
            )
        for name in "DE":
            services.start_special_procedure(
                case_id=cases[name].pk,
                actor=approver,
                procedure=SpecialProcedure.EXPERT_REVIEW,
                reason="专家评审",
            )
        services.resume(case_id=cases["A"].pk, actor=approver, ended_on=D(2026, 10, 10))  # a day late
        services.resume(case_id=cases["B"].pk, actor=approver, ended_on=D(2026, 10, 9))  # on the planned day
        # C is still open, long after its planned end (the scan runs today, in November).
        # No planned end: [9/24, 10/12) stops 9/24, 9/28, 9/29, 9/30, 10/8, 10/9, 10/10 = 7 > 5 days;
        # [9/24, 10/9) stops 5: the limit itself, allowed.
        services.resume(case_id=cases["D"].pk, actor=approver, ended_on=D(2026, 10, 12))
        services.resume(case_id=cases["E"].pk, actor=approver, ended_on=D(2026, 10, 9))
    scan()
    found = flagged(AnomalyRule.SUSPENDED_TOO_LONG)
    assert set(found) == {cases["A"].pk, cases["C"].pk, cases["D"].pk}
    assert found[cases["A"].pk].detail["reasons"] == ["past_planned_end"]
    assert found[cases["C"].pk].detail["reasons"] == ["past_planned_end"]
    assert found[cases["C"].pk].detail["ended_on"] is None
    assert found[cases["D"].pk].detail["reasons"] == ["over_limit"]
    assert (found[cases["D"].pk].detail["working_days"], found[cases["D"].pk].detail["limit"]) == (7, 5)


def test_an_open_procedure_with_no_planned_end_counts_to_today(department, approver, settings):
    settings.HALL_SPECIAL_PROCEDURE_MAX_DAYS = 5
    item = {"special_procedures": [SpecialProcedure.HEARING]}
    with time_machine.travel(TODAY, tick=False):
        case = claimed_case(department, approver, **item)
        services.start_special_procedure(
            case_id=case.pk, actor=approver, procedure=SpecialProcedure.HEARING, reason="听证"
        )
    # On 10/9 it has stopped 9/24, 9/28, 9/29, 9/30, 10/8, 10/9: 6 working days; on 10/8, 5.
    scan(now=dt.datetime(2026, 10, 8, 8, 0, tzinfo=dt.UTC))
    assert not flagged(AnomalyRule.SUSPENDED_TOO_LONG)
    scan(now=dt.datetime(2026, 10, 9, 8, 0, tzinfo=dt.UTC))
    assert flagged(AnomalyRule.SUSPENDED_TOO_LONG)[case.pk].detail["working_days"] == 6


# --- an extension without an approved request ----------------------------------------------------------


def test_extensions_the_clock_holds_without_an_approval(department, approver, signer):
    item = {"max_extension_days": 10}
    with time_machine.travel(TODAY, tick=False):
        approved, padded, by_an_approver = (claimed_case(department, approver, **item) for _ in range(3))
        for case in (approved, padded):
            services.extend(case_id=case.pk, actor=signer, days=2, reason="情况复杂")
        # Two more days on the clock, logged as an extension, with no Extension approved for them.
        Clock.objects.filter(pk=padded.clock_id).update(extension_days=F("extension_days") + 2)
        record_step(padded, step="extend", actor=approver, days=2)
        # An Extension "approved" by the approver, who is no decision-maker.
        Extension.objects.create(clock=by_an_approver.clock, days=2, reason="自批", approved_by=approver)
        Clock.objects.filter(pk=by_an_approver.clock_id).update(extension_days=2)
        record_step(by_an_approver, step="extend", actor=approver, days=2)
    scan()
    found = flagged(AnomalyRule.EXTENSION_UNAPPROVED)
    assert set(found) == {padded.pk, by_an_approver.pk}
    assert found[padded.pk].detail["reasons"] == ["unapproved_days"]
    assert (found[padded.pk].detail["clock_days"], found[padded.pk].detail["approved_days"]) == (4, 2)
    assert found[by_an_approver.pk].detail["reasons"] == ["not_entitled"]


def test_an_extension_beyond_the_items_allowance(department, approver, signer):
    with time_machine.travel(TODAY, tick=False):
        case = claimed_case(department, approver, max_extension_days=3)
        within = claimed_case(department, approver, max_extension_days=3)
        services.extend(case_id=within.pk, actor=signer, days=3, reason="情况复杂")  # all of it: allowed
        Extension.objects.create(clock=case.clock, days=4, reason="超出", approved_by=signer)
        Clock.objects.filter(pk=case.clock_id).update(extension_days=4)
        record_step(case, step="extend", actor=signer, days=4)
    scan()
    found = flagged(AnomalyRule.EXTENSION_UNAPPROVED)
    assert set(found) == {case.pk} and found[case.pk].detail["reasons"] == ["beyond_allowance"]


# --- a decision with no opinion recorded ---------------------------------------------------------------


def test_decisions_without_the_deciders_opinion(department, approver, signer):
    with time_machine.travel(TODAY, tick=False):
        silent, said, said_earlier = (claimed_case(department, approver) for _ in range(3))
        services.decide(case_id=silent.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
        services.decide(
            case_id=said.pk, actor=approver, outcome=Outcome.APPROVE, opinion="符合法定条件", **APPROVAL
        )
        # An opinion in review, none with the decision: the deciding step says nothing.
        services.record_opinion(case_id=said_earlier.pk, actor=approver, text="材料齐全")
    with time_machine.travel(TODAY + dt.timedelta(minutes=5), tick=False):
        services.decide(case_id=said_earlier.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
        # Signed off: the approver's proposal has an opinion, the decision-maker's sign-off none / one.
        unsigned_words, signed_words = (
            claimed_case(department, approver, requires_second_signoff=True) for _ in range(2)
        )
        for case in (unsigned_words, signed_words):
            services.decide(
                case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, opinion="拟同意", **APPROVAL
            )
        services.sign_off(case_id=unsigned_words.pk, actor=signer)
        services.sign_off(case_id=signed_words.pk, actor=signer, opinion="同意")
    scan()
    found = flagged(AnomalyRule.DECISION_WITHOUT_OPINION)
    assert set(found) == {silent.pk, said_earlier.pk, unsigned_words.pk}
    assert found[silent.pk].detail["transition"] == "approve"
    assert found[unsigned_words.pk].detail["transition"] == "sign_off_approval"
    assert found[unsigned_words.pk].detail["actor"] == "刘决定"


# --- a filing returned twice for the same material -----------------------------------------------------


def test_a_resubmission_returned_for_a_material_already_returned_for():
    a, b = MaterialFactory(name="身份证"), MaterialFactory(name="租赁合同")
    item = make_item(
        children=ItemChildren(materials=[requirement(a), requirement(b)], steps=[{"name": "受理"}])
    )
    both = [{"material": a.pk, "reason": "未提供"}, {"material": b.pk, "reason": "未提供"}]

    def returned(corrections, *, resubmits=None, received=()):
        filing = make_filing(items=[item])
        if resubmits is not None:  # the link the portal or the window makes (planted: the field)
            Filing.objects.filter(pk=filing.pk).update(resubmission_of=resubmits)
        for material in received:
            window_services.record_material(
                **at_window(filing),
                filing_id=filing.pk,
                material_id=material.pk,
                status=MaterialStatus.ORIGINAL,
            )
        window_services.return_for_completion(
            **at_window(filing), filing_id=filing.pk, corrections=corrections
        )
        return filing

    first = returned(both)
    again = returned([{"material": b.pk, "reason": "合同已过期"}], resubmits=first, received=[a])
    third = returned([{"material": b.pk, "reason": "仍已过期"}], resubmits=again, received=[a])
    # Near misses: a first return, and a resubmission returned for something no material names.
    alone = returned(both)
    other = returned(both)
    unnamed = returned([{"material": None, "reason": "申请表未签字"}], resubmits=other, received=[a, b])
    scan()
    found = {
        (x.subject_id, x.fingerprint): x for x in Anomaly.objects.filter(rule=AnomalyRule.RETURNED_TWICE)
    }
    assert set(found) == {(again.pk, f"material:{b.pk}"), (third.pk, f"material:{b.pk}")}
    assert found[(third.pk, f"material:{b.pk}")].detail["earlier"] == [again.number, first.number]
    assert found[(again.pk, f"material:{b.pk}")].detail["material_name"] == "租赁合同"
    assert found[(again.pk, f"material:{b.pk}")].department_id == item.department_id
    assert not {alone.pk, other.pk, unnamed.pk} & {subject for subject, _ in found}


# --- bulk clicking -------------------------------------------------------------------------------------


def test_the_same_action_on_many_filings_in_one_second(settings):
    settings.HALL_BULK_CLICK_MIN = 5
    item = make_item()
    filings = [make_filing(items=[item]) for _ in range(10)]
    quick, steady, repeating = (make_staff(Role.CLERK, centre=item.department.centre) for _ in range(3))
    at = dt.datetime(2026, 9, 24, 2, 0, 0, 100_000, tzinfo=dt.UTC)

    def log(filing, actor, when):
        with time_machine.travel(when, tick=False):
            record_transition(
                filing, transition="accept", from_state="draft", to_state="accepted", actor=actor
            )

    for i, filing in enumerate(filings[:5]):
        log(filing, quick, at + dt.timedelta(milliseconds=150 * i))  # five within .1s–.7s
    for i, filing in enumerate(filings[5:]):  # four in one second, the fifth in the next
        log(filing, steady, at + dt.timedelta(seconds=60, milliseconds=250 * i))
    for _ in range(5):  # one filing, five times
        log(filings[0], repeating, at + dt.timedelta(seconds=120))
    scan()
    found = flagged(AnomalyRule.BULK_CLICKING)
    assert set(found) == {quick.pk}
    finding = found[quick.pk]
    assert finding.fingerprint == "accept@2026-09-24T02:00:00"
    assert finding.detail["filings"] == 5
    assert sorted(finding.detail["numbers"]) == sorted(f.number for f in filings[:5])
    assert (finding.day, finding.centre_id) == (D(2026, 9, 24), item.department.centre_id)


def test_four_filings_in_a_second_are_not_bulk_clicking_by_default():
    item = make_item()
    clerk = make_staff(Role.CLERK, centre=item.department.centre)
    with time_machine.travel(TODAY, tick=False):
        for _ in range(4):
            record_transition(
                make_filing(items=[item]), transition="accept", from_state="a", to_state="b", actor=clerk
            )
    scan()
    assert not flagged(AnomalyRule.BULK_CLICKING)


# --- a certificate issued without a seal use -----------------------------------------------------------


def test_a_document_issued_without_its_seal_use():
    sealed = ready_filing()
    [document] = issue(sealed)
    unsealed = ready_filing()
    case = unsealed.cases.get()
    keeper = make_staff(Role.SEAL_KEEPER, centre=unsealed.centre)
    planted = IssuedDocument.objects.create(
        filing=unsealed,
        case=case,
        kind=DocumentKind.DENIAL,
        department=case.department,
        number="不予〔2026〕1号",
        content={"title": "不予许可决定书"},
        seal=Seal.objects.get(department=case.department),
        issued_at=dt.datetime(2026, 9, 24, 2, 0, tzinfo=dt.UTC),
        issued_by=make_staff(Role.ISSUER, centre=unsealed.centre),
        confirmed_by=keeper,
    )
    record_transition(
        unsealed, transition="issue", from_state="ready_for_issue", to_state="issued", actor=keeper
    )
    scan()
    found = flagged(AnomalyRule.ISSUED_WITHOUT_SEAL)
    assert set(found) == {planted.pk} and document.pk not in found
    assert found[planted.pk].detail["number"] == "不予〔2026〕1号"
    assert (found[planted.pk].filing_id, found[planted.pk].day) == (unsealed.pk, D(2026, 9, 24))


# --- the scan ------------------------------------------------------------------------------------------


def test_a_scan_is_idempotent_and_reads_only_what_was_logged_since_the_last(department, approver):
    with time_machine.travel(TODAY, tick=False):
        case = claimed_case(department, approver)
        services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
    first = scan(now=dt.datetime(2026, 9, 25, tzinfo=dt.UTC))
    assert first["decision_without_opinion"] == 1 and set(first) == {str(rule) for rule in AnomalyRule}
    [anomaly] = Anomaly.objects.all()
    assert RefreshMark.objects.get(name="anomalies").at == dt.datetime(2026, 9, 25, tzinfo=dt.UTC)
    # The next scan reads from the mark (less a margin): the decision is not read again, and stays found.
    second = scan(now=dt.datetime(2026, 9, 26, tzinfo=dt.UTC))
    assert second["decision_without_opinion"] == 0
    assert list(Anomaly.objects.values_list("pk", "found_at")) == [(anomaly.pk, anomaly.found_at)]
    # Read again from the start, it is the same finding, not a second one.
    RefreshMark.objects.all().delete()
    assert scan()["decision_without_opinion"] == 1
    assert list(Anomaly.objects.values_list("pk", "found_at")) == [(anomaly.pk, anomaly.found_at)]


def test_a_long_backlog_is_read_a_month_at_a_time_missing_nothing(department, approver):
    """The scan reads SPAN (31 days) of the log at a time, each part re-reading the margin before the
    last one's end: a decision on the first part's last instant and one two months later are found."""
    cases = []
    for days in (0, 31, 60):
        with time_machine.travel(TODAY + dt.timedelta(days=days), tick=False):
            case = claimed_case(department, approver)
            services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
            cases.append(case)
    now = TODAY + dt.timedelta(days=61)
    # Parts: [9/24 10:00, 10/25 10:00], [10/25 09:50, 11/24 10:00]: the second decision is in both.
    assert scan(now=now)["decision_without_opinion"] == 4
    assert set(flagged(AnomalyRule.DECISION_WITHOUT_OPINION)) == {c.pk for c in cases}
    assert Anomaly.objects.count() == 3
    assert RefreshMark.objects.get(name="anomalies").at == now
