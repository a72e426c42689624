"""The citizen's reads: which filings an account sees (its own and its organisations' while
authorised), my hall sorted by what needs doing first in one query, the timeline a citizen is shown,
and the working days left."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.models import AuthorisationKind
from apps.accounts.roles import Role
from apps.cases import online, selectors
from apps.cases.citizen_view import NextAction, filing_timeline, my_hall, working_days_left
from apps.cases.codes import FilingState
from apps.worktime import calendar
from tests.cases.online_hall import (
    accepted,
    corrected,
    make_hall,
    returned,
    submitted,
    taken,
)
from tests.factories import make_staff
from tests.factories.cases import COMPANY, make_filing

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 10, 0)


def company_filing(hall, user, *, kind=AuthorisationKind.LEGAL_REPRESENTATIVE):
    hall.authorise(user, kind=kind)
    return hall.draft(user, organisation_code=COMPANY.id_number, legal_representative="李四")


@time_machine.travel(TODAY, tick=False)
def test_an_account_sees_its_own_filings_and_its_organisations_while_authorised():
    hall = make_hall()
    mine = hall.draft()
    colleague = hall.citizen_account("wangwu", id_number="110105194912310038", name="王五")
    theirs_submitted = submitted(
        hall, company_filing(hall, colleague, kind=AuthorisationKind.AGENT), colleague
    )
    theirs_draft = hall.draft(colleague, organisation_code=COMPANY.id_number, legal_representative="李四")
    at_the_window = make_filing(items=[hall.item], applicant=COMPANY, centre=hall.centre, window=hall.window)
    hall.accept = accepted(hall, at_the_window)
    stranger = hall.citizen_account("zhaoliu", id_number="110105194912310054", name="赵六")
    strangers = hall.draft(stranger)

    assert set(selectors.filings_of_citizen(hall.citizen)) == {mine}
    authorisation = hall.authorise(hall.citizen)
    # Self-declared (anyone may type any company's code): the company's other filings stay hidden.
    assert set(selectors.filings_of_citizen(hall.citizen)) == {mine}
    assert set(selectors.filings_visible_to(hall.citizen)) == {mine}
    authorisation = hall.verify(authorisation)
    # Verified at a window: the company's filings (not another account's draft: that is its
    # author's until submitted).
    assert set(selectors.filings_of_citizen(hall.citizen)) == {mine, theirs_submitted, at_the_window}
    assert set(selectors.filings_visible_to(hall.citizen)) == {mine, theirs_submitted, at_the_window}
    assert theirs_draft in selectors.filings_of_citizen(colleague)
    assert strangers not in selectors.filings_visible_to(hall.citizen)

    authorisation.valid_until = dt.date(2026, 9, 23)  # ended yesterday
    authorisation.save()
    assert set(selectors.filings_visible_to(hall.citizen)) == {mine}
    assert theirs_submitted in selectors.filings_of_citizen(hall.citizen, on=dt.date(2026, 9, 1))


@time_machine.travel(TODAY, tick=False)
def test_the_api_follows_the_organisation_s_authorisation(client):
    hall = make_hall()
    colleague = hall.citizen_account("wangwu", id_number="110105194912310038", name="王五")
    filing = submitted(hall, company_filing(hall, colleague), colleague)
    client.force_login(hall.citizen)
    detail = reverse("filing-detail", args=[filing.pk])
    assert client.get(detail).status_code == 404
    authorisation = hall.authorise(hall.citizen, kind=AuthorisationKind.AGENT)
    upload = filing.checklist.get(material=hall.id_card).uploads.get()
    # Self-declared: the company's filing by another account, and its uploads, stay hidden.
    assert client.get(detail).status_code == 404
    assert client.get(reverse("filing-upload", args=[filing.pk, upload.pk])).status_code == 404
    hall.verify(authorisation)
    assert client.get(detail).status_code == 200
    assert client.get(reverse("filing-upload", args=[filing.pk, upload.pk])).status_code == 200
    client.force_login(make_staff(Role.CITIZEN))
    assert client.get(detail).status_code == 404
    assert client.get(reverse("filing-upload", args=[filing.pk, upload.pk])).status_code == 404


def build_hall_of_every_kind(hall):
    """One filing of the citizen's for each kind of next action (and two without one)."""
    approver = make_staff(Role.APPROVER, department=hall.item.department)
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0), tick=False):
        finished = submitted(hall, hall.draft())
        online.withdraw_online(filing_id=finished.pk, reason="不办了", actor=hall.citizen)
        correction_filing = accepted(hall, taken(hall, submitted(hall, hall.draft())))
        corrected(hall, correction_filing, approver)
        deficient = accepted(
            hall, taken(hall, submitted(hall, hall.draft())), deficiency_until=dt.date(2026, 9, 10)
        )
        first_returned = returned(hall, taken(hall, submitted(hall, hall.draft())))
        resubmission = online.resubmit_returned(filing_id=first_returned.pk, actor=hall.citizen)
    with time_machine.travel(dt.datetime(2026, 9, 2, 9, 0), tick=False):
        to_complete = returned(hall, taken(hall, submitted(hall, hall.draft())))
        waiting = submitted(hall, hall.draft())
        draft = hall.draft()
    return {
        "correction": correction_filing,
        "to_complete": to_complete,
        "deficient": deficient,
        "draft": draft,
        "resubmission": resubmission,
        "waiting": waiting,
        "returned_and_resubmitted": first_returned,
        "withdrawn": finished,
    }


@time_machine.travel(TODAY, tick=False)
def test_my_hall_puts_what_needs_doing_first_with_its_date():
    hall = make_hall()
    filings = build_hall_of_every_kind(hall)
    shown = list(my_hall(hall.citizen))
    by_pk = {f.pk: name for name, f in filings.items()}
    assert [by_pk[f.pk] for f in shown] == [
        "correction",
        "to_complete",
        "deficient",
        "draft",  # the newest draft first
        "resubmission",
        "waiting",
        "returned_and_resubmitted",
        "withdrawn",
    ]
    actions = {by_pk[f.pk]: (f.next_action, f.action_due_on) for f in shown}
    correction = filings["correction"].cases.get().corrections.get()
    assert actions["correction"] == (NextAction.CORRECTION, correction.answer_due_on)
    assert correction.answer_due_on is not None
    assert actions["deficient"] == (NextAction.DEFICIENCY, dt.date(2026, 9, 10))
    assert actions["to_complete"] == (NextAction.COMPLETION, None)
    assert actions["draft"][0] == actions["resubmission"][0] == NextAction.DRAFT
    assert actions["waiting"][0] == actions["withdrawn"][0] == actions["returned_and_resubmitted"][0] == ""
    promised = {by_pk[f.pk]: f.due_on for f in shown}
    assert promised["deficient"] == filings["deficient"].cases.get().due_on
    assert promised["draft"] is None


@time_machine.travel(TODAY, tick=False)
def test_my_hall_is_two_queries_for_one_filing_or_many(django_assert_num_queries):
    hall = make_hall()
    hall.draft()
    with django_assert_num_queries(2):  # the account's organisations, the filings
        assert len(list(my_hall(hall.citizen))) == 1
    build_hall_of_every_kind(hall)
    hall.authorise(hall.citizen)
    hall.draft(organisation_code=COMPANY.id_number)
    with django_assert_num_queries(2):  # the account's organisations, the filings
        assert len(list(my_hall(hall.citizen))) == 10


@time_machine.travel(TODAY, tick=False)
def test_working_days_left_count_the_centre_s_working_days_to_the_promised_date():
    hall = make_hall()
    filing = hall.draft()
    assert working_days_left(filing) is None
    filing = accepted(hall, taken(hall, submitted(hall, filing)))
    due_on = filing.cases.get().due_on
    expected = calendar.working_days_between(dt.date(2026, 9, 24), due_on, hall.centre.pk)
    assert expected > 0
    assert working_days_left(filing) == expected
    assert working_days_left(next(f for f in my_hall(hall.citizen) if f.pk == filing.pk)) == expected
    with time_machine.travel(due_on + dt.timedelta(days=30), tick=False):
        assert working_days_left(filing) < 0


@time_machine.travel(TODAY, tick=False)
def test_the_timeline_names_windows_and_departments_never_staff(django_assert_max_num_queries):
    hall = make_hall()
    hall.clerk.full_name = "王小明"
    hall.clerk.save()
    approver = make_staff(Role.APPROVER, department=hall.item.department, full_name="陈审批")
    filing = accepted(hall, taken(hall, submitted(hall, hall.draft())))
    corrected(hall, filing, approver)
    with django_assert_max_num_queries(3):
        timeline = filing_timeline(filing)
    steps = [(s.step, s.by) for s in timeline.steps]
    assert [step for step, _by in steps[:4]] == ["open", "submit", "start_pre_review", "accept"]
    assert steps[0][1] == steps[1][1] == "申请人"
    assert all(hall.window.number in by for _step, by in steps[2:4])  # 窗口 A01
    assert steps[-1] == ("request_correction", hall.item.department.name)
    assert "补充门头照片" in timeline.steps[-1].comment
    assert timeline.steps[-1].item == hall.item.name
    shown = repr(timeline)
    assert "王小明" not in shown and "陈审批" not in shown
    assert [d.department for d in timeline.departments] == [hall.item.department.name]
    assert filing.state == FilingState.ACCEPTED
