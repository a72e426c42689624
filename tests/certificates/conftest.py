import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from apps.accounts.roles import Role
from tests.factories import ServiceCentreFactory, make_staff


@pytest.fixture
def source_language():
    """Refusals are matched as written in the source (English), whatever the catalogue makes of them."""
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    """A client whose pages are in English (the hall defaults to Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Verification lookups are counted per address in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def centre():
    return ServiceCentreFactory()


@pytest.fixture
def issuer(centre):
    return make_staff(Role.ISSUER, centre=centre)
