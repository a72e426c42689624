"""一次一评 of a visit called to the window: when the clerk finishes the ticket, the window's evaluation
pad offers the filing decided for it (its window-visit act, from the ticket's finish), even when the
filing was decided earlier than the pad shows an act for."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from apps.feedback.acts import latest_act_at_window
from apps.feedback.models import ActKind
from apps.feedback.pad import COOKIE
from apps.visits import calling
from tests.factories.cases import accept_filing, make_filing
from tests.factories.feedback import claimed_pad_key
from tests.factories.visits import make_ticket
from tests.visits.calling_setup import CallingHall

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 9, 24, 4, 0, tzinfo=dt.UTC)
SHOW = dt.timedelta(seconds=settings.HALL_PAD_SHOW_SECONDS)


@pytest.fixture
def hall():
    return CallingHall()


def served(hall, *, decide: bool = True):
    """A ticket called at NOON to the hall's window, a filing opened and (``decide``) accepted for it
    there at once; the ticket left being served."""
    with time_machine.travel(NOON, tick=False):
        make_ticket(hall.area, at=NOON - dt.timedelta(minutes=20))
        ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
        filing = make_filing(centre=hall.centre, window=hall.window, clerk=hall.clerk)
        calling.link_filing(ticket_id=ticket.pk, filing_id=filing.pk, actor=hall.clerk)
        if decide:
            filing = accept_filing(filing)
    return ticket, filing


def test_a_finished_visit_is_offered_on_the_pad_from_its_finish(hall):
    ticket, filing = served(hall)
    finish = NOON + dt.timedelta(minutes=15)  # long after the acceptance's own showing
    assert latest_act_at_window(hall.window.pk, since=finish - SHOW) is None
    with time_machine.travel(finish, tick=False):
        calling.finish(ticket_id=ticket.pk, actor=hall.clerk)
    act = latest_act_at_window(hall.window.pk, since=finish - SHOW)
    assert (act.kind, act.filing.pk, act.window_id, act.at) == (
        ActKind.WINDOW_VISIT,
        filing.pk,
        hall.window.pk,
        finish,
    )
    assert act.staff_id == hall.clerk.pk
    assert latest_act_at_window(hall.window.pk, since=finish + dt.timedelta(seconds=1)) is None


def test_the_pad_shows_the_finished_visit_for_rating(client, hall):
    ticket, filing = served(hall)
    client.cookies[COOKIE] = claimed_pad_key(hall.window)
    finish = NOON + dt.timedelta(minutes=15)
    with time_machine.travel(finish, tick=False):
        calling.finish(ticket_id=ticket.pk, actor=hall.clerk)
    with time_machine.travel(finish + dt.timedelta(seconds=5), tick=False):
        page = client.get(reverse("pad:screen"))
    assert b'data-state="act"' in page.content
    assert f'name="filing" value="{filing.pk}"'.encode() in page.content
    assert "张*".encode() in page.content


def test_a_visit_without_a_decided_filing_or_at_another_window_is_not_offered(hall):
    ticket, _draft = served(hall, decide=False)
    finish = NOON + dt.timedelta(minutes=15)
    with time_machine.travel(finish, tick=False):
        calling.finish(ticket_id=ticket.pk, actor=hall.clerk)
    assert latest_act_at_window(hall.window.pk, since=finish - SHOW) is None
    assert latest_act_at_window(hall.other_window.pk, since=NOON - SHOW) is None
