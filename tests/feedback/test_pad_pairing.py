"""Evaluation pads: a supervisor pairs one for a window (a one-time code, 10 minutes), the tablet
claims it and keeps a device key in an HttpOnly cookie, a revoked pad opens nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.audit.models import TransitionLog
from apps.core.errors import Conflict
from apps.feedback import pads
from apps.feedback.models import EvaluationPad
from apps.feedback.pad import COOKIE
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 9, 24, 4, 0, tzinfo=dt.UTC)


def test_a_supervisor_pairs_a_pad_and_the_tablet_claims_it_once(window, supervisor):
    pad, code = pads.pair_pad(window_id=window.pk, name="左侧", actor=supervisor, client_ip="10.0.0.9")
    assert len(code) == 8 and code.isdigit()
    assert code not in pad.key_hash and pads.status_of(pad).key == "awaiting"
    assert pads.pad_from_key(code) is None  # a code is not a device key

    claimed, key = pads.claim_pad(code=code)
    assert claimed.pk == pad.pk and len(key) >= 40
    stored = EvaluationPad.objects.get(pk=pad.pk)
    assert key not in stored.key_hash and stored.key_hash != pad.key_hash
    assert pads.pad_from_key(key).pk == pad.pk
    assert pads.status_of(stored).key == "active"
    with pytest.raises(ValidationError):  # used once
        pads.claim_pad(code=code)
    logged = TransitionLog.objects.filter(content_type__model="evaluationpad", object_id=str(pad.pk))
    steps = list(logged.order_by("pk").values_list("transition", flat=True))
    assert steps == ["pad_paired", "pad_claimed"]


def test_a_code_is_typed_as_a_chinese_keyboard_gives_it(window, supervisor):
    _pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)
    typed = f"{fullwidth[:4]} {fullwidth[4:]}"
    assert pads.claim_pad(code=typed)[1]


def test_a_code_lapses_after_ten_minutes(window, supervisor):
    with time_machine.travel(NOON, tick=False):
        pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    with time_machine.travel(NOON + dt.timedelta(minutes=10, seconds=1), tick=False):
        assert pads.status_of(pad).key == "expired"
        with pytest.raises(ValidationError) as refused:
            pads.claim_pad(code=code)
    assert "code" in refused.value.message_dict
    with time_machine.travel(NOON + dt.timedelta(minutes=9), tick=False):
        assert pads.claim_pad(code=code)[0].pk == pad.pk


def test_a_revoked_pad_opens_nothing(window, supervisor):
    pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    _pad, key = pads.claim_pad(code=code)
    pads.revoke_pad(pad_id=pad.pk, actor=supervisor)
    assert pads.pad_from_key(key) is None
    with pytest.raises(Conflict):
        pads.revoke_pad(pad_id=pad.pk, actor=supervisor)
    unused, unused_code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    pads.revoke_pad(pad_id=unused.pk, actor=supervisor)
    with pytest.raises(ValidationError):
        pads.claim_pad(code=unused_code)


def test_only_a_supervisor_of_the_windows_centre_pairs_or_revokes(window, supervisor):
    elsewhere = make_staff(Role.SUPERVISOR)
    clerk = make_staff(Role.CLERK, centre=window.centre)
    department_supervisor = make_staff(Role.CLERK, centre=window.centre)
    assign_role(
        user=department_supervisor,
        role=Role.SUPERVISOR,
        centre=window.centre,
        department=DepartmentFactory(centre=window.centre),
    )
    for actor in (elsewhere, clerk, department_supervisor):
        with pytest.raises(PermissionDenied):
            pads.pair_pad(window_id=window.pk, name="", actor=actor)
    pad, _code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    with pytest.raises(PermissionDenied):
        pads.revoke_pad(pad_id=pad.pk, actor=elsewhere)
    assert list(pads.pads_for_supervisor(elsewhere)) == []
    assert list(pads.pads_for_supervisor(supervisor)) == [pad]


def test_an_inactive_window_gets_no_pad(window, supervisor):
    window.is_active = False
    window.save()
    with pytest.raises(ValidationError):
        pads.pair_pad(window_id=window.pk, name="", actor=supervisor)


# --- the pairing page ------------------------------------------------------------------------------


def test_the_pairing_page_sets_a_long_lived_httponly_cookie(client, window, supervisor):
    _pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    response = client.post(reverse("pad:pair"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("pad:screen")
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) > 365 * 24 * 3600
    assert pads.pad_from_key(cookie.value).window_id == window.pk
    assert client.get(reverse("pad:screen")).status_code == 200


def test_a_wrong_code_is_said_so_at_its_field(client, window, supervisor):
    pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    response = client.post(reverse("pad:pair"), {"code": "12345678"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert COOKIE not in response.cookies
    assert b'data-testid="pad-code-error"' in response.content


def test_pairing_attempts_are_rate_limited(client, monkeypatch):
    from apps.feedback.throttles import RatingThrottle

    monkeypatch.setattr(RatingThrottle, "THROTTLE_RATES", {"rating": "3/min"})
    statuses = [client.post(reverse("pad:pair"), {"code": f"{n:08d}"}).status_code for n in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_an_unpaired_or_revoked_tablet_is_sent_to_the_pairing_page(client, window, supervisor):
    for url in (reverse("pad:screen"), reverse("pad:current")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("pad:pair")
    pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    client.post(reverse("pad:pair"), {"code": code})
    pads.revoke_pad(pad_id=pad.pk, actor=supervisor)
    response = client.get(reverse("pad:screen"))
    assert response.status_code == 302 and response.url == reverse("pad:pair")
    assert response.cookies[COOKIE].value == ""  # the dead key is dropped


def test_a_logged_in_session_is_refused_on_every_pad_page(client, window, supervisor):
    _pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    client.post(reverse("pad:pair"), {"code": code})
    clerk = make_staff(Role.CLERK, centre=window.centre, window=window)
    client.force_login(clerk)
    for url in (reverse("pad:screen"), reverse("pad:current"), reverse("pad:pair")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b'data-testid="pad-refused"' in response.content
    assert client.post(reverse("pad:rate"), {}).status_code == 403
