from django.test import RequestFactory

from apps.accounts.identifiers import mask_name
from apps.audit.requests import client_ip


def test_the_peer_address_without_proxies(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"  # a forged header is ignored when no proxy is trusted


def test_the_address_the_trusted_proxy_saw(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.8.20")
    assert client_ip(request) == "192.168.8.20"  # what the client claimed before the proxy does not count


def test_names_on_public_pages_keep_one_character():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""
