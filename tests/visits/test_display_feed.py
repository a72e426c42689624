"""The hall display (大屏): its page and its feed (the page's poll and the API) — the last calls with
the holder's name masked, the waiting per area, today's average wait; never a full name or an ID
number; constant queries; only a paired display of the centre sees it."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.visits import display_feed
from apps.visits.models.codes import CallKind, DeviceKind
from tests.factories.accounts import ServiceCentreFactory, make_staff
from tests.factories.visits import make_device, make_ticket
from tests.visits.display_setup import at_local, call_ticket, called_ticket, hall_areas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the centre's displays share the waiting counts for a second
    yield
    cache.clear()


DAY = dt.date(2026, 9, 24)  # a Thursday
FULL_NAME = "欧阳娜娜"
ID_NUMBER = "350102198506010018"


@pytest.fixture
def centre():
    return ServiceCentreFactory(name="鼓楼区政务服务中心")


@pytest.fixture
def areas(centre):
    return hall_areas(centre)


@pytest.fixture
def display(client, centre):
    device, key = make_device(centre, DeviceKind.DISPLAY)
    client.cookies["hall_device"] = key
    return device, key


@pytest.fixture
def morning(areas):
    """A's tickets: two called (waits 10 and 25 minutes), one waiting; B: one waiting; C: none.
    Yesterday's waiting ticket and another centre's calls are not today's hall."""
    a, b, _c = areas
    first = called_ticket(a, issued=at_local(DAY, 9, 0), called=at_local(DAY, 9, 10), name="李四")
    second = called_ticket(
        a, issued=at_local(DAY, 9, 5), called=at_local(DAY, 9, 30), name=FULL_NAME, id_number=ID_NUMBER
    )
    make_ticket(a, at=at_local(DAY, 9, 20))
    make_ticket(b, at=at_local(DAY, 9, 25))
    make_ticket(a, at=at_local(DAY - dt.timedelta(days=1), 16, 0))
    elsewhere = hall_areas(ServiceCentreFactory())[0]
    called_ticket(elsewhere, issued=at_local(DAY, 9, 0), called=at_local(DAY, 9, 40), name="王五")
    return first, second


def test_the_feed_lists_the_calls_masked_the_waiting_and_the_average_wait(centre, areas, morning):
    first, second = morning
    with time_machine.travel(at_local(DAY, 9, 45), tick=False):
        feed = display_feed.feed_for(centre.pk)
    assert [call.id for call in feed.calls] == [second.pk, first.pk]
    latest = feed.latest
    assert (latest.number, latest.window, latest.name) == ("A002", areas[0].windows.first().number, "欧***")
    assert [(area.prefix, area.name, area.waiting) for area in feed.areas] == [
        ("A", "市场准入", 1),
        ("B", "投资建设", 1),
        ("C", "社会事务", 0),
    ]
    assert feed.called_today == 2
    assert feed.average_wait_minutes == 18  # (10 + 25) / 2 = 17.5, rounded half to even → 18


def test_the_average_leaves_out_tickets_not_called(centre, areas):
    called_ticket(areas[0], issued=at_local(DAY, 9, 0), called=at_local(DAY, 9, 7))
    make_ticket(areas[0], at=at_local(DAY, 8, 0))  # waiting since long ago: not a wait yet
    with time_machine.travel(at_local(DAY, 10, 0), tick=False):
        feed = display_feed.feed_for(centre.pk)
    assert (feed.average_wait_minutes, feed.called_today) == (7, 1)


def test_an_empty_morning(centre, areas):
    with time_machine.travel(at_local(DAY, 8, 30), tick=False):
        feed = display_feed.feed_for(centre.pk)
        data = display_feed.as_json(feed, after=0)
    assert feed.calls == [] and feed.latest is None and feed.average_wait_minutes is None
    assert data["last_id"] == 0 and data["new"] == [] and data["average_wait_text"] == "—"


def test_new_holds_the_calls_after_the_displays_last_oldest_first(centre, areas, morning):
    first, second = morning
    with time_machine.travel(at_local(DAY, 9, 45), tick=False):
        feed = display_feed.feed_for(centre.pk)
    assert display_feed.as_json(feed)["new"] == []  # coming on: nothing read out
    assert [call["id"] for call in display_feed.as_json(feed, after=0)["new"]] == [first.pk, second.pk]
    assert [call["id"] for call in display_feed.as_json(feed, after=first.pk)["new"]] == [second.pk]
    assert display_feed.as_json(feed, after=second.pk)["new"] == []


def test_the_announcement_names_the_number_and_the_window(centre, areas, morning):
    with time_machine.travel(at_local(DAY, 9, 45), tick=False):
        latest = display_feed.feed_for(centre.pk).latest
    assert latest.announcement == f"请 A002 号 到 {latest.window} 号窗口办理"


def test_the_page_shows_the_call_and_never_a_full_name_or_id_number(client, display, centre, areas, morning):
    with time_machine.travel(at_local(DAY, 9, 45), tick=False):
        page = client.get(reverse("display:screen"))
        poll = client.get(reverse("display:feed"), {"after": morning[0].pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="display-latest-number" data-now-number>A002<' in body
    assert "欧***" in body and "鼓楼区政务服务中心" in body
    assert poll.status_code == 200 and poll["Cache-Control"].startswith("max-age=0")
    for text in (body, poll.content.decode()):
        assert FULL_NAME not in text and ID_NUMBER not in text and "李四" not in text
    data = poll.json()
    assert [call["number"] for call in data["new"]] == ["A002"]
    assert data["areas"][0] == {"prefix": "A", "name": "市场准入", "waiting": 1}


def test_a_recall_is_shown_again(client, display, centre, areas, morning):
    first, _second = morning
    recalled = call_ticket(
        first.ticket, window=first.window, at=at_local(DAY, 9, 50), clerk=first.by, kind=CallKind.RECALL
    )
    with time_machine.travel(at_local(DAY, 9, 51), tick=False):
        data = client.get(reverse("display:feed"), {"after": morning[1].pk}).json()
    assert [(call["id"], call["number"], call["recall"]) for call in data["new"]] == [
        (recalled.pk, "A001", True)
    ]


def test_yesterdays_calls_are_not_shown(client, display, centre, areas):
    called_ticket(
        areas[0],
        issued=at_local(DAY - dt.timedelta(days=1), 9, 0),
        called=at_local(DAY - dt.timedelta(days=1), 9, 5),
    )
    with time_machine.travel(at_local(DAY, 9, 0), tick=False):
        data = client.get(reverse("display:feed")).json()
    assert data["calls"] == [] and data["called_today"] == 0


def test_only_a_paired_display_sees_it(client, centre, areas, morning):
    assert client.get(reverse("display:screen")).status_code == 403
    assert client.get(reverse("display:feed")).status_code == 403
    _kiosk, kiosk_key = make_device(centre, DeviceKind.KIOSK)
    client.cookies["hall_device"] = kiosk_key
    assert client.get(reverse("display:feed")).status_code == 403
    # A logged-in clerk is no display either.
    client.force_login(make_staff(Role.CLERK, centre=centre))
    assert client.get(reverse("display:feed")).status_code == 403


def test_a_display_sees_its_own_centre_only(client, centre, areas, morning):
    other = ServiceCentreFactory()
    hall_areas(other, names=("别处",))
    _device, key = make_device(other, DeviceKind.DISPLAY)
    client.cookies["hall_device"] = key
    with time_machine.travel(at_local(DAY, 9, 45), tick=False):
        data = client.get(reverse("display:feed")).json()
    assert [area["name"] for area in data["areas"]] == ["别处"]
    assert data["calls"] == []


def test_the_feed_reads_a_constant_number_of_queries(
    client, display, centre, areas, django_assert_num_queries
):
    called_ticket(areas[0], issued=at_local(DAY, 9, 0), called=at_local(DAY, 9, 10))
    with time_machine.travel(at_local(DAY, 9, 45), tick=False):
        client.get(reverse("display:feed"))  # the device's last_seen written once a minute: not counted below
        cache.clear()
        with django_assert_num_queries(4):  # the device, the calls, the areas, the day's tickets by area
            client.get(reverse("display:feed"), {"after": 0})
    for minute in range(12):
        called_ticket(
            areas[minute % 3], issued=at_local(DAY, 9, minute), called=at_local(DAY, 9, 20 + minute)
        )
        make_ticket(areas[minute % 3], at=at_local(DAY, 9, 30 + minute))
    with time_machine.travel(at_local(DAY, 9, 50), tick=False):
        client.get(reverse("display:feed"))
        cache.clear()
        with django_assert_num_queries(4):
            client.get(reverse("display:feed"), {"after": 0})
        cache.clear()
        with django_assert_num_queries(4):
            client.get(reverse("display:screen"))


def test_the_centres_displays_share_the_count_until_the_next_call_or_a_second(
    client, display, centre, areas, morning, django_assert_num_queries, settings
):
    # A cache whose clock travels with the test (Redis expires keys on its own clock).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    other_display = client.__class__()
    other_display.cookies["hall_device"] = make_device(centre, DeviceKind.DISPLAY)[1]
    with time_machine.travel(at_local(DAY, 9, 45), tick=False) as clock:
        assert client.get(reverse("display:feed")).json()["areas"][1]["waiting"] == 1
        other_display.get(reverse("display:feed"))  # its last_seen written
        with django_assert_num_queries(2):  # the device and the calls: the count is shared
            assert other_display.get(reverse("display:feed")).json()["areas"][1]["waiting"] == 1
        # A ticket taken shows within the second…
        make_ticket(areas[1], at=at_local(DAY, 9, 45))
        clock.shift(dt.timedelta(seconds=1.5))
        assert client.get(reverse("display:feed")).json()["areas"][1]["waiting"] == 2
        # …and a call at once, with the counts it changed.
        ticket = make_ticket(areas[1], at=at_local(DAY, 9, 46))
        call_ticket(ticket, window=areas[1].windows.first(), at=at_local(DAY, 9, 46))
        data = client.get(reverse("display:feed")).json()
        assert data["calls"][0]["number"] == "B003" and data["areas"][1]["waiting"] == 2


# --- the API -----------------------------------------------------------------------------------------


def test_the_api_gives_the_same_feed_to_a_display_app(centre, areas, morning):
    _device, key = make_device(centre, DeviceKind.DISPLAY)
    api = APIClient()
    with time_machine.travel(at_local(DAY, 9, 45), tick=False):
        response = api.get("/api/v1/display/feed/", {"after": morning[0].pk}, headers={"X-Device-Key": key})
    assert response.status_code == 200
    data = response.json()
    assert [call["number"] for call in data["calls"]] == ["A002", "A001"]
    assert [call["number"] for call in data["new"]] == ["A002"]
    assert FULL_NAME not in response.content.decode() and ID_NUMBER not in response.content.decode()


def test_the_api_refuses_anything_but_a_paired_display(centre, areas):
    _kiosk, kiosk_key = make_device(centre, DeviceKind.KIOSK)
    api = APIClient()
    assert api.get("/api/v1/display/feed/").status_code == 403
    assert api.get("/api/v1/display/feed/", headers={"X-Device-Key": kiosk_key}).status_code == 403
    assert api.get("/api/v1/display/feed/", headers={"X-Device-Key": "x" * 40}).status_code == 403


def test_the_display_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/display/feed/" in schema and "/api/v1/hall-devices/claim/" in schema
