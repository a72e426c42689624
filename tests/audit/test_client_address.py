"""The client address that the audit log, the lockout and the rate limits record: X-Forwarded-For is
believed only from a configured proxy, read from the right past the trusted proxies, and only when it
is an IP address."""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from apps.accounts.identifiers import mask_name
from apps.audit.requests import client_ip
from apps.certificates.models import VerificationLog


def seen(xff=None, *, peer="10.0.0.1"):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=peer, **extra))


@pytest.fixture
def one_proxy(settings):
    settings.HALL_TRUSTED_PROXIES = ["10.0.0.1"]


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.HALL_TRUSTED_PROXIES = []
    assert seen("1.2.3.4", peer="10.0.0.5") == "10.0.0.5"  # a forged header is ignored


def test_a_header_from_an_untrusted_peer_is_ignored(one_proxy):
    # A client on the intranet talks to the application directly, claiming to be someone else.
    assert seen("192.168.8.20", peer="10.0.0.77") == "10.0.0.77"


def test_from_the_trusted_proxy_the_address_it_saw(one_proxy):
    assert seen("192.168.8.20") == "192.168.8.20"
    # What the client claimed before reaching the proxy does not count: the proxy appends on the right.
    assert seen("6.6.6.6, 192.168.8.20") == "192.168.8.20"
    assert seen(" 192.168.8.20 ") == "192.168.8.20"
    assert seen("2001:db8::7") == "2001:db8::7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.HALL_TRUSTED_PROXIES = ["10.0.0.0/24", "172.16.5.9"]
    assert seen("6.6.6.6, 192.168.8.20, 172.16.5.9, 10.0.0.3") == "192.168.8.20"
    # Every hop trusted: the left-most one the proxies reported.
    assert seen("10.0.0.9, 10.0.0.3") == "10.0.0.9"


@pytest.mark.parametrize(
    "junk",
    [
        "<script>alert(1)</script>",
        "unknown",
        "192.168.8.20:51000",  # a port is not an address
        "999.1.1.1",
        "fe80::1%eth0",  # a zone is no address the log can hold
        "192.168.8.20\x00",
        "",
        ", ,",
        "1" * 10_000,
    ],
)
def test_a_header_that_is_no_address_falls_back_to_the_peer(one_proxy, junk):
    assert seen(junk) == "10.0.0.1"
    assert seen(f"192.168.8.20, {junk}") == "10.0.0.1"  # junk where the proxy's entry should be


def test_an_unreadable_peer_is_no_address():
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="unix:/run/gunicorn.sock")) is None


def test_the_lockout_takes_the_same_address(one_proxy):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.8.20")
    assert get_client_ip_address(request) == client_ip(request) == "192.168.8.20"


@pytest.mark.django_db
def test_a_login_through_the_proxy_is_recorded_at_the_clients_address(client, settings):
    settings.HALL_TRUSTED_PROXIES = ["127.0.0.1"]
    login = reverse("accounts:login")
    client.post(login, {"username": "nobody", "password": "x"}, HTTP_X_FORWARDED_FOR="192.168.8.20")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.168.8.20"]


@pytest.mark.django_db
def test_a_login_with_a_made_up_header_is_no_server_error_and_records_the_peer(client, settings):
    settings.HALL_TRUSTED_PROXIES = ["127.0.0.1"]
    login = reverse("accounts:login")
    response = client.post(login, {"username": "nobody", "password": "x"}, HTTP_X_FORWARDED_FOR="' OR 1=1 --")
    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


@pytest.mark.django_db
def test_a_public_lookup_with_a_made_up_header_is_no_server_error_and_logs_the_peer(client, settings):
    settings.HALL_TRUSTED_PROXIES = ["127.0.0.1"]
    page = client.get("/verify/", {"number": "X1", "code": "Y"}, HTTP_X_FORWARDED_FOR="not-an-address")
    api = client.get("/api/v1/verify/", {"number": "X1", "code": "Y"}, HTTP_X_FORWARDED_FOR="<b>")
    assert (page.status_code, api.status_code) == (200, 200)
    assert list(VerificationLog.objects.values_list("client_ip", flat=True)) == ["127.0.0.1", "127.0.0.1"]


def test_names_on_public_pages_keep_one_character():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""
