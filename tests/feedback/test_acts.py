"""The acts a filing offers for rating (一次一评 and 一事一评), derived from what the hall recorded."""

import datetime as dt

import pytest
import time_machine
from django.http import Http404

from apps.accounts.roles import Role
from apps.cases import services as cases
from apps.cases.codes import FilingState
from apps.feedback.acts import act_of, acts_of, latest_act_at_window
from apps.feedback.models import ActKind
from tests.factories import make_staff
from tests.factories.cases import comprehensive_window, make_filing
from tests.factories.feedback import closed_filing, pad, pre_reviewed_filing, rating, ticket, visited_filing

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 9, 24, 4, 0, tzinfo=dt.UTC)


def kinds(filing) -> list[str]:
    return [act.kind for act in acts_of(filing)]


def test_a_draft_offers_nothing_to_rate():
    filing = make_filing()
    assert acts_of(filing) == []
    with pytest.raises(Http404):
        act_of(filing, ActKind.WINDOW_VISIT)


def test_a_window_visit_is_charged_to_the_clerk_who_decided_it_at_their_window():
    filing = visited_filing()
    [visit] = acts_of(filing)
    first = filing.items.select_related("item").first().item
    assert visit.kind == ActKind.WINDOW_VISIT
    assert (visit.at, visit.staff_id, visit.window_id) == (
        filing.decided_at,
        filing.decided_by_id,
        filing.window_id,
    )
    assert (visit.centre_id, visit.department_id, visit.item_id) == (
        filing.centre_id,
        first.department_id,
        first.pk,
    )


def test_an_online_filing_offers_its_pre_review_not_a_window_visit():
    citizen = make_staff(Role.CITIZEN)
    filing = pre_reviewed_filing(citizen=citizen)
    assert kinds(filing) == [ActKind.ONLINE_PRE_REVIEW]
    assert act_of(filing, ActKind.ONLINE_PRE_REVIEW).staff_id == filing.decided_by_id


def test_a_refused_filing_offers_the_visit_and_the_whole_filing():
    filing = make_filing()
    cases.refuse(
        filing_id=filing.pk,
        reasons="不属于本部门职责。",
        legal_basis="《中华人民共和国行政许可法》第三十二条",
        actor=filing.created_by,
        window=filing.window,
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.REJECTED
    assert kinds(filing) == [ActKind.WINDOW_VISIT, ActKind.FILING]
    assert act_of(filing, ActKind.FILING).staff_id == filing.decided_by_id


def test_a_closed_filing_offers_the_visit_the_hand_over_and_the_whole_filing():
    issuer_window = comprehensive_window()
    filing = closed_filing(centre=issuer_window.centre, issuer_window=issuer_window)
    assert kinds(filing) == [ActKind.WINDOW_VISIT, ActKind.HANDOVER, ActKind.FILING]
    handover = act_of(filing, ActKind.HANDOVER)
    assert handover.window_id == issuer_window.pk == filing.delivery.window_id
    assert handover.staff_id == filing.delivery.delivered_by_id != filing.decided_by_id
    assert act_of(filing, ActKind.FILING).at == filing.delivery.delivered_at


def test_the_pad_is_offered_the_last_act_at_its_window_and_only_a_recent_one():
    window = comprehensive_window()
    with time_machine.travel(NOON, tick=False):
        filing = visited_filing(centre=window.centre, window=window)
    since = NOON - dt.timedelta(seconds=60)
    act = latest_act_at_window(window.pk, since=since)
    assert (act.kind, act.filing.pk) == (ActKind.WINDOW_VISIT, filing.pk)
    assert latest_act_at_window(window.pk, since=NOON + dt.timedelta(seconds=1)) is None
    assert latest_act_at_window(comprehensive_window(window.centre).pk, since=since) is None
    with time_machine.travel(NOON + dt.timedelta(seconds=30), tick=False):
        later = visited_filing(centre=window.centre, window=window)
    assert latest_act_at_window(window.pk, since=since).filing.pk == later.pk


def test_the_pad_is_offered_a_hand_over_at_its_window():
    issuer_window = comprehensive_window()
    with time_machine.travel(NOON, tick=False):
        filing = closed_filing(centre=issuer_window.centre, issuer_window=issuer_window)
    act = latest_act_at_window(issuer_window.pk, since=NOON - dt.timedelta(seconds=60))
    assert (act.kind, act.filing.pk) == (ActKind.HANDOVER, filing.pk)


def test_the_pad_is_not_offered_an_online_pre_review():
    window = comprehensive_window()
    with time_machine.travel(NOON, tick=False):
        pre_reviewed_filing(citizen=make_staff(Role.CITIZEN), centre=window.centre, window=window)
    assert latest_act_at_window(window.pk, since=NOON - dt.timedelta(seconds=60)) is None


def test_the_factories_copy_the_act_onto_the_rating_and_the_ticket():
    filing = visited_filing()
    bad = rating(filing, level="4")
    assert (bad.staff_id, bad.window_id, bad.reason) == (filing.decided_by_id, filing.window_id, "waiting")
    opened = ticket(bad)
    assert (opened.department_id, opened.window_id, opened.state) == (
        bad.department_id,
        bad.window_id,
        "open",
    )
    assert pad(window=filing.window).window == filing.window
