import pytest
from django.core.cache import cache

from apps.accounts.roles import Role
from tests.factories import ServiceCentreFactory, make_staff


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
