"""Hall devices (kiosks, displays): the device contract, pairing, claiming, revoking."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.core.errors import Conflict
from apps.visits import devices
from apps.visits.models import HallDevice
from apps.visits.models.codes import DeviceKind
from tests.factories.accounts import ServiceCentreFactory, make_staff
from tests.factories.visits import make_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return ServiceCentreFactory()


@pytest.fixture
def supervisor(centre):
    return make_staff(Role.SUPERVISOR, centre=centre)


# --- the contract -------------------------------------------------------------------------------------


def test_device_from_key_finds_the_device_of_its_kind_only(centre):
    display, key = make_device(centre, DeviceKind.DISPLAY)
    assert devices.device_from_key(key, DeviceKind.DISPLAY) == display
    assert devices.device_from_key(key, DeviceKind.KIOSK) is None
    assert devices.device_from_key("", DeviceKind.DISPLAY) is None
    assert devices.device_from_key(None, DeviceKind.DISPLAY) is None
    assert devices.device_from_key("x" * 500, DeviceKind.DISPLAY) is None
    assert devices.device_from_key(key + "x", DeviceKind.DISPLAY) is None


def test_a_revoked_device_is_not_found(centre, supervisor):
    display, key = make_device(centre, DeviceKind.DISPLAY)
    devices.revoke_device(device_id=display.pk, actor=supervisor)
    assert devices.device_from_key(key, DeviceKind.DISPLAY) is None


def test_only_hashes_are_stored(centre):
    display, key = make_device(centre, DeviceKind.DISPLAY)
    assert key not in display.key_hash
    assert len(display.key_hash) == 64


def _page_view(request):
    return HttpResponse(f"device {request.device.pk}")


def test_paired_device_sets_the_device_on_a_page_from_the_cookie_or_the_header(centre):
    kiosk, key = make_device(centre, DeviceKind.KIOSK)
    view = devices.paired_device(DeviceKind.KIOSK)(_page_view)
    factory = RequestFactory()

    request = factory.get("/kiosk/")
    request.COOKIES[devices.DEVICE_COOKIE] = key
    assert view(request).content.decode() == f"device {kiosk.pk}"

    request = factory.get("/kiosk/", headers={"X-Device-Key": key})
    assert view(request).content.decode() == f"device {kiosk.pk}"


def test_paired_device_shows_the_not_paired_page_with_a_link_to_pair(client, centre):
    display, key = make_device(centre, DeviceKind.KIOSK)  # a kiosk's key does not open the display
    client.cookies[devices.DEVICE_COOKIE] = key
    response = client.get(reverse("display:screen"))
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="device-not-paired"' in body
    assert reverse("display:pair") in body


def test_paired_device_on_an_api_view_answers_403_without_a_key(centre):
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    from apps.accounts.permissions import AllowAny

    class Probe(APIView):
        permission_classes = [AllowAny]

        @devices.paired_device(DeviceKind.KIOSK)
        def get(self, request):
            return Response({"device": request.device.pk})

        @devices.paired_device(DeviceKind.KIOSK)
        def post(self, request):
            return Response({"device": request.device.pk})

    kiosk, key = make_device(centre, DeviceKind.KIOSK)
    factory = APIRequestFactory()
    assert Probe.as_view()(factory.get("/api/")).status_code == 403
    assert Probe.as_view()(factory.get("/api/", headers={"X-Device-Key": "nope"})).status_code == 403
    response = Probe.as_view()(factory.get("/api/", headers={"X-Device-Key": key}))
    assert response.status_code == 200 and response.data == {"device": kiosk.pk}
    response = Probe.as_view()(factory.post("/api/", headers={"X-Device-Key": key}))
    assert response.status_code == 200
    # With the cookie (a browser), a write needs the CSRF token as a session's would.
    request = factory.post("/api/")
    request.COOKIES[devices.DEVICE_COOKIE] = key
    request._dont_enforce_csrf_checks = False
    assert Probe.as_view()(request).status_code == 403


def test_last_seen_is_written_at_most_once_a_minute(centre):
    kiosk, key = make_device(centre, DeviceKind.KIOSK)
    first = kiosk.last_seen_at
    devices.note_seen(kiosk, now=first + dt.timedelta(seconds=30))
    kiosk.refresh_from_db()
    assert kiosk.last_seen_at == first
    later = first + dt.timedelta(minutes=2)
    devices.note_seen(kiosk, now=later)
    kiosk.refresh_from_db()
    assert kiosk.last_seen_at == later


# --- pairing ------------------------------------------------------------------------------------------


def test_pair_claim_and_use(client, centre, supervisor):
    device, code = devices.pair_device(
        centre_id=centre.pk, kind=DeviceKind.DISPLAY, name="东厅", actor=supervisor
    )
    assert devices.status_of(device).key == "awaiting"
    assert TransitionLog.objects.filter(transition="device_paired").exists()

    response = client.post(reverse("display:pair"), {"code": f"{code[:4]}-{code[4:]}"})
    assert response.status_code == 302
    assert response.url == reverse("display:screen")
    cookie = response.cookies[devices.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    device.refresh_from_db()
    assert devices.status_of(device).key == "active"

    response = client.get(reverse("display:screen"))
    assert response.status_code == 200
    # The code pairs nothing again.
    with pytest.raises(ValidationError):
        devices.claim_device(code=code)


def test_full_width_digits_are_folded(centre, supervisor):
    device, code = devices.pair_device(centre_id=centre.pk, kind=DeviceKind.KIOSK, name="", actor=supervisor)
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    claimed, key = devices.claim_device(code=full_width)
    assert claimed == device
    assert devices.device_from_key(key, DeviceKind.KIOSK) == device


def test_a_code_lapses_after_ten_minutes_and_can_be_renewed(centre, supervisor):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        device, code = devices.pair_device(
            centre_id=centre.pk, kind=DeviceKind.KIOSK, name="", actor=supervisor
        )
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 10, 1, tzinfo=dt.UTC), tick=False):
        assert devices.status_of(device).key == "expired"
        with pytest.raises(ValidationError):
            devices.claim_device(code=code)
        device, new_code = devices.renew_code(device_id=device.pk, actor=supervisor)
        with pytest.raises(ValidationError):
            devices.claim_device(code=code)
        claimed, _key = devices.claim_device(code=new_code)
        assert claimed == device
        with pytest.raises(Conflict):
            devices.renew_code(device_id=device.pk, actor=supervisor)


def test_a_code_is_not_a_key(centre, supervisor):
    device, code = devices.pair_device(centre_id=centre.pk, kind=DeviceKind.KIOSK, name="", actor=supervisor)
    device.last_seen_at = device.paired_at  # as if claimed, with the code's hash still in place
    device.save()
    assert devices.device_from_key(code, DeviceKind.KIOSK) is None


def test_a_wrong_code_is_refused_with_one_answer(client, centre):
    response = client.post(reverse("display:pair"), {"code": "12345678"})
    assert response.status_code == 400
    assert 'data-testid="device-code-error"' in response.content.decode()
    assert devices.DEVICE_COOKIE not in response.cookies


def test_only_a_supervisor_of_the_centre_pairs_and_revokes(centre, supervisor):
    other = make_staff(Role.SUPERVISOR)
    clerk = make_staff(Role.CLERK, centre=centre)
    for actor in (other, clerk):
        with pytest.raises(PermissionDenied):
            devices.pair_device(centre_id=centre.pk, kind=DeviceKind.KIOSK, name="", actor=actor)
    device, _code = devices.pair_device(centre_id=centre.pk, kind=DeviceKind.KIOSK, name="", actor=supervisor)
    with pytest.raises(PermissionDenied):
        devices.revoke_device(device_id=device.pk, actor=other)
    with pytest.raises(PermissionDenied):
        devices.renew_code(device_id=device.pk, actor=clerk)
    devices.revoke_device(device_id=device.pk, actor=supervisor)
    with pytest.raises(Conflict):
        devices.revoke_device(device_id=device.pk, actor=supervisor)
    assert HallDevice.objects.get(pk=device.pk).revoked_at is not None


def test_a_bad_kind_is_refused(centre, supervisor):
    with pytest.raises(ValidationError):
        devices.pair_device(centre_id=centre.pk, kind="printer", name="", actor=supervisor)
