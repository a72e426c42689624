"""The hall figures (大厅运行统计) on a planted data set: waiting and handling times per area, window,
hour and day, and the no-show rate, each worked out by hand below; on the page, in the API and in the
.xlsx download; who sees which; constant queries. Runs on SQLite and on PostgreSQL (DATABASE_URL):
the durations are summed by the database, differently on each."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.visits.figures import HallFiguresForm, Query, figures_for
from apps.visits.models import (
    Appointment,
    AppointmentSlot,
    AppointmentState,
    Ticket,
    TicketSource,
    TicketState,
)
from tests.factories.accounts import (
    DepartmentFactory,
    ServiceCentreFactory,
    UserFactory,
    WindowFactory,
    make_staff,
)
from tests.factories.catalogue import ApprovalCategoryFactory, make_item
from tests.factories.visits import ServiceAreaFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D0 = dt.date(2026, 2, 27)  # the Friday before: outside the range
D1 = dt.date(2026, 3, 2)  # Monday
D2 = dt.date(2026, 3, 3)  # Tuesday
# "Now" is D2 at 15:00: the 14:30–15:00 slot has just ended, the 16:00 one not yet.
NOW = dt.datetime(2026, 3, 3, 15, 0, tzinfo=SHANGHAI)
RANGE = Query(D1, D2)
PARAMS = {"from": "2026-03-02", "to": "2026-03-03"}


def at(day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=SHANGHAI)


@dataclass
class Hall:
    centre: object
    a: object  # area A · 市场准入
    b: object  # area B · 投资建设
    w1: object  # window A01
    w2: object  # window A02
    other: object  # another centre, with tickets and appointments of its own


def ticket(area, day, issued, *, state, window=None, called=None, started=None, finished=None, **fields):
    """A ticket of ``area`` as the calling services leave it: issued at ``issued`` (h, m[, s]), first
    called, started and finished at the times given (None: never)."""
    sequence = Ticket.objects.filter(area=area, day=day).count() + 1

    def when(hms):
        return at(day, *hms) if hms else None

    return Ticket.objects.create(
        centre_id=area.centre_id,
        area=area,
        day=day,
        sequence=sequence,
        number=f"{area.prefix}{sequence:03d}",
        source=fields.pop("source", TicketSource.WALK_IN),
        name="张三",
        state=state,
        issued_at=when(issued),
        waiting_since=fields.pop("waiting_since", when(issued)),
        first_called_at=when(called),
        called_at=fields.pop("called_at", when(called)),
        window=window,
        started_at=when(started),
        finished_at=when(finished),
        **fields,
    )


def appointment(area, day, starts, state, *, item):
    """A booking of ``area``'s half-hour slot starting at ``starts`` (h, m) on ``day``, in ``state``."""
    start = dt.time(*starts)
    end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=30)).time()
    slot, _created = AppointmentSlot.objects.get_or_create(
        area=area, date=day, starts_at=start, defaults={"ends_at": end, "capacity": 8}
    )
    return Appointment.objects.create(
        number=f"YY{Appointment.objects.count() + 1:06d}",
        citizen=UserFactory(),
        slot=slot,
        item=item,
        name="李四",
        id_number="350102199001011234",
        phone="13800000000",
        state=state,
    )


def plant() -> Hall:
    """The known data set. Times are local (Asia/Shanghai); minutes of waiting (first call − issue)
    and of handling (finish − start) are in the comments."""
    centre = ServiceCentreFactory()
    w1 = WindowFactory(centre=centre, number="A01")
    w2 = WindowFactory(centre=centre, number="A02")
    a = ServiceAreaFactory(centre=centre, category=ApprovalCategoryFactory(), prefix="A", windows=[w1, w2])
    b = ServiceAreaFactory(centre=centre, category=ApprovalCategoryFactory(), prefix="B", windows=[w2])
    item = make_item(department=DepartmentFactory(centre=centre))
    S = TicketState

    # --- appointments (slot date in the range, slot ended by NOW, not cancelled) ---
    booked_a1 = appointment(a, D1, (9, 0), AppointmentState.CHECKED_IN, item=item)  # A: due
    appointment(a, D1, (9, 0), AppointmentState.NO_SHOW, item=item)  # A: due, no-show
    appointment(a, D1, (9, 0), AppointmentState.CANCELLED, item=item)  # left out
    appointment(a, D1, (9, 0), AppointmentState.BOOKED, item=item)  # A: due (no-show not recorded yet)
    appointment(a, D2, (9, 0), AppointmentState.NO_SHOW, item=item)  # A: due, no-show
    appointment(a, D2, (14, 30), AppointmentState.CHECKED_IN, item=item)  # A: due (ended 15:00 = NOW)
    appointment(a, D2, (16, 0), AppointmentState.BOOKED, item=item)  # not ended yet: left out
    appointment(a, D0, (9, 0), AppointmentState.NO_SHOW, item=item)  # outside the range
    appointment(b, D1, (10, 0), AppointmentState.NO_SHOW, item=item)  # B: due, no-show
    appointment(b, D1, (10, 0), AppointmentState.CHECKED_IN, item=item)  # B: due
    appointment(b, D1, (10, 30), AppointmentState.CHECKED_IN, item=item)  # B: due

    # --- tickets ---
    # D1, area A
    ticket(
        a,
        D1,
        (9, 0),
        state=S.DONE,
        window=w1,
        called=(9, 10),
        started=(9, 12),
        finished=(9, 30),
        appointment=booked_a1,
        source=TicketSource.APPOINTMENT,
    )  # wait 10, handling 18
    ticket(
        a, D1, (9, 20), state=S.DONE, window=w1, called=(9, 50), started=(9, 51), finished=(10, 3)
    )  # 30, 12
    ticket(a, D1, (10, 5), state=S.ABANDONED, window=w2, called=(10, 25))  # wait 20, skipped, never served
    # D1, area B
    ticket(
        b, D1, (10, 40), state=S.DONE, window=w2, called=(10, 45), started=(10, 46), finished=(11, 26)
    )  # 5, 40
    ticket(b, D1, (11, 0), state=S.ABANDONED)  # never called
    # D2: taken for B at 14:00, called there at 14:07, transferred to A at 14:20 (calling.transfer
    # starts the wait again and clears the first call), called at A02 at 14:30 and served there: the
    # wait counted is A's, 10; handling 14:31:00–14:46:30 = 15.5.
    ticket(
        a,
        D2,
        (14, 0),
        state=S.DONE,
        window=w2,
        called=(14, 30),
        started=(14, 31),
        finished=(14, 46, 30),
        transferred_from=b,
        waiting_since=at(D2, 14, 20),
    )
    ticket(b, D2, (16, 30), state=S.WAITING)  # still waiting
    # Outside the range: not counted.
    ticket(a, D0, (9, 0), state=S.DONE, window=w1, called=(9, 1), started=(9, 2), finished=(9, 3))

    # Another centre's hall on the same days: never in this centre's figures.
    other = ServiceCentreFactory()
    elsewhere = ServiceAreaFactory(centre=other, category=ApprovalCategoryFactory(), prefix="A")
    ow = WindowFactory(centre=other, number="Z01")
    elsewhere.windows.add(ow)
    ticket(
        elsewhere, D1, (9, 0), state=S.DONE, window=ow, called=(10, 40), started=(10, 41), finished=(11, 0)
    )
    appointment(elsewhere, D1, (9, 0), AppointmentState.NO_SHOW, item=item)
    return Hall(centre, a, b, w1, w2, other)


@pytest.fixture
def hall():
    return plant()


@pytest.fixture
def supervisor(hall):
    return make_staff(Role.SUPERVISOR, centre=hall.centre)


def d(value: str) -> Decimal:
    return Decimal(value)


def times(t) -> tuple:
    """(issued, done, not served, waits counted, average wait, longest wait, handled, average
    handling, longest handling)"""
    return (
        t.issued,
        t.done,
        t.abandoned,
        t.waited,
        t.average_wait,
        t.longest_wait,
        t.handled,
        t.average_handling,
        t.longest_handling,
    )


def test_per_area_with_the_no_show_rate(hall, supervisor):
    figures = figures_for(supervisor, RANGE, now=NOW)
    areas = {row.key: row for row in figures.areas}
    assert set(areas) == {hall.a.pk, hall.b.pk}
    # A: 4 tickets (3 served, 1 not); waits 10 + 30 + 20 + 10 = 70 over 4 = 17.5, longest 30;
    # handling 18 + 12 + 15.5 = 45.5 over 3 = 15.1666… → 15.2, longest 18.
    assert times(areas[hall.a.pk].times) == (4, 3, 1, 4, d("17.5"), d("30.0"), 3, d("15.2"), d("18.0"))
    assert areas[hall.a.pk].times.booked == 1
    # B: 3 tickets (1 served, 1 not, 1 waiting); one wait of 5; one handling of 40.
    assert times(areas[hall.b.pk].times) == (3, 1, 1, 1, d("5.0"), d("5.0"), 1, d("40.0"), d("40.0"))
    # A: due 5 (the cancelled one, the 16:00 one and D0's left out), 2 checked in, 2 no-shows → 40.0%.
    a = areas[hall.a.pk].appointments
    assert (a.due, a.checked_in, a.no_shows, a.rate) == (5, 2, 2, d("40.0"))
    # B: due 3, 2 checked in, 1 no-show → 33.3%.
    b = areas[hall.b.pk].appointments
    assert (b.due, b.checked_in, b.no_shows, b.rate) == (3, 2, 1, d("33.3"))
    assert areas[hall.a.pk].name == f"A · {hall.a.category.name}"


def test_overall(hall, supervisor):
    figures = figures_for(supervisor, RANGE, now=NOW)
    # 7 tickets; waits 70 + 5 = 75 over 5 = 15.0; handling 45.5 + 40 = 85.5 over 4 = 21.375 → 21.4.
    assert times(figures.overall) == (7, 4, 2, 5, d("15.0"), d("30.0"), 4, d("21.4"), d("40.0"))
    # Due 8, no-shows 3 → 37.5%.
    overall = figures.appointments
    assert (overall.due, overall.checked_in, overall.no_shows, overall.rate) == (8, 4, 3, d("37.5"))


def test_per_window(hall, supervisor):
    windows = {row.key: row for row in figures_for(supervisor, RANGE, now=NOW).windows}
    # Never-called tickets have no window: only A01 and A02.
    assert set(windows) == {hall.w1.pk, hall.w2.pk}
    # A01: waits 10 + 30 = 40 over 2 = 20.0; handling 18 + 12 = 30 over 2 = 15.0.
    assert times(windows[hall.w1.pk].times) == (2, 2, 0, 2, d("20.0"), d("30.0"), 2, d("15.0"), d("18.0"))
    # A02: waits 20 + 5 + 10 = 35 over 3 = 11.666… → 11.7; handling 40 + 15.5 = 55.5 over 2 = 27.75 → 27.8.
    assert times(windows[hall.w2.pk].times) == (3, 2, 1, 3, d("11.7"), d("20.0"), 2, d("27.8"), d("40.0"))
    assert windows[hall.w1.pk].name == hall.w1.number


def test_per_hour_of_the_day_in_local_time(hall, supervisor):
    hours = {row.hour: row.times for row in figures_for(supervisor, RANGE, now=NOW).hours}
    # The hour the number was taken, in Shanghai (09:00 there is 01:00 UTC).
    assert list(hours) == [9, 10, 11, 14, 16]
    assert times(hours[9]) == (2, 2, 0, 2, d("20.0"), d("30.0"), 2, d("15.0"), d("18.0"))
    # 10: waits 20 and 5 → 12.5; one handling of 40.
    assert times(hours[10]) == (2, 1, 1, 2, d("12.5"), d("20.0"), 1, d("40.0"), d("40.0"))
    assert times(hours[11]) == (1, 0, 1, 0, None, None, 0, None, None)
    assert times(hours[14]) == (1, 1, 0, 1, d("10.0"), d("10.0"), 1, d("15.5"), d("15.5"))
    assert times(hours[16]) == (1, 0, 0, 0, None, None, 0, None, None)


def test_tickets_per_day(hall, supervisor):
    days = {row.day: row.times for row in figures_for(supervisor, RANGE, now=NOW).days}
    assert list(days) == [D1, D2]
    # D1: 5 tickets; waits 10 + 30 + 20 + 5 = 65 over 4 = 16.25 → 16.3; handling 18 + 12 + 40 = 70 over
    # 3 = 23.333… → 23.3.
    assert times(days[D1]) == (5, 3, 2, 4, d("16.3"), d("30.0"), 3, d("23.3"), d("40.0"))
    assert days[D1].booked == 1
    assert times(days[D2]) == (2, 1, 0, 1, d("10.0"), d("10.0"), 1, d("15.5"), d("15.5"))
    # Widening the range to D0 adds its one ticket (waited 1 minute).
    wider = {row.day: row.times for row in figures_for(supervisor, Query(D0, D2), now=NOW).days}
    assert times(wider[D0]) == (1, 1, 0, 1, d("1.0"), d("1.0"), 1, d("1.0"), d("1.0"))


def test_another_centre_and_non_supervisors_see_nothing_of_it(hall):
    elsewhere = make_staff(Role.SUPERVISOR, centre=hall.other)
    figures = figures_for(elsewhere, RANGE, now=NOW)
    assert [row.times.issued for row in figures.areas] == [1]
    assert figures.overall.average_wait == d("100.0")  # 09:00 → 10:40: their own ticket only
    department_only = make_staff(
        Role.SUPERVISOR, centre=hall.centre, department=DepartmentFactory(centre=hall.centre)
    )
    nothing = figures_for(department_only, RANGE, now=NOW)
    assert nothing.areas == nothing.windows == nothing.hours == nothing.days == []
    clerk = make_staff(Role.CLERK, centre=hall.centre)
    assert figures_for(clerk, RANGE, now=NOW).overall.issued == 0


def test_a_supervisor_of_two_centres_chooses_one(client, hall, supervisor):
    from apps.accounts.services import assign_role

    assign_role(user=supervisor, role=Role.SUPERVISOR, centre=hall.other)
    both = figures_for(supervisor, RANGE, now=NOW)
    assert both.overall.issued == 7 + 1 and both.appointments.due == 8 + 1
    form = HallFiguresForm(
        {"from": "2026-03-02", "to": "2026-03-03", "centre": hall.other.pk}, user=supervisor
    )
    assert form.is_valid(), form.errors
    one = figures_for(supervisor, form.query(), now=NOW)
    assert one.overall.issued == 1 and one.appointments.no_shows == 1
    # On the page, each row of several centres names its centre.
    client.force_login(supervisor)
    page = client.get(reverse("desks:hall_figures"), PARAMS).content.decode()
    areas = page.split('data-testid="hall-figures-areas"')[1].split("</table>")[0]
    assert hall.centre.name in areas and hall.other.name in areas


def test_the_filters_default_and_refuse_bad_values(hall, supervisor):
    with time_machine.travel(NOW, tick=False):
        form = HallFiguresForm({}, user=supervisor)
        assert form.is_valid()
        assert (form.query().date_from, form.query().date_to) == (dt.date(2026, 2, 2), D2)
    assert not HallFiguresForm({"from": "2026-03-03", "to": "2026-03-02"}, user=supervisor).is_valid()
    assert not HallFiguresForm({"from": "2025-01-01", "to": "2026-03-02"}, user=supervisor).is_valid()
    # A centre the user does not supervise is not a choice.
    foreign = HallFiguresForm({"centre": hall.other.pk}, user=supervisor)
    assert not foreign.is_valid() and "centre" in foreign.errors


def test_the_page_shows_the_numbers(client, hall, supervisor):
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("desks:hall_figures"), PARAMS)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("desks:hall_figures")}" aria-current="page"' in page  # the section's tab

    def row(testid: str) -> str:
        return page.split(f'data-testid="{testid}"')[1].split("</tr>")[0]

    def cell(html: str, figure: str) -> str:
        return html.split(f'data-figure="{figure}">')[1].split("<")[0]

    area_a = row(f"area-{hall.a.pk}")
    assert [cell(area_a, f) for f in ("issued", "average-wait", "average-handling", "no-show-rate")] == [
        "4",
        "17.5",
        "15.2",
        "40.0%",
    ]
    window_2 = row(f"window-{hall.w2.pk}")
    assert [cell(window_2, f) for f in ("average-wait", "average-handling")] == ["11.7", "27.8"]
    eleven = row("hour-11")
    assert cell(eleven, "average-wait") == "—" and "11:00" in eleven and "<meter" in eleven
    day_1 = row("day-2026-03-02")
    assert [cell(day_1, f) for f in ("booked", "issued", "done", "abandoned")] == ["1", "5", "3", "2"]
    overall = page.split('data-testid="hall-figures-overall"')[1].split("</table>")[0]
    assert cell(overall, "average-wait") == "15.0" and cell(overall, "no-show-rate") == "37.5%"
    assert reverse("desks:hall_figures_export") in page
    # Nothing of the other centre; one centre's rows do not repeat its name.
    assert hall.other.name not in page
    assert hall.centre.name not in page.split('data-testid="hall-figures-areas"')[1]


def test_the_supervision_desk_links_to_the_figures(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("desks:supervision")).content.decode()
    assert reverse("desks:hall_figures") in page


def test_a_bad_filter_is_named(english, hall, supervisor):
    english.force_login(supervisor)
    response = english.get(reverse("desks:hall_figures"), {"from": "2026-03-03", "to": "2026-03-02"})
    assert response.status_code == 400
    assert "The first day is after the last." in response.content.decode()
    api = english.get("/api/v1/hall-figures/", {"from": "2026-03-03", "to": "2026-03-02"})
    assert api.status_code == 400 and "from" in api.json()
    export = english.get(reverse("desks:hall_figures_export"), {"centre": hall.other.pk})
    assert export.status_code == 400


def test_the_download_has_the_same_numbers(client, hall, supervisor):
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("desks:hall_figures_export"), PARAMS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "hall-figures-20260302-20260303.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    areas, windows, hours, days = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets[:4])
    # centre, area, tickets, served, not served, with appointment, called, avg wait, longest wait,
    # handled, avg handling, longest handling, due, checked in, no-shows, rate
    by_name = {row[1]: row for row in areas[1:]}
    assert by_name[f"A · {hall.a.category.name}"][2:] == (
        4,
        3,
        1,
        1,
        4,
        17.5,
        30.0,
        3,
        15.2,
        18.0,
        5,
        2,
        2,
        40.0,
    )
    assert areas[-1][2:] == (7, 4, 2, 1, 5, 15.0, 30.0, 4, 21.4, 40.0, 8, 4, 3, 37.5)  # all
    assert [row[1] for row in windows[1:]] == [hall.w1.number, hall.w2.number]
    assert [row[0] for row in hours[1:]] == ["09:00", "10:00", "11:00", "14:00", "16:00"]
    assert hours[3][6] is None  # 11:00: nobody called yet
    assert days[1][:2] == ("2026-03-02", 5)


def test_the_api_gives_the_same_numbers(client, hall, supervisor):
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/api/v1/hall-figures/", PARAMS)
    assert response.status_code == 200
    body = response.json()
    assert (body["date_from"], body["date_to"]) == ("2026-03-02", "2026-03-03")
    assert body["overall"]["average_wait_minutes"] == "15.0"
    assert body["overall"]["average_handling_minutes"] == "21.4"
    assert body["appointments"] == {"due": 8, "checked_in": 4, "no_shows": 3, "no_show_rate": "37.5"}
    area_b = next(row for row in body["areas"] if row["id"] == hall.b.pk)
    assert area_b["times"]["tickets"] == 3 and area_b["appointments"]["no_show_rate"] == "33.3"
    assert [row["hour"] for row in body["hours"]] == [9, 10, 11, 14, 16]
    assert body["hours"][2]["times"]["average_wait_minutes"] is None
    assert [(row["day"], row["times"]["tickets"]) for row in body["days"]] == [
        ("2026-03-02", 5),
        ("2026-03-03", 2),
    ]
    w2 = next(row for row in body["windows"] if row["id"] == hall.w2.pk)
    assert w2["times"]["average_handling_minutes"] == "27.8"


def test_only_supervisors(client, hall):
    client.force_login(make_staff(Role.CLERK, centre=hall.centre))
    assert client.get(reverse("desks:hall_figures")).status_code == 403
    assert client.get(reverse("desks:hall_figures_export")).status_code == 403
    assert client.get("/api/v1/hall-figures/").status_code == 403
    client.logout()
    assert client.get("/api/v1/hall-figures/").status_code in (401, 403)
    assert client.get(reverse("desks:hall_figures")).status_code == 302  # to the login page


def test_queries_do_not_grow_with_the_rows(client, django_assert_max_num_queries, hall, supervisor):
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(20) as page:
            assert client.get(reverse("desks:hall_figures"), PARAMS).status_code == 200
        with django_assert_max_num_queries(20) as api:
            assert client.get("/api/v1/hall-figures/", PARAMS).status_code == 200
    # Three more halls' worth of areas, windows, tickets and appointments at the same centre (other
    # categories and prefixes): the same queries.
    for prefixes in ("CD", "EF", "GH"):
        extra_a = ServiceAreaFactory(
            centre=hall.centre, category=ApprovalCategoryFactory(), prefix=prefixes[0]
        )
        extra_b = ServiceAreaFactory(
            centre=hall.centre, category=ApprovalCategoryFactory(), prefix=prefixes[1]
        )
        window = WindowFactory(centre=hall.centre, number=f"X{prefixes}")
        for area in (extra_a, extra_b):
            for hour in (8, 12, 13):
                ticket(
                    area,
                    D1,
                    (hour, 0),
                    state=TicketState.DONE,
                    window=window,
                    called=(hour, 5),
                    started=(hour, 6),
                    finished=(hour, 9),
                )
            appointment(area, D1, (9, 0), AppointmentState.NO_SHOW, item=Appointment.objects.first().item)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(len(page.captured_queries)):
            html = client.get(reverse("desks:hall_figures"), PARAMS).content.decode()
        with django_assert_max_num_queries(len(api.captured_queries)):
            body = client.get("/api/v1/hall-figures/", PARAMS).json()
    assert html.count('data-testid="area-') == 8 and html.count('data-testid="window-') == 5
    assert len(body["areas"]) == 8 and len(body["hours"]) == 8


def test_the_figures_of_tickets_taken_and_called_through_the_services():
    """The same definitions over what ticketing and calling write (not planted rows): a transferred
    ticket counts its wait and handling in the area it went to, at the window that served it there."""
    from apps.visits import calling, ticketing
    from tests.factories.visits import open_hall

    centre = ServiceCentreFactory()
    open_hall(centre)
    window = WindowFactory(centre=centre, number="A01")
    a = ServiceAreaFactory(centre=centre, category=ApprovalCategoryFactory(), prefix="A", windows=[window])
    b = ServiceAreaFactory(centre=centre, category=ApprovalCategoryFactory(), prefix="B", windows=[window])
    clerk = make_staff(Role.CLERK, centre=centre, window=window)

    def walk_in(minute):
        return ticketing.issue_ticket(
            centre_id=centre.pk, source=TicketSource.WALK_IN, area_id=a.pk, now=at(D1, 9, minute)
        )

    first, second = walk_in(0), walk_in(5)
    assert calling.call_next(window_id=window.pk, actor=clerk, now=at(D1, 9, 10)) == first  # waited 10
    calling.start(ticket_id=first.pk, actor=clerk, now=at(D1, 9, 12))
    calling.finish(ticket_id=first.pk, actor=clerk, now=at(D1, 9, 30))  # handled 18
    assert calling.call_next(window_id=window.pk, actor=clerk, now=at(D1, 9, 31)) == second  # 26 in A
    calling.transfer(ticket_id=second.pk, area_id=b.pk, actor=clerk, now=at(D1, 9, 33))
    assert calling.call_next(window_id=window.pk, actor=clerk, now=at(D1, 9, 40)) == second  # 7 in B
    calling.start(ticket_id=second.pk, actor=clerk, now=at(D1, 9, 41))
    calling.finish(ticket_id=second.pk, actor=clerk, now=at(D1, 9, 50))  # handled 9

    figures = figures_for(make_staff(Role.SUPERVISOR, centre=centre), RANGE, now=NOW)
    areas = {row.key: row.times for row in figures.areas}
    assert times(areas[a.pk]) == (1, 1, 0, 1, d("10.0"), d("10.0"), 1, d("18.0"), d("18.0"))
    assert times(areas[b.pk]) == (1, 1, 0, 1, d("7.0"), d("7.0"), 1, d("9.0"), d("9.0"))
    # A01: waits 10 + 7 = 17 over 2 = 8.5; handling 18 + 9 = 27 over 2 = 13.5.
    assert [(row.key, times(row.times)) for row in figures.windows] == [
        (window.pk, (2, 2, 0, 2, d("8.5"), d("10.0"), 2, d("13.5"), d("18.0")))
    ]
    assert [(row.hour, row.times.issued) for row in figures.hours] == [(9, 2)]
