"""The ratings API: the online hall's account rates its own filing; a rating link (QR code, SMS) rates
without a login; a supervisor enters a 12345 call. Forged and expired links are said plainly (404,
410); submissions from one address are rate-limited (429)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.cases.rating_links import make_token
from apps.feedback.models import ActKind, Level, Rating, Reason
from apps.feedback.models.ratings import APPLICANT
from apps.feedback.throttles import allow_rating
from tests.factories import make_staff
from tests.factories.cases import PERSON
from tests.factories.feedback import closed_filing, pre_reviewed_filing, rating, visited_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

DAY = dt.datetime(2026, 9, 24, 2, 0, tzinfo=dt.UTC)


def api(user=None) -> APIClient:
    client = APIClient()
    # The hall answers in Chinese whatever the browser asks (hall.middleware): English by its cookie.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_authenticate(user)
    return client


def filing_url(filing) -> str:
    return reverse("filing-ratings", args=[filing.pk])


def token_url(filing, **query) -> str:
    url = reverse("token-ratings", args=[make_token(filing.pk)])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN)


@pytest.fixture
def own(citizen):
    return pre_reviewed_filing(citizen=citizen)


# --- the online hall ---------------------------------------------------------------------------------


def test_the_account_reads_the_acts_of_its_filing(citizen, own):
    response = api(citizen).get(filing_url(own))
    assert response.status_code == 200
    [act] = response.json()["acts"]
    assert response.json()["filing_number"] == own.number
    assert (act["act"], act["rating"], act["can_rate"]) == (ActKind.ONLINE_PRE_REVIEW, None, True)
    assert act["window_number"] == own.window.number
    assert act["item_name"] == own.items.get().item.name


def test_the_account_rates_then_changes_then_is_refused_after_the_period(citizen, own):
    client = api(citizen)
    body = {"act": ActKind.ONLINE_PRE_REVIEW, "level": Level.SATISFIED}
    with time_machine.travel(DAY, tick=False):
        created = client.post(filing_url(own), body, format="json")
    assert created.status_code == 201
    assert (created.json()["level"], created.json()["channel"]) == ("2", "portal")
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        changed = client.post(filing_url(own), {**body, "level": Level.VERY_SATISFIED}, format="json")
        listed = client.get(filing_url(own)).json()["acts"][0]
    assert changed.status_code == 200 and changed.json()["id"] == created.json()["id"]
    assert (listed["rating"]["level"], listed["can_rate"]) == ("1", True)
    late = DAY + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 1)
    with time_machine.travel(late, tick=False):
        refused = client.post(filing_url(own), body, format="json")
        assert client.get(filing_url(own)).json()["acts"][0]["can_rate"] is False
    assert refused.status_code == 409
    assert "have passed" in refused.json()["detail"]
    assert Rating.objects.count() == 1


def test_a_bad_rating_without_a_reason_is_refused_naming_the_field(citizen, own):
    response = api(citizen).post(
        filing_url(own), {"act": ActKind.ONLINE_PRE_REVIEW, "level": Level.DISSATISFIED}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


def test_an_act_not_rateable_is_not_found(citizen, own):
    response = api(citizen).post(filing_url(own), {"act": ActKind.HANDOVER, "level": "1"}, format="json")
    assert response.status_code == 404
    unknown = api(citizen).post(filing_url(own), {"act": "lunch", "level": "9"}, format="json")
    assert (unknown.status_code, list(unknown.json())) == (400, ["act"])


def test_another_accounts_filing_is_not_found_and_staff_are_refused(own):
    assert api(make_staff(Role.CITIZEN)).get(filing_url(own)).status_code == 404
    body = {"act": ActKind.ONLINE_PRE_REVIEW, "level": "1"}
    assert api(make_staff(Role.CITIZEN)).post(filing_url(own), body, format="json").status_code == 404
    assert api(own.decided_by).post(filing_url(own), body, format="json").status_code == 403
    assert api().get(filing_url(own)).status_code in (401, 403)
    assert not Rating.objects.exists()


def test_the_list_reads_a_constant_number_of_queries(django_assert_max_num_queries):
    """One act unrated, or three acts rated (a closed filing): the same queries."""
    citizen = make_staff(Role.CITIZEN, id_number=PERSON.id_number, full_name=PERSON.name)
    few = pre_reviewed_filing(citizen=citizen)
    many = closed_filing()
    many.citizen = citizen
    many.save(update_fields=["citizen"])
    for act in (ActKind.WINDOW_VISIT, ActKind.HANDOVER, ActKind.FILING):
        rating(many, act=act)
    client = api(citizen)
    client.get(filing_url(few))  # the session's own first reads
    # The account's organisations, the filing, its items and their versions, its ratings, the windows.
    with django_assert_max_num_queries(6) as few_queries:
        assert len(client.get(filing_url(few)).json()["acts"]) == 1
    with django_assert_max_num_queries(len(few_queries)) as many_queries:
        acts = client.get(filing_url(many)).json()["acts"]
    assert [a["rating"] is not None for a in acts] == [True, True, True]
    assert len(many_queries) == len(few_queries)


# --- the rating link -------------------------------------------------------------------------------------


def test_a_link_rates_without_a_login_and_a_second_rating_changes_the_first():
    filing = visited_filing()
    client = api()
    listed = client.get(token_url(filing))
    assert listed.status_code == 200
    assert [a["act"] for a in listed.json()["acts"]] == [ActKind.WINDOW_VISIT]
    first = client.post(token_url(filing), {"act": ActKind.WINDOW_VISIT, "level": "3"}, format="json")
    assert (first.status_code, first.json()["channel"]) == (201, "qr")
    again = client.post(
        token_url(filing, via="sms"),
        {"act": ActKind.WINDOW_VISIT, "level": "5", "reason": Reason.DURATION, "comment": "太慢"},
        format="json",
    )
    assert (again.status_code, again.json()["channel"], again.json()["id"]) == (
        200,
        "sms",
        first.json()["id"],
    )
    stored = Rating.objects.get()
    assert (stored.rater_key, stored.level, stored.reason) == (APPLICANT, "5", Reason.DURATION)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_not_found_with_a_plain_message(method):
    filing = visited_filing()
    forged = make_token(filing.pk)[:-2] + "xx"
    response = getattr(api(), method)(reverse("token-ratings", args=[forged]), {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "This rating link is not valid.", "code": "not_valid"}


def test_an_expired_link_is_gone_with_a_plain_message():
    with time_machine.travel(DAY, tick=False):
        filing = visited_filing()
        url = token_url(filing)
    with time_machine.travel(DAY + dt.timedelta(days=settings.HALL_RATING_LINK_DAYS + 1), tick=False):
        response = api().post(url, {"act": ActKind.WINDOW_VISIT, "level": "1"}, format="json")
    assert response.status_code == 410
    assert response.json() == {"detail": "This rating link has expired.", "code": "expired"}
    assert not Rating.objects.exists()


def test_the_clerk_logged_in_may_not_rate_their_visit_through_the_link():
    filing = visited_filing()
    response = api(filing.decided_by).post(token_url(filing), {"act": ActKind.WINDOW_VISIT, "level": "1"})
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_ratings_from_one_address_are_limited_reading_is_not():
    """At the configured rate (HALL_RATING_RATE) the next rating from the address is refused (429),
    whichever endpoint; reading the acts is not counted."""
    from rest_framework.settings import api_settings

    allowed = int(api_settings.DEFAULT_THROTTLE_RATES["rating"].split("/")[0])
    filing = visited_filing()
    same_address = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
    for _ in range(allowed - 1):
        assert allow_rating(same_address)
    client = api()
    for _ in range(3):
        assert client.get(token_url(filing)).status_code == 200
    body = {"act": ActKind.WINDOW_VISIT, "level": "1"}
    assert client.post(token_url(filing), body, format="json").status_code == 201  # the last one allowed
    assert client.post(token_url(filing), body, format="json").status_code == 429
    assert not allow_rating(same_address)  # the pages share the count
    assert allow_rating(RequestFactory().post("/", REMOTE_ADDR="198.51.100.9"))  # another address


# --- 12345 -----------------------------------------------------------------------------------------------


def phone_body(filing, **extra) -> dict:
    return {
        "filing_number": filing.number,
        "act": ActKind.WINDOW_VISIT,
        "level": Level.SATISFIED,
        "caller_name": "王先生",
        "caller_phone": "13900002222",
        **extra,
    }


def test_a_supervisor_enters_a_12345_call():
    filing = visited_filing()
    supervisor = make_staff(Role.SUPERVISOR, centre=filing.centre)
    response = api(supervisor).post(reverse("phone-ratings"), phone_body(filing), format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["channel"], body["rater_key"], body["entered_by"]) == (
        "phone",
        "phone:13900002222",
        supervisor.pk,
    )
    on_own_number = phone_body(filing, caller_phone=PERSON.phone, level="1")
    assert api(supervisor).post(reverse("phone-ratings"), on_own_number, format="json").json()[
        "rater_key"
    ] == (APPLICANT)


def test_12345_is_the_supervisors_of_the_filings_centre():
    filing = visited_filing()
    url = reverse("phone-ratings")
    assert api(make_staff(Role.SUPERVISOR)).post(url, phone_body(filing), format="json").status_code == 404
    assert api(make_staff(Role.CLERK, centre=filing.centre)).post(url, {}, format="json").status_code == 403
    assert api(make_staff(Role.CITIZEN)).post(url, {}, format="json").status_code == 403
    supervisor = make_staff(Role.SUPERVISOR, centre=filing.centre)
    unknown = api(supervisor).post(url, phone_body(filing, filing_number="NO-SUCH"), format="json")
    assert unknown.status_code == 404
    missing = api(supervisor).post(url, phone_body(filing, caller_name=""), format="json")
    assert (missing.status_code, list(missing.json())) == (400, ["caller_name"])
    assert not Rating.objects.exists()
