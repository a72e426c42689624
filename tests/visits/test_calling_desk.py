"""The calling panel on the intake desk: call next, the buttons the ticket's graph offers, transfer,
call back a skipped ticket; a new filing made while serving a ticket is linked to it, its applicant
filled in from the ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.cases.models import Filing
from apps.visits import calling
from apps.visits.models import Appointment, PriorityReason, Ticket, TicketState
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import default_children, make_item
from tests.factories.visits import bookable_item, make_slot, make_ticket, real_name_citizen
from tests.visits.calling_setup import CallingHall

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def hall():
    return CallingHall()


@pytest.fixture
def desk(english, hall):
    english.force_login(hall.clerk)
    return english


def panel(client) -> str:
    response = client.get(reverse("desks:calling"), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def post(client, url, data=None) -> str:
    response = client.post(url, data or {}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def act(ticket, action: str) -> str:
    return reverse("desks:calling_act", args=[ticket.pk, action])


def test_the_intake_desk_loads_the_panel(desk):
    page = desk.get(reverse("desks:intake")).content.decode()
    assert f'hx-get="{reverse("desks:calling")}"' in page
    assert 'data-testid="calling-open"' in page  # without script, a link to it


def test_call_next_then_the_buttons_the_ticket_offers(desk, hall):
    make_ticket(hall.area, name="李四", id_number=ID_NUMBER, priority_reasons=[PriorityReason.ELDERLY])
    make_ticket(hall.other_area)
    page = panel(desk)
    assert 'data-testid="calling-waiting">2<' in page
    assert 'data-testid="calling-waiting-A">1<' in page
    page = post(desk, reverse("desks:calling_call_next"))
    ticket = Ticket.objects.get(state=TicketState.CALLED)
    assert "Ticket A001 called." in page
    assert 'data-testid="calling-number">A001<' in page
    assert "李四" in page and "110105********002X" in page and ID_NUMBER not in page
    assert "Aged 70 or over" in page
    for offered in ("recall", "start", "skip", "transfer"):
        assert f'data-testid="calling-{offered}"' in page
    assert 'data-testid="calling-finish"' not in page
    assert 'data-testid="calling-call-next"' not in page
    page = post(desk, act(ticket, "start"))
    assert "Serving ticket A001." in page
    assert 'data-testid="calling-finish"' in page
    assert 'data-testid="calling-skip"' not in page and 'data-testid="calling-recall"' not in page
    page = post(desk, act(ticket, "finish"))
    assert "Ticket A001 finished." in page
    assert 'data-testid="calling-call-next"' in page
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.DONE


def test_a_stale_action_is_refused_in_the_tickets_words(desk, hall):
    make_ticket(hall.area)
    post(desk, reverse("desks:calling_call_next"))
    ticket = Ticket.objects.get()
    page = post(desk, act(ticket, "finish"))  # not offered to a called ticket
    assert 'data-testid="calling-error"' in page and "Not possible now" in page
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CALLED


def test_nobody_waiting_is_said(desk):
    assert "Nobody is waiting." in post(desk, reverse("desks:calling_call_next"))


def test_an_area_the_window_does_not_serve_is_refused(desk, hall):
    make_ticket(hall.unserved_area)
    page = post(desk, reverse("desks:calling_call_next"), {"area": hall.unserved_area.pk})
    assert "does not serve this service area" in page
    page = post(desk, reverse("desks:calling_call_next"), {"area": "A"})
    assert "Choose one of your window" in page
    assert not Ticket.objects.filter(state=TicketState.CALLED).exists()


def test_skip_then_call_back(desk, hall):
    make_ticket(hall.area)
    post(desk, reverse("desks:calling_call_next"))
    ticket = Ticket.objects.get()
    page = post(desk, act(ticket, "skip"))
    assert 'data-testid="calling-recallable"' in page
    page = post(desk, act(ticket, "recall_skipped"))
    assert "Ticket A001 called back to your window." in page
    assert Ticket.objects.get(pk=ticket.pk).call_count == 2


def test_transfer_to_another_area(desk, hall):
    make_ticket(hall.area)
    post(desk, reverse("desks:calling_call_next"))
    ticket = Ticket.objects.get()
    page = panel(desk)
    assert f'<option value="{hall.other_area.pk}">' in page
    assert (
        f'<option value="{hall.area.pk}">' not in page.split("calling-transfer-area")[1].split("</select>")[0]
    )
    page = post(desk, act(ticket, "transfer"), {"area": hall.other_area.pk})
    assert "Ticket A001 sent to area B." in page
    ticket.refresh_from_db()
    assert (ticket.state, ticket.area_id) == (TicketState.WAITING, hall.other_area.pk)
    assert "Choose the service area" in post(desk, act(ticket, "transfer"), {"area": "x"})


def test_without_script_the_panel_is_a_page_and_actions_come_back_to_the_desk(desk, hall):
    make_ticket(hall.area)
    page = desk.get(reverse("desks:calling"))
    assert page.status_code == 200 and b'data-testid="calling-call-next"' in page.content
    response = desk.post(reverse("desks:calling_call_next"))
    assert response.status_code == 302 and response.url == reverse("desks:intake")
    assert "Ticket A001 called." in desk.get(response.url).content.decode()


def test_another_centres_ticket_is_not_found(desk, hall):
    elsewhere = CallingHall()
    foreign = make_ticket(elsewhere.area)
    calling.call_next(window_id=elsewhere.window.pk, actor=elsewhere.clerk)
    assert desk.post(act(foreign, "skip"), **HTMX).status_code == 404
    assert Ticket.objects.get(pk=foreign.pk).state == TicketState.CALLED


def test_only_a_clerk_with_a_window_has_the_panel(client, hall):
    client.force_login(make_staff(Role.CLERK, centre=hall.centre))  # no window
    assert client.get(reverse("desks:calling"), **HTMX).status_code == 403
    client.force_login(make_staff(Role.SUPERVISOR, centre=hall.centre))
    assert client.get(reverse("desks:calling"), **HTMX).status_code == 403
    assert client.post(reverse("desks:calling_call_next"), **HTMX).status_code == 403


def test_a_new_filing_while_serving_is_filled_in_from_the_ticket_and_linked(desk, hall):
    item = make_item(department=DepartmentFactory(centre=hall.centre), children=default_children())
    make_ticket(hall.area, name="李四", id_number=ID_NUMBER)
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    form = desk.get(f"{reverse('desks:intake_new')}?item={item.pk}").content.decode()
    assert 'value="李四"' in form and f'value="{ID_NUMBER}"' in form
    response = desk.post(
        reverse("desks:intake_new"),
        {
            "item": item.pk,
            "applicant_kind": "person",
            "applicant_name": "李四",
            "applicant_id_number": ID_NUMBER,
        },
    )
    filing = Filing.objects.get()
    assert response.url == reverse("desks:intake_filing", args=[filing.pk])
    ticket.refresh_from_db()
    assert ticket.state == TicketState.SERVING
    assert list(ticket.filings.all()) == [filing]
    assert f'data-testid="calling-filing">{filing.number}<' in panel(desk)


def test_a_booked_visit_brings_the_bookings_phone_to_the_new_filing(desk, hall):
    item = bookable_item(hall.area)
    citizen = real_name_citizen(full_name="王小明", phone="13912345678")
    booking = Appointment.objects.create(
        number="YY2026000001",
        citizen=citizen,
        slot=make_slot(hall.area, date=timezone.localdate()),
        item=item,
        name=citizen.full_name,
        id_number=citizen.id_number,
        phone=citizen.phone,
    )
    make_ticket(hall.area, name="王小明", id_number=citizen.id_number, appointment=booking)
    calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    form = desk.get(f"{reverse('desks:intake_new')}?item={item.pk}").content.decode()
    assert 'value="13912345678"' in form and f'value="{citizen.id_number}"' in form


def test_a_new_filing_with_no_ticket_at_the_window_is_not_filled_in(desk, hall):
    item = make_item(department=DepartmentFactory(centre=hall.centre), children=default_children())
    make_ticket(hall.area, name="李四", id_number=ID_NUMBER)  # waiting, not called
    form = desk.get(f"{reverse('desks:intake_new')}?item={item.pk}").content.decode()
    assert 'value="李四"' not in form


def plant(hall, rows: int) -> None:
    start = timezone.now() - dt.timedelta(minutes=rows + 5)
    for n in range(rows):
        make_ticket(hall.area, at=start + dt.timedelta(minutes=n))
        make_ticket(hall.other_area, at=start + dt.timedelta(minutes=n))
    held = Ticket.objects.filter(window=hall.window, state=TicketState.CALLED).first()
    if held:
        calling.skip(ticket_id=held.pk, actor=hall.clerk)
    for _n in range(min(rows, 3)):  # some skipped, one held
        ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
        calling.skip(ticket_id=ticket.pk, actor=hall.clerk)
    calling.call_next(window_id=hall.window.pk, actor=hall.clerk)


def test_the_panel_reads_a_constant_number_of_queries(desk, hall, django_assert_max_num_queries):
    plant(hall, 1)
    # The session and user, the window, the areas with their counts, the held ticket, its filings,
    # the areas to transfer to, the skipped tickets (and the test client's savepoints).
    with django_assert_max_num_queries(14) as one:
        panel(desk)
    plant(hall, 30)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = panel(desk)
    assert page.count("calling-recall-skipped-") == 5
