"""好差评 in the online hall: the account rates its own filing's acts (/portal/filings/<pk>/rate/,
channel portal), never another's (404) nor as staff (403); the filing's page links to it, and my hall's
cards know which filings have an act not rated yet in a constant number of queries."""

import datetime as dt

import pytest
import time_machine

from apps.accounts.roles import Role
from apps.cases.models import Filing
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason
from apps.feedback.selectors import unrated
from tests.factories import make_staff
from tests.factories.feedback import pre_reviewed_filing, rating, visited_filing

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 9, 24, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN)


@pytest.fixture
def filing(citizen):
    return pre_reviewed_filing(citizen=citizen)


def page(filing) -> str:
    return f"/portal/filings/{filing.pk}/rate/"


def test_the_account_rates_its_own_filing_through_the_portal(client, citizen, filing):
    client.force_login(citizen)
    response = client.get(page(filing))
    assert response.status_code == 200
    html = response.content.decode()
    assert filing.number in html and 'data-testid="act-online_pre_review"' in html
    assert f'href="/portal/filings/{filing.pk}/"' in html  # back to the filing

    response = client.post(
        page(filing),
        {
            "act": ActKind.ONLINE_PRE_REVIEW,
            "level": Level.VERY_DISSATISFIED,
            "reason": Reason.ONLINE,
            "comment": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == page(filing) + "?done=online_pre_review"
    [given] = Rating.objects.filter(filing=filing)
    assert (given.channel, given.rater, given.level) == (Channel.PORTAL, citizen, Level.VERY_DISSATISFIED)
    assert 'data-testid="rate-thanks"' in client.get(response["Location"]).content.decode()


def test_a_bad_rating_without_a_reason_is_refused_on_its_field(client, citizen, filing):
    client.force_login(citizen)
    response = client.post(page(filing), {"act": ActKind.ONLINE_PRE_REVIEW, "level": Level.DISSATISFIED})
    assert response.status_code == 400 and 'data-testid="reason-error"' in response.content.decode()
    assert not Rating.objects.exists()


def test_another_account_gets_404_and_staff_403(client, filing):
    other = make_staff(Role.CITIZEN)
    client.force_login(other)
    assert client.get(page(filing)).status_code == 404
    assert client.post(page(filing), {"act": ActKind.ONLINE_PRE_REVIEW, "level": "1"}).status_code == 404
    client.force_login(filing.decided_by)
    assert client.get(page(filing)).status_code == 403
    assert client.post(page(filing), {"act": ActKind.ONLINE_PRE_REVIEW, "level": "1"}).status_code == 403
    assert not Rating.objects.exists()
    client.logout()
    assert client.get(page(filing)).status_code == 302  # to the login page


def test_the_filing_page_links_to_the_rating_page_once_decided(client, citizen, filing):
    client.force_login(citizen)
    html = client.get(f"/portal/filings/{filing.pk}/").content.decode()
    assert 'data-testid="rate-link"' in html and f'href="{page(filing)}"' in html


def test_unrated_names_the_filings_with_an_act_not_rated_yet(citizen, django_assert_max_num_queries):
    rated, not_rated, also_not_rated = (pre_reviewed_filing(citizen=citizen) for _ in range(3))
    rating(rated, act=ActKind.ONLINE_PRE_REVIEW)
    undecided = visited_filing()
    Filing.objects.filter(pk=undecided.pk).update(decided_at=None)
    filings = list(
        Filing.objects.filter(
            pk__in=[rated.pk, not_rated.pk, also_not_rated.pk, undecided.pk]
        ).prefetch_related("items__item")
    )
    with django_assert_max_num_queries(2):
        assert unrated(filings) == {not_rated.pk, also_not_rated.pk}


def test_my_hall_offers_rating_on_the_cards_with_an_act_not_rated_yet(client, citizen):
    rated, not_rated = (pre_reviewed_filing(citizen=citizen) for _ in range(2))
    rating(rated, act=ActKind.ONLINE_PRE_REVIEW)
    client.force_login(citizen)
    html = client.get("/portal/").content.decode()
    assert f'href="{page(not_rated)}" data-testid="card-rate"' in html
    assert f'href="{page(rated)}"' not in html
