"""The pad's screen: the act just finished at its window, and nothing else — no other window's, no
older one, nothing personal once HALL_PAD_SHOW_SECONDS have passed; the applicant's rating through it
(channel pad), refused for any other filing (404), for a logged-in session (403), over the rate (429)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from apps.feedback import pads
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason
from apps.feedback.pad import COOKIE
from tests.factories.cases import comprehensive_window, window_clerk
from tests.factories.feedback import claimed_pad_key, closed_filing, visited_filing

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 9, 24, 4, 0, tzinfo=dt.UTC)
SHOW = settings.HALL_PAD_SHOW_SECONDS


@pytest.fixture
def pad_client(client, window):
    """A browser holding a pad's key for ``window`` (paired and claimed through the services)."""
    client.cookies[COOKIE] = claimed_pad_key(window)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _visit(window, **kw):
    clerk = window_clerk(window)
    clerk.full_name = "王小明"
    clerk.save()
    return visited_filing(centre=window.centre, window=window, clerk=clerk, **kw)


def _personal(filing) -> list[bytes]:
    """What the screen must not show once the act's time is up (or ever, for the first two)."""
    item = filing.items.get().item
    return [s.encode() for s in (filing.number, filing.applicant_id_number, "张*", item.name, "王小明")]


def _screen(client):
    page = client.get(reverse("pad:screen"))
    poll = client.get(reverse("pad:current"))
    assert page.status_code == poll.status_code == 200
    return page.content, poll.content


def test_an_idle_window_shows_the_welcome(pad_client, window):
    page, poll = _screen(pad_client)
    assert b'data-state="idle"' in page and b'data-state="idle"' in poll
    assert f"Window {window.number}".encode() in page
    assert b'http-equiv="refresh"' in page  # without JavaScript it looks again by itself


def test_the_act_just_finished_shows_masked_and_goes_after_the_set_seconds(pad_client, window):
    with time_machine.travel(NOON, tick=False):
        filing = _visit(window)
    number, id_number, masked, item_name, clerk = _personal(filing)
    with time_machine.travel(NOON + dt.timedelta(seconds=SHOW), tick=False):
        page, poll = _screen(pad_client)
        for content in (page, poll):
            assert b'data-state="act"' in content
            assert masked in content and item_name in content and clerk in content
            assert "张三".encode() not in content and number not in content and id_number not in content
            assert f'name="filing" value="{filing.pk}"'.encode() in content
        assert b'data-seconds-left="0"' in poll
    with time_machine.travel(NOON + dt.timedelta(seconds=SHOW + 1), tick=False):
        page, poll = _screen(pad_client)
        for content in (page, poll):
            assert b'data-state="idle"' in content
            for personal in (number, id_number, masked, item_name, clerk):
                assert personal not in content


def test_another_windows_act_is_not_shown(pad_client, window):
    _visit(comprehensive_window(window.centre))
    page, poll = _screen(pad_client)
    assert b'data-state="idle"' in page and b'data-state="idle"' in poll


def test_the_applicant_rates_on_the_pad_and_the_screen_goes_back_to_the_welcome(pad_client, window):
    filing = _visit(window)
    response = pad_client.post(
        reverse("pad:rate"),
        {
            "filing": filing.pk,
            "act": ActKind.WINDOW_VISIT,
            "level": Level.DISSATISFIED,
            "reason": Reason.WAITING,
            "comment": "排队太久",
        },
    )
    assert response.status_code == 302 and response.url == reverse("pad:screen") + "?rated=1"
    rating = Rating.objects.get(filing=filing)
    assert (rating.act, rating.level, rating.reason, rating.channel) == (
        ActKind.WINDOW_VISIT,
        Level.DISSATISFIED,
        Reason.WAITING,
        Channel.PAD,
    )
    assert rating.window_id == window.pk and rating.rater is None
    thanks = pad_client.get(response.url)
    assert b'data-testid="pad-thanks"' in thanks.content and b"\xe5\xbc\xa0*" not in thanks.content
    page, poll = _screen(pad_client)  # rated: not offered again
    assert b'data-state="idle"' in page and b'data-state="idle"' in poll


def test_a_bad_rating_without_a_reason_is_refused_at_the_field(pad_client, window):
    filing = _visit(window)
    response = pad_client.post(
        reverse("pad:rate"),
        {"filing": filing.pk, "act": ActKind.WINDOW_VISIT, "level": Level.VERY_DISSATISFIED},
    )
    assert response.status_code == 400
    assert b'data-testid="pad-reason-error"' in response.content
    assert b'id="pad-level-5" value="5" required checked' in response.content  # what was chosen stays
    assert not Rating.objects.filter(filing=filing).exists()


def test_a_rating_of_a_filing_not_at_the_pads_window_is_a_404(pad_client, window):
    elsewhere = _visit(comprehensive_window(window.centre))
    body = {"filing": elsewhere.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
    assert pad_client.post(reverse("pad:rate"), body).status_code == 404
    assert not Rating.objects.exists()


def test_a_rating_of_an_older_act_at_the_window_is_a_404(pad_client, window):
    with time_machine.travel(NOON, tick=False):
        earlier = _visit(window)
    with time_machine.travel(NOON + dt.timedelta(seconds=20), tick=False):
        later = _visit(window)
        # The window moved on to the next applicant: the earlier act is not the pad's any more.
        body = {"filing": earlier.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
        assert pad_client.post(reverse("pad:rate"), body).status_code == 404
    late = NOON + dt.timedelta(seconds=20 + SHOW + pads.GRACE_SECONDS + 1)
    with time_machine.travel(late, tick=False):
        body = {"filing": later.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
        assert pad_client.post(reverse("pad:rate"), body).status_code == 404
    assert not Rating.objects.exists()


def test_a_rating_just_after_the_screen_reset_is_still_taken(pad_client, window):
    with time_machine.travel(NOON, tick=False):
        filing = _visit(window)
    with time_machine.travel(NOON + dt.timedelta(seconds=SHOW + pads.GRACE_SECONDS), tick=False):
        body = {"filing": filing.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
        assert pad_client.post(reverse("pad:rate"), body).status_code == 302
    assert Rating.objects.get(filing=filing).channel == Channel.PAD


def test_the_clerk_cannot_rate_on_the_pad_logged_in(pad_client, window):
    filing = _visit(window)
    pad_client.force_login(filing.decided_by)
    body = {"filing": filing.pk, "act": ActKind.WINDOW_VISIT, "level": Level.VERY_SATISFIED}
    response = pad_client.post(reverse("pad:rate"), body)
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_ratings_from_one_address_are_rate_limited(pad_client, window, monkeypatch):
    from apps.feedback.throttles import RatingThrottle

    monkeypatch.setattr(RatingThrottle, "THROTTLE_RATES", {"rating": "2/min"})
    filing = _visit(window)
    body = {"filing": filing.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
    statuses = [pad_client.post(reverse("pad:rate"), body).status_code for _ in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert Rating.objects.count() == 1  # the second changed the first


def test_the_screen_reads_a_constant_number_of_queries(pad_client, window, django_assert_max_num_queries):
    _visit(window)
    with django_assert_max_num_queries(12):
        assert b'data-state="act"' in pad_client.get(reverse("pad:current")).content


def test_a_clerks_own_filing_cannot_be_rated_on_the_pad(pad_client, window):
    """The clerk filed for themselves at their own window: the pad refuses, saying why."""
    clerk = window_clerk(window)
    clerk.id_number = "11010519491231002X"  # the applicant's (tests.factories.cases.PERSON)
    clerk.save()
    filing = visited_filing(centre=window.centre, window=window, clerk=clerk)
    body = {"filing": filing.pk, "act": ActKind.WINDOW_VISIT, "level": Level.VERY_SATISFIED}
    response = pad_client.post(reverse("pad:rate"), body)
    assert response.status_code == 403
    assert b'data-testid="pad-error"' in response.content
    assert not Rating.objects.exists()


def test_a_hand_over_at_an_issuing_window_shows_on_its_pad(client):
    issuing = comprehensive_window()
    client.cookies[COOKIE] = claimed_pad_key(issuing)
    filing = closed_filing(centre=issuing.centre, issuer_window=issuing)
    poll = client.get(reverse("pad:current")).content
    assert f'data-act="{filing.pk}:{ActKind.HANDOVER}"'.encode() in poll
    body = {"filing": filing.pk, "act": ActKind.HANDOVER, "level": Level.SATISFIED}
    assert client.post(reverse("pad:rate"), body).status_code == 302
    assert Rating.objects.get().act == ActKind.HANDOVER
    # The window visit was at another window: not this pad's to rate.
    body = {"filing": filing.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
    assert client.post(reverse("pad:rate"), body).status_code == 404
