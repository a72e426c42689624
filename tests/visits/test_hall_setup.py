"""The hall's set-up (大厅设置): service areas, their windows and the opening hours, by a supervisor of
the whole centre only — through the services, the supervision desk's page and the API; the slots of the
days ahead follow each change."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.models import WindowKind
from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.visits import areas
from apps.visits.models import AppointmentSlot, OpeningPeriod, ServiceArea
from apps.worktime import calendar
from tests.factories import DepartmentFactory, ServiceCentreFactory, WindowFactory, make_staff
from tests.factories.catalogue import ApprovalCategoryFactory
from tests.factories.visits import ServiceAreaFactory, open_hall
from tests.hall.test_api_schema import assert_conforms, schema  # noqa: F401 - the schema fixture

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Thursday 24 September 2026, before opening; the 25th–27th are a holiday.
MORNING = dt.datetime(2026, 9, 24, 8, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True)
def thursday_morning():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def centre():
    centre = ServiceCentreFactory()
    open_hall(centre)
    return centre


@pytest.fixture
def supervisor(centre):
    return make_staff(Role.SUPERVISOR, centre=centre)


def _windows(centre, *numbers, kind=WindowKind.COMPREHENSIVE):
    return [WindowFactory(centre=centre, number=number, kind=kind) for number in numbers]


# --- services ------------------------------------------------------------------------------------------


def test_a_supervisor_adds_an_area_with_its_windows_and_its_slots_open(centre, supervisor, settings):
    settings.HALL_BOOKING_DAYS = 2
    a01, a02 = _windows(centre, "A01", "A02")
    category = ApprovalCategoryFactory(name="市场准入")
    area = areas.create_area(
        centre_id=centre.pk,
        category_id=category.pk,
        prefix="a",
        slot_capacity=3,
        window_ids=[a01.pk, a02.pk],
        actor=supervisor,
    )
    assert (area.prefix, area.slot_capacity) == ("A", 3)
    assert set(area.windows.all()) == {a01, a02}
    assert list(areas.areas_of_window(a01.pk)) == [area]
    # Today and the next working day (Monday, after the holiday): 13 slots each, 3 places.
    days = set(AppointmentSlot.objects.filter(area=area).values_list("date", flat=True))
    assert days == {dt.date(2026, 9, 24), dt.date(2026, 9, 28)}
    assert set(AppointmentSlot.objects.filter(area=area).values_list("capacity", flat=True)) == {3}
    [logged] = TransitionLog.objects.filter(content_type__model="servicearea", object_id=str(area.pk))
    assert (logged.transition, logged.actor, logged.context["windows"]) == (
        "service_area_created",
        supervisor,
        ["A01", "A02"],
    )


@pytest.mark.parametrize(
    "who",
    [
        lambda centre: make_staff(Role.SUPERVISOR),  # another centre's
        lambda centre: make_staff(
            Role.SUPERVISOR, department=DepartmentFactory(centre=centre)
        ),  # one department's
        lambda centre: make_staff(Role.CLERK, centre=centre),
        lambda centre: make_staff(Role.CITIZEN),
    ],
    ids=["other centre", "department supervisor", "clerk", "citizen"],
)
def test_only_a_supervisor_of_the_whole_centre_sets_up_its_hall(centre, who, source_language):
    actor = who(centre)
    area = ServiceAreaFactory(centre=centre)
    with pytest.raises(PermissionDenied, match="Only a supervisor of the service centre"):
        areas.create_area(
            centre_id=centre.pk,
            category_id=ApprovalCategoryFactory().pk,
            prefix="Q",
            slot_capacity=2,
            actor=actor,
        )
    with pytest.raises(PermissionDenied):
        areas.update_area(area_id=area.pk, slot_capacity=9, actor=actor)
    with pytest.raises(PermissionDenied):
        areas.add_opening_period(centre_id=centre.pk, starts_at=dt.time(18), ends_at=dt.time(19), actor=actor)
    period = OpeningPeriod.objects.filter(centre=centre).first()
    with pytest.raises(PermissionDenied):
        areas.remove_opening_period(period_id=period.pk, actor=actor)
    area.refresh_from_db()
    assert area.slot_capacity == 4 and OpeningPeriod.objects.filter(centre=centre).count() == 2


def test_area_rules_are_refused_with_their_reason(centre, supervisor, source_language):
    taken = ServiceAreaFactory(centre=centre, prefix="A")
    elsewhere = ServiceCentreFactory()
    [foreign] = _windows(elsewhere, "A09")
    [issuing] = _windows(centre, "C01", kind=WindowKind.ISSUING)

    def add(**values):
        values = {"category_id": ApprovalCategoryFactory().pk, "prefix": "B", "slot_capacity": 2, **values}
        return areas.create_area(centre_id=centre.pk, actor=supervisor, **values)

    with pytest.raises(ValidationError, match="already has an area for this approval category"):
        add(category_id=taken.category_id)
    with pytest.raises(ValidationError, match="Another area of the centre has this ticket prefix"):
        add(prefix="a")
    with pytest.raises(ValidationError, match="one capital letter"):
        add(prefix="7")
    with pytest.raises(ValidationError, match="at least one appointment"):
        add(slot_capacity=0)
    with pytest.raises(ValidationError, match="comprehensive windows of its own centre"):
        add(window_ids=[foreign.pk])
    with pytest.raises(ValidationError, match="comprehensive windows of its own centre"):
        add(window_ids=[issuing.pk])
    assert list(ServiceArea.objects.filter(centre=centre)) == [taken]


def test_changing_an_area_logs_what_changed_and_its_slots_follow(centre, supervisor, settings):
    settings.HALL_BOOKING_DAYS = 1
    [a01, a02] = _windows(centre, "A01", "A02")
    area = areas.create_area(
        centre_id=centre.pk,
        category_id=ApprovalCategoryFactory().pk,
        prefix="A",
        slot_capacity=4,
        window_ids=[a01.pk],
        actor=supervisor,
    )
    areas.update_area(area_id=area.pk, slot_capacity=6, window_ids=[a02.pk], actor=supervisor)
    assert set(AppointmentSlot.objects.filter(area=area).values_list("capacity", flat=True)) == {6}
    assert list(area.windows.all()) == [a02]
    changed = TransitionLog.objects.get(object_id=str(area.pk), transition="service_area_changed")
    assert changed.context == {"slot_capacity": 6, "windows": ["A02"]}

    # Saving the same values again changes and logs nothing.
    areas.update_area(area_id=area.pk, slot_capacity=6, window_ids=[a02.pk], actor=supervisor)
    assert (
        TransitionLog.objects.filter(object_id=str(area.pk), transition="service_area_changed").count() == 1
    )

    # Closed: its unbooked slots go, and no window calls for it any more.
    areas.update_area(area_id=area.pk, is_active=False, actor=supervisor)
    assert not AppointmentSlot.objects.filter(area=area).exists()
    assert not areas.areas_of_window(a02.pk).exists()


def test_opening_periods_do_not_overlap_and_the_slots_follow_them(
    centre, supervisor, source_language, settings
):
    settings.HALL_BOOKING_DAYS = 1
    area = ServiceAreaFactory(centre=centre)
    with pytest.raises(ValidationError, match="overlap the opening period 13:30–17:00"):
        areas.add_opening_period(
            centre_id=centre.pk, starts_at=dt.time(16, 30), ends_at=dt.time(18), actor=supervisor
        )
    with pytest.raises(ValidationError, match="closes after it opens"):
        areas.add_opening_period(
            centre_id=centre.pk, starts_at=dt.time(19), ends_at=dt.time(18), actor=supervisor
        )
    evening = areas.add_opening_period(
        centre_id=centre.pk, starts_at=dt.time(17), ends_at=dt.time(18), actor=supervisor
    )
    assert AppointmentSlot.objects.filter(area=area, starts_at__gte=dt.time(17)).count() == 2
    areas.change_opening_period(
        period_id=evening.pk, starts_at=dt.time(17), ends_at=dt.time(17, 30), actor=supervisor
    )
    assert AppointmentSlot.objects.filter(area=area, starts_at__gte=dt.time(17)).count() == 1
    booked = AppointmentSlot.objects.get(area=area, starts_at=dt.time(17))
    AppointmentSlot.objects.filter(pk=booked.pk).update(booked=1)
    areas.remove_opening_period(period_id=evening.pk, actor=supervisor)
    # The booked evening slot stays for its booking; nothing new is offered then.
    assert list(AppointmentSlot.objects.filter(area=area, starts_at__gte=dt.time(17))) == [booked]
    assert (
        TransitionLog.objects.filter(
            content_type__model="openingperiod",
            transition__in=["opening_period_added", "opening_period_changed", "opening_period_removed"],
        ).count()
        == 3
    )


# --- the page --------------------------------------------------------------------------------------------


def test_the_page_shows_areas_hours_and_the_days_ahead(english, centre, supervisor, settings):
    client = english
    settings.HALL_BOOKING_DAYS = 2
    [a01] = _windows(centre, "A01")
    area = ServiceAreaFactory(centre=centre, prefix="A", slot_capacity=2, windows=[a01])
    areas.update_area(area_id=area.pk, slot_capacity=3, actor=supervisor)  # generates the slots
    AppointmentSlot.objects.filter(area=area, date=dt.date(2026, 9, 28), starts_at=dt.time(9)).update(
        booked=2
    )
    client.force_login(supervisor)
    page = client.get(reverse("desks:hall_setup"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="hall-area-A"' in text and "A01" in text and area.category.name in text
    assert 'value="09:00"' in text and 'value="17:00"' in text
    # 13 slots of 3 places: Thursday none booked, Monday two (the holiday in between is not shown).
    assert "0 of 39 booked · 39 left (13 slots)" in text
    assert "2 of 39 booked · 37 left (13 slots)" in text
    assert "2026-09-25" not in text


def test_the_page_reads_the_same_queries_for_one_area_or_many(
    client, centre, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    ServiceAreaFactory(centre=centre, windows=_windows(centre, "A01"))
    areas.update_area(area_id=ServiceArea.objects.get().pk, slot_capacity=5, actor=supervisor)
    client.get(reverse("desks:hall_setup"))  # warm the session and the calendar
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("desks:hall_setup"))
    for n in range(5):
        area = ServiceAreaFactory(centre=centre, windows=_windows(centre, f"B0{n}", f"C1{n}"))
        areas.update_area(area_id=area.pk, slot_capacity=5, actor=supervisor)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("desks:hall_setup"))
    assert len(re.findall(r'data-testid="hall-area-[A-Z]"', page.content.decode())) == 6


def test_adding_an_area_and_hours_on_the_page(english, centre, supervisor):
    client = english
    [a01] = _windows(centre, "A01")
    category = ApprovalCategoryFactory(name="投资建设")
    client.force_login(supervisor)
    done = client.post(
        reverse("desks:hall_area_create"),
        {
            "centre": centre.pk,
            "category": category.pk,
            "prefix": "b",
            "slot_capacity": 5,
            "order": 1,
            "windows": [a01.pk],
        },
    )
    assert done.status_code == 302
    area = ServiceArea.objects.get(centre=centre)
    assert (area.prefix, area.slot_capacity, list(area.windows.all())) == ("B", 5, [a01])
    page = client.get(done.url).content.decode()
    assert "Service area B · 投资建设 added" in page

    # The same prefix again: refused with the reason, nothing added.
    again = client.post(
        reverse("desks:hall_area_create"),
        {
            "centre": centre.pk,
            "category": ApprovalCategoryFactory().pk,
            "prefix": "B",
            "slot_capacity": 5,
            "order": 0,
        },
        follow=True,
    )
    assert "Another area of the centre has this ticket prefix." in again.content.decode()
    assert ServiceArea.objects.filter(centre=centre).count() == 1

    client.post(
        reverse("desks:hall_period_add"), {"centre": centre.pk, "starts_at": "18:00", "ends_at": "19:00"}
    )
    assert OpeningPeriod.objects.filter(centre=centre, starts_at=dt.time(18)).exists()

    edit = client.post(
        reverse("desks:hall_area", args=[area.pk]),
        {"category": category.pk, "prefix": "B", "slot_capacity": 2, "order": 1, "windows": []},
    )
    assert edit.status_code == 302
    area.refresh_from_db()
    assert (area.slot_capacity, area.is_active, area.windows.count()) == (2, False, 0)


def test_another_centres_area_is_not_found_and_others_are_refused(english, centre, supervisor):
    client = english
    area = ServiceAreaFactory(centre=centre)
    period = OpeningPeriod.objects.filter(centre=centre).first()
    client.force_login(make_staff(Role.SUPERVISOR))
    assert client.get(reverse("desks:hall_area", args=[area.pk])).status_code == 404
    assert client.post(reverse("desks:hall_period_remove", args=[period.pk])).status_code == 404
    client.force_login(make_staff(Role.SUPERVISOR, department=DepartmentFactory(centre=centre)))
    assert (
        "set up by the supervisors of a whole centre"
        in client.get(reverse("desks:hall_setup")).content.decode()
    )
    assert client.get(reverse("desks:hall_area", args=[area.pk])).status_code == 404
    client.force_login(make_staff(Role.CLERK, centre=centre))
    assert client.get(reverse("desks:hall_setup")).status_code == 403
    client.logout()
    assert client.get(reverse("desks:hall_setup")).status_code == 302


# --- the API ---------------------------------------------------------------------------------------------


def test_the_api_reads_a_centres_areas_hours_and_places_left_publicly(client, centre, settings):
    settings.HALL_BOOKING_DAYS = 2
    area = ServiceAreaFactory(centre=centre, prefix="A", slot_capacity=2, windows=_windows(centre, "A01"))
    ServiceAreaFactory(centre=centre, prefix="B", is_active=False)
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)
    areas.update_area(area_id=area.pk, order=1, actor=supervisor)
    AppointmentSlot.objects.filter(area=area, date=dt.date(2026, 9, 28), starts_at=dt.time(9)).update(
        booked=2
    )

    listed = client.get(reverse("api-service-areas"), {"centre": centre.pk})
    assert [(a["prefix"], a["window_numbers"]) for a in listed.json()] == [("A", ["A01"])]
    hours = client.get(reverse("api-opening-periods"), {"centre": centre.pk}).json()
    assert [(p["starts_at"], p["ends_at"]) for p in hours] == [
        ("09:00:00", "12:00:00"),
        ("13:30:00", "17:00:00"),
    ]
    places = client.get(reverse("api-appointment-slots"), {"area": area.pk, "date": "2026-09-28"}).json()
    assert (places[0]["starts_at"], places[0]["left"], places[1]["left"]) == ("09:00:00", 0, 2)
    assert "booked" not in places[0]
    assert client.get(reverse("api-appointment-slots"), {"area": area.pk, "date": "2026-09-25"}).json() == []
    assert client.get(reverse("api-appointment-slots"), {"area": area.pk}).status_code == 400
    assert client.get(reverse("api-service-areas")).status_code == 400  # which centre?
    assert client.get(reverse("api-service-area", args=[area.pk])).json()["prefix"] == "A"
    closed = ServiceArea.objects.get(prefix="B")
    assert client.get(reverse("api-service-area", args=[closed.pk])).status_code == 404
    # Its supervisor sees the closed area too.
    client.force_login(supervisor)
    assert [a["prefix"] for a in client.get(reverse("api-service-areas")).json()] == ["B", "A"]


def test_the_api_writes_are_a_supervisors_of_the_centre(client, centre, supervisor):
    [a01] = _windows(centre, "A01")
    category = ApprovalCategoryFactory()
    body = {
        "centre": centre.pk,
        "category": category.pk,
        "prefix": "C",
        "slot_capacity": 3,
        "windows": [a01.pk],
    }
    assert client.post(reverse("api-service-areas"), body, content_type="application/json").status_code == 403
    client.force_login(make_staff(Role.SUPERVISOR))
    assert client.post(reverse("api-service-areas"), body, content_type="application/json").status_code == 403

    client.force_login(supervisor)
    made = client.post(reverse("api-service-areas"), body, content_type="application/json")
    assert made.status_code == 201
    assert (made.json()["prefix"], made.json()["windows"]) == ("C", [a01.pk])
    area_id = made.json()["id"]
    assert client.post(reverse("api-service-areas"), body, content_type="application/json").status_code == 400
    changed = client.patch(
        reverse("api-service-area", args=[area_id]), {"slot_capacity": 7}, content_type="application/json"
    )
    assert changed.json()["slot_capacity"] == 7

    added = client.post(
        reverse("api-opening-periods"),
        {"centre": centre.pk, "starts_at": "18:00", "ends_at": "19:00"},
        content_type="application/json",
    )
    assert added.status_code == 201
    period = added.json()["id"]
    overlapping = client.patch(
        reverse("api-opening-period", args=[period]),
        {"starts_at": "16:00", "ends_at": "19:00"},
        content_type="application/json",
    )
    assert overlapping.status_code == 400 and "starts_at" in overlapping.json()

    client.force_login(make_staff(Role.SUPERVISOR))  # another centre's supervisor: not found
    assert (
        client.patch(
            reverse("api-service-area", args=[area_id]), {"slot_capacity": 1}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(reverse("api-opening-period", args=[period])).status_code == 404
    client.force_login(supervisor)
    assert client.delete(reverse("api-opening-period", args=[period])).status_code == 204
    assert not OpeningPeriod.objects.filter(pk=period).exists()


# --- the admin -------------------------------------------------------------------------------------------


def test_the_admin_shows_the_hall_and_changes_nothing(client, centre, supervisor):
    from django.contrib import admin

    from apps.accounts.models import User

    area = ServiceAreaFactory(centre=centre)
    areas.update_area(area_id=area.pk, slot_capacity=2, actor=supervisor)
    client.force_login(User.objects.create_superuser("root", password="x"))  # noqa: S106
    models = [model for model in admin.site._registry if model._meta.app_label == "visits"]
    assert len(models) == 8
    for model in models:
        opts = model._meta
        assert client.get(reverse(f"admin:visits_{opts.model_name}_changelist")).status_code == 200, (
            opts.label
        )
        assert client.get(reverse(f"admin:visits_{opts.model_name}_add")).status_code == 403, opts.label
    page = client.get(reverse("admin:visits_servicearea_change", args=[area.pk]))
    assert page.status_code == 200 and b'name="slot_capacity"' not in page.content


def test_the_api_answers_what_its_schema_says(client, centre, supervisor, schema, settings):  # noqa: F811
    settings.HALL_BOOKING_DAYS = 1
    [a01] = _windows(centre, "A01")
    area = ServiceAreaFactory(centre=centre, windows=[a01])
    areas.update_area(area_id=area.pk, slot_capacity=3, actor=supervisor)
    period = OpeningPeriod.objects.filter(centre=centre).first()
    reads = [
        ("/api/v1/service-areas/", reverse("api-service-areas"), {"centre": centre.pk}),
        ("/api/v1/service-areas/{id}/", reverse("api-service-area", args=[area.pk]), {}),
        ("/api/v1/opening-periods/", reverse("api-opening-periods"), {"centre": centre.pk}),
        (
            "/api/v1/appointment-slots/",
            reverse("api-appointment-slots"),
            {"area": area.pk, "date": "2026-09-24"},
        ),
        ("/api/v1/appointment-slots/", reverse("api-appointment-slots"), {"area": "x"}),  # 400
    ]
    for path, url, query in reads:
        assert_conforms(schema, path, "get", client.get(url, query))
    client.force_login(supervisor)
    free = "Z" if area.prefix != "Z" else "Y"
    made = client.post(
        reverse("api-service-areas"),
        # A letter the factory's area does not hold (its letters come from a sequence shared by the run).
        {"centre": centre.pk, "category": ApprovalCategoryFactory().pk, "prefix": free, "slot_capacity": 2},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert_conforms(schema, "/api/v1/service-areas/", "post", made)
    changed = client.patch(
        reverse("api-service-area", args=[area.pk]), {"is_active": False}, content_type="application/json"
    )
    assert_conforms(schema, "/api/v1/service-areas/{id}/", "patch", changed)
    moved = client.patch(
        reverse("api-opening-period", args=[period.pk]),
        {"starts_at": "08:30", "ends_at": "12:00"},
        content_type="application/json",
    )
    assert_conforms(schema, "/api/v1/opening-periods/{id}/", "patch", moved)
    refused = client.post(
        reverse("api-opening-periods"),
        {"centre": centre.pk, "starts_at": "10:00", "ends_at": "11:00"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert_conforms(schema, "/api/v1/opening-periods/", "post", refused)
