"""The pad's API (a pad app: the device key in X-Pad-Key) and the supervisors' pads API."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.feedback import pads
from apps.feedback.models import ActKind, Channel, EvaluationPad, Level, Rating, Reason
from apps.feedback.pad import COOKIE
from tests.factories import make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.feedback import claimed_pad_key, visited_filing

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 9, 24, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def key(window, supervisor):
    return claimed_pad_key(window, supervisor=supervisor)


def _pad_app(key) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_X_PAD_KEY=key)
    return api


def test_the_pad_reads_the_act_just_finished_then_nothing(key, window):
    with time_machine.travel(NOON, tick=False):
        filing = visited_filing(centre=window.centre, window=window)
        body = _pad_app(key).get("/api/v1/pad/current/").json()
    assert body["window"] == window.number and len(body["levels"]) == 5
    assert body["act"]["filing"] == filing.pk and body["act"]["act"] == ActKind.WINDOW_VISIT
    assert body["act"]["applicant"] == "张*" and body["act"]["seconds_left"] == settings.HALL_PAD_SHOW_SECONDS
    assert "张三" not in str(body) and filing.number not in str(body)
    with time_machine.travel(NOON + dt.timedelta(seconds=settings.HALL_PAD_SHOW_SECONDS + 1), tick=False):
        assert _pad_app(key).get("/api/v1/pad/current/").json()["act"] is None


def test_the_pad_app_rates_the_act_of_its_window_only(key, window):
    filing = visited_filing(centre=window.centre, window=window)
    other = visited_filing(centre=window.centre, window=comprehensive_window(window.centre))
    body = {"filing": other.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
    assert _pad_app(key).post("/api/v1/pad/ratings/", body, format="json").status_code == 404
    refused = _pad_app(key).post(
        "/api/v1/pad/ratings/", {**body, "filing": filing.pk, "level": Level.DISSATISFIED}, format="json"
    )
    assert refused.status_code == 400 and "reason" in refused.json()
    response = _pad_app(key).post(
        "/api/v1/pad/ratings/",
        {**body, "filing": filing.pk, "level": Level.DISSATISFIED, "reason": Reason.ATTITUDE},
        format="json",
    )
    assert response.status_code == 201, response.content
    rating = Rating.objects.get()
    assert (rating.filing_id, rating.channel, rating.level) == (filing.pk, Channel.PAD, Level.DISSATISFIED)


def test_no_key_a_wrong_key_or_a_login_is_refused(key, window):
    assert APIClient().get("/api/v1/pad/current/").status_code in (401, 403)
    assert _pad_app("not-a-key").get("/api/v1/pad/current/").status_code in (401, 403)
    staff = APIClient()
    staff.force_authenticate(make_staff(Role.CLERK, centre=window.centre, window=window))
    staff.credentials(HTTP_X_PAD_KEY=key)
    assert staff.get("/api/v1/pad/current/").status_code == 403


def test_the_pads_cookie_needs_the_csrf_token_to_post(key, window):
    filing = visited_filing(centre=window.centre, window=window)
    browser = APIClient(enforce_csrf_checks=True)
    browser.cookies[COOKIE] = key
    assert browser.get("/api/v1/pad/current/").status_code == 200  # reading: the cookie suffices
    body = {"filing": filing.pk, "act": ActKind.WINDOW_VISIT, "level": Level.SATISFIED}
    assert browser.post("/api/v1/pad/ratings/", body, format="json").status_code == 403
    assert not Rating.objects.exists()


def test_a_tablet_claims_its_key_through_the_api(window, supervisor):
    _pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    assert APIClient().post("/api/v1/pad/pair/", {"code": "00000000"}, format="json").status_code == 400
    response = APIClient().post("/api/v1/pad/pair/", {"code": code}, format="json")
    assert response.status_code == 201 and response.json()["window"] == window.number
    assert pads.pad_from_key(response.json()["device_key"]).window_id == window.pk


def test_a_supervisor_lists_pairs_and_revokes_pads_of_their_centre(window, supervisor):
    api = APIClient()
    api.force_authenticate(supervisor)
    paired = api.post("/api/v1/pads/", {"window": window.pk, "name": "左"}, format="json")
    assert paired.status_code == 201
    code = paired.json()["pairing_code"]
    assert paired.json()["pair_url"].endswith("/pad/pair/") and len(code) == 8
    assert pads.claim_pad(code=code)
    [listed] = api.get("/api/v1/pads/").json()
    assert (listed["window_number"], listed["status"]) == (window.number, "active")
    assert api.post(f"/api/v1/pads/{listed['id']}/renew-code/").status_code == 409  # in use
    assert api.post(f"/api/v1/pads/{listed['id']}/revoke/").status_code == 200
    assert api.post(f"/api/v1/pads/{listed['id']}/revoke/").status_code == 409
    assert EvaluationPad.objects.get().revoked_at is not None

    elsewhere = APIClient()
    elsewhere.force_authenticate(make_staff(Role.SUPERVISOR))
    assert elsewhere.get("/api/v1/pads/").json() == []
    assert elsewhere.post(f"/api/v1/pads/{listed['id']}/revoke/").status_code == 404
    assert elsewhere.post(f"/api/v1/pads/{listed['id']}/renew-code/").status_code == 404
    assert elsewhere.post("/api/v1/pads/", {"window": window.pk}, format="json").status_code == 403
    clerk = APIClient()
    clerk.force_authenticate(make_staff(Role.CLERK, centre=window.centre))
    assert clerk.get("/api/v1/pads/").status_code == 403


def test_the_pad_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for route in ("/api/v1/pad/current/", "/api/v1/pad/ratings/", "/api/v1/pad/pair/", "/api/v1/pads/"):
        assert route in schema


def test_a_supervisor_renews_the_code_of_a_pad_awaiting_its_tablet(window, supervisor):
    api = APIClient()
    api.force_authenticate(supervisor)
    first = api.post("/api/v1/pads/", {"window": window.pk}, format="json").json()
    renewed = api.post(f"/api/v1/pads/{first['id']}/renew-code/")
    assert renewed.status_code == 200 and renewed.json()["pairing_code"] != first["pairing_code"]
    assert pads.claim_pad(code=renewed.json()["pairing_code"])
