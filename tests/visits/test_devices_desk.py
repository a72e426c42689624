"""The supervision desk's hall devices (kiosks, displays) and their API: the centre's devices,
pairing one (the code shown to the supervisor who paired it, in their session only), a new code,
revoking one; another centre's device is a 404."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.visits import devices
from apps.visits.models import HallDevice
from apps.visits.models.codes import DeviceKind
from tests.factories.accounts import ServiceCentreFactory, make_staff
from tests.factories.visits import make_device

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 9, 24, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def centre():
    return ServiceCentreFactory()


@pytest.fixture
def supervisor(centre):
    return make_staff(Role.SUPERVISOR, centre=centre)


def test_a_supervisor_pairs_a_display_and_is_shown_its_code_once(client, centre, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("desks:hall_devices"))
    assert page.status_code == 200 and b'data-testid="device-pair-form"' in page.content
    with time_machine.travel(NOON, tick=False):
        response = client.post(
            reverse("desks:hall_devices_pair"),
            {"centre": centre.pk, "kind": DeviceKind.DISPLAY, "name": "东"},
        )
        device = HallDevice.objects.get()
        assert device.kind == DeviceKind.DISPLAY and device.centre == centre
        assert response.status_code == 302
        assert response.url == reverse("desks:hall_device_code", args=[device.pk])
        shown = client.get(response.url)
        code = shown.context["code"]
        assert code and code[:4].encode() in shown.content and b"/display/pair/" in shown.content
        assert b"data:image/svg+xml;base64," in shown.content
        # Another supervisor of the centre sees the device, never its code.
        client.force_login(make_staff(Role.SUPERVISOR, centre=centre))
        assert client.get(response.url).context["code"] is None
    with time_machine.travel(NOON + dt.timedelta(minutes=1), tick=False):
        devices.claim_device(code=code)
        client.force_login(supervisor)
        again = client.get(response.url)
        assert again.context["code"] is None and b'data-testid="hall-device-code-gone"' in again.content


def test_the_list_shows_the_centres_devices_renews_and_revokes(client, centre, supervisor):
    mine, _key = make_device(centre, DeviceKind.KIOSK)
    theirs, _key = make_device(ServiceCentreFactory(), DeviceKind.KIOSK)
    awaiting, _code = devices.pair_device(
        centre_id=centre.pk, kind=DeviceKind.DISPLAY, name="", actor=supervisor
    )
    client.force_login(supervisor)
    page = client.get(reverse("desks:hall_devices"))
    assert f'data-testid="hall-device-{mine.pk}"'.encode() in page.content
    assert f'data-testid="hall-device-{theirs.pk}"'.encode() not in page.content
    response = client.post(reverse("desks:hall_device_renew", args=[awaiting.pk]))
    assert response.url == reverse("desks:hall_device_code", args=[awaiting.pk])
    assert client.get(response.url).context["code"]
    response = client.post(reverse("desks:hall_device_revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert client.post(reverse("desks:hall_device_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("desks:hall_device_renew", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("desks:hall_device_code", args=[theirs.pk])).status_code == 404


def test_pairing_for_another_centre_is_refused(client, supervisor):
    elsewhere = ServiceCentreFactory()
    client.force_login(supervisor)
    response = client.post(
        reverse("desks:hall_devices_pair"), {"centre": elsewhere.pk, "kind": DeviceKind.KIOSK}
    )
    assert response.status_code == 302 and response.url == reverse("desks:hall_devices")
    assert not HallDevice.objects.exists()


def test_only_the_supervision_desk_opens_the_devices(client, centre):
    client.force_login(make_staff(Role.CLERK, centre=centre))
    assert client.get(reverse("desks:hall_devices")).status_code == 403


def test_the_list_reads_a_constant_number_of_queries(
    client, centre, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    make_device(centre, DeviceKind.KIOSK)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("desks:hall_devices"))
    for _ in range(5):
        make_device(centre, DeviceKind.DISPLAY)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("desks:hall_devices"))


# --- the API ---------------------------------------------------------------------------------------


def test_a_supervisor_lists_pairs_renews_and_revokes_through_the_api(centre, supervisor):
    api = APIClient()
    api.force_authenticate(supervisor)
    response = api.post(
        "/api/v1/hall-devices/", {"centre": centre.pk, "kind": DeviceKind.KIOSK, "name": "入口"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "awaiting" and len(body["pairing_code"]) == 8
    assert body["pair_url"].endswith("/display/pair/")
    listed = api.get("/api/v1/hall-devices/").json()
    assert [row["id"] for row in listed] == [body["id"]]
    renewed = api.post(f"/api/v1/hall-devices/{body['id']}/renew-code/")
    assert renewed.status_code == 200 and renewed.json()["pairing_code"]

    claimed = APIClient().post("/api/v1/hall-devices/claim/", {"code": renewed.json()["pairing_code"]})
    assert claimed.status_code == 201
    assert claimed.json()["kind"] == DeviceKind.KIOSK and claimed.json()["centre"] == centre.pk
    key = claimed.json()["device_key"]
    assert devices.device_from_key(key, DeviceKind.KIOSK).pk == body["id"]
    assert api.post(f"/api/v1/hall-devices/{body['id']}/renew-code/").status_code == 409

    revoked = api.post(f"/api/v1/hall-devices/{body['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert api.post(f"/api/v1/hall-devices/{body['id']}/revoke/").status_code == 409
    assert devices.device_from_key(key, DeviceKind.KIOSK) is None


def test_the_api_refuses_another_centre_and_other_roles(centre, supervisor):
    theirs, _key = make_device(ServiceCentreFactory(), DeviceKind.KIOSK)
    api = APIClient()
    api.force_authenticate(supervisor)
    assert api.post(f"/api/v1/hall-devices/{theirs.pk}/revoke/").status_code == 404
    other = ServiceCentreFactory()
    assert (
        api.post("/api/v1/hall-devices/", {"centre": other.pk, "kind": DeviceKind.KIOSK}).status_code == 403
    )
    clerk = APIClient()
    clerk.force_authenticate(make_staff(Role.CLERK, centre=centre))
    assert clerk.get("/api/v1/hall-devices/").status_code == 403
    assert APIClient().get("/api/v1/hall-devices/").status_code in (401, 403)


def test_a_wrong_code_is_refused_through_the_api():
    response = APIClient().post("/api/v1/hall-devices/claim/", {"code": "00000000"})
    assert response.status_code == 400
