"""The public rating page of a rating link (/rate/<token>/): no login, the acts of the filing with the
five levels, a bad rating refused without its reason (named on the field), a second rating changing
the first within the period, never a second row; the SMS link's channel; a forged link a clear 404,
an expired one a 410; over the rate, a 429; staff never rate their own work through it."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from apps.accounts.roles import Role
from apps.cases.rating_links import make_token
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason, RectificationTicket, TicketState
from apps.feedback.throttles import RatingThrottle
from tests.factories import make_staff
from tests.factories.cases import PERSON, make_filing
from tests.factories.feedback import closed_filing, rating, visited_filing

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 9, 24, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def filing():
    return visited_filing()


def link(filing, **query) -> str:
    url = f"/rate/{make_token(filing.pk)}/"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client, url, act=ActKind.WINDOW_VISIT, level=Level.SATISFIED, reason="", comment=""):
    return client.post(url, {"act": act, "level": level, "reason": reason, "comment": comment})


def test_the_page_shows_the_filing_and_each_act_to_rate_but_no_one_s_name(english):
    filing = closed_filing()
    response = english.get(link(filing))
    assert response.status_code == 200
    page = response.content.decode()
    assert filing.number in page and "Rate our service" in page
    for act in (ActKind.WINDOW_VISIT, ActKind.HANDOVER, ActKind.FILING):
        assert f'data-testid="act-{act}"' in page
    assert page.count('data-testid="level-5"') == 3 and "Very dissatisfied" in page
    assert PERSON.name not in page and PERSON.id_number not in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_filing_with_nothing_done_yet_says_so(english):
    response = english.get(link(make_filing()))
    assert response.status_code == 200
    assert "Nothing of this filing can be rated yet" in response.content.decode()


def test_a_rating_by_the_qr_code_thanks_and_says_until_when_it_can_be_changed(english, filing):
    response = post(english, link(filing), level=Level.VERY_SATISFIED, comment="很快")
    assert response.status_code == 302 and response["Location"].endswith("?done=window_visit")
    [given] = Rating.objects.filter(filing=filing)
    assert (given.level, given.channel, given.comment, given.rater) == (
        Level.VERY_SATISFIED,
        Channel.QR,
        "很快",
        None,
    )
    page = english.get(response["Location"]).content.decode()
    assert 'data-testid="rate-thanks"' in page
    until = (NOW + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS)).date().isoformat()
    assert f"You can change it within {settings.HALL_RATING_CHANGE_DAYS} days, until {until}." in page


def test_a_bad_rating_without_a_reason_is_refused_on_the_reason_field_then_taken_with_one(english, filing):
    response = post(english, link(filing), level=Level.DISSATISFIED)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="reason-error"' in page and 'aria-invalid="true"' in page
    assert "Choose the reason" in page and 'data-testid="rate-not-saved"' in page
    assert 'value="4" checked' in page  # what was chosen stays chosen
    assert not Rating.objects.filter(filing=filing).exists()

    response = post(
        english, link(filing), level=Level.DISSATISFIED, reason=Reason.WAITING, comment="排队一小时"
    )
    assert response.status_code == 302
    [given] = Rating.objects.filter(filing=filing)
    assert (given.level, given.reason) == (Level.DISSATISFIED, Reason.WAITING)
    assert RectificationTicket.objects.filter(rating=given).count() == 1
    page = english.get(response["Location"]).content.decode()
    assert "The department responsible will look into it" in page


def test_the_link_rated_twice_changes_the_first_rating_never_a_second_row(english, filing):
    post(english, link(filing), level=Level.SATISFIED)
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        response = post(english, link(filing), level=Level.FAIRLY_SATISFIED)
    assert response.status_code == 302
    [given] = Rating.objects.filter(filing=filing)
    assert given.level == Level.FAIRLY_SATISFIED and given.changed_at is not None
    page = english.get(link(filing)).content.decode()
    assert "Your rating" in page and "Fairly satisfied" in page and 'data-testid="rate-change"' in page


def test_after_the_period_the_rating_shows_and_a_change_is_refused(english, filing):
    post(english, link(filing), level=Level.SATISFIED)
    later = NOW + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        page = english.get(link(filing)).content.decode()
        assert 'data-testid="rate-final"' in page and 'data-testid="rate-form"' not in page
        response = post(english, link(filing), level=Level.VERY_DISSATISFIED, reason=Reason.OTHER)
    assert response.status_code == 409
    assert 'data-testid="rate-error">This rating can no longer be changed: the' in response.content.decode()
    assert Rating.objects.get(filing=filing).level == Level.SATISFIED


def test_the_sms_link_records_the_sms_channel_and_keeps_it_on_the_way_back(client, filing):
    response = post(client, link(filing, via="sms"))
    assert response.status_code == 302 and response["Location"].endswith("?via=sms&done=window_visit")
    assert Rating.objects.get(filing=filing).channel == Channel.SMS


def test_a_forged_link_is_a_clear_404_page(client, english, filing):
    token = make_token(filing.pk)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = english.get(f"/rate/{forged}/")
    assert response.status_code == 404
    assert "This rating link is not valid" in response.content.decode()
    assert client.post(f"/rate/{forged}/", {"act": "window_visit", "level": "1"}).status_code == 404
    assert not Rating.objects.exists()


def test_an_expired_link_is_a_clear_410_page(english, filing):
    url = link(filing)
    with time_machine.travel(NOW + dt.timedelta(days=settings.HALL_RATING_LINK_DAYS + 1), tick=False):
        response = english.get(url)
        assert response.status_code == 410
        assert "This rating link has expired" in response.content.decode()
        assert post(english, url).status_code == 410
    assert not Rating.objects.exists()


def test_an_act_the_filing_has_not_is_404(client, filing):
    assert post(client, link(filing), act=ActKind.HANDOVER).status_code == 404
    assert post(client, link(filing), act="nonsense").status_code == 404


def test_over_the_rate_a_429_page(english, filing, monkeypatch):
    # The rate is configuration (HALL_RATING_RATE); three a minute keeps the test short.
    monkeypatch.setattr(RatingThrottle, "THROTTLE_RATES", {"rating": "3/min"})
    url = link(filing)
    assert [post(english, url).status_code for _ in range(3)] == [302, 302, 302]
    response = post(english, url)
    assert response.status_code == 429 and "Too many ratings at once" in response.content.decode()
    assert english.get(url).status_code == 200  # reading is not rating
    with time_machine.travel(NOW + dt.timedelta(minutes=1, seconds=1), tick=False):
        assert post(english, url).status_code == 302


def test_the_clerk_logged_in_cannot_rate_their_own_window_visit_by_the_link(english, filing):
    english.force_login(filing.decided_by)
    response = post(english, link(filing), level=Level.VERY_SATISFIED)
    assert response.status_code == 403
    assert 'data-testid="rate-error">Staff may not rate their own work.' in response.content.decode()
    assert not Rating.objects.exists()
    # another member of staff (not the act's) rates as whoever holds the paper
    english.logout()
    other = make_staff(Role.CLERK, centre=filing.centre)
    english.force_login(other)
    assert post(english, link(filing)).status_code == 302


def test_the_page_reads_a_constant_number_of_queries(client, django_assert_max_num_queries):
    one = visited_filing()
    many = closed_filing()
    for act in (ActKind.WINDOW_VISIT, ActKind.HANDOVER, ActKind.FILING):
        rating(many, act=act)
    with django_assert_max_num_queries(8) as one_act:
        assert client.get(link(one)).status_code == 200
    with django_assert_max_num_queries(len(one_act.captured_queries)):
        assert client.get(link(many)).status_code == 200


def test_after_the_rectification_closed_the_link_offers_one_re_rating(english, filing):
    post(english, link(filing), level=Level.DISSATISFIED, reason=Reason.ATTITUDE)
    given = Rating.objects.get(filing=filing)
    RectificationTicket.objects.filter(rating=given).update(state=TicketState.CLOSED)
    later = NOW + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 5)
    with time_machine.travel(later, tick=False):
        page = english.get(link(filing)).content.decode()
        assert 'data-testid="rate-again"' in page and 'data-testid="rate-form"' in page
        assert '<details class="rate-change" open>' in page and "Rate again" in page
        assert post(english, link(filing), level=Level.SATISFIED).status_code == 302
        page = english.get(link(filing)).content.decode()
        assert 'data-testid="rate-final"' in page and 'data-testid="rate-form"' not in page
    assert Rating.objects.get(pk=given.pk).level == Level.SATISFIED
