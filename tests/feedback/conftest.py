import pytest
from django.core.cache import cache

from apps.accounts.roles import Role
from tests.factories import make_staff
from tests.factories.cases import comprehensive_window


@pytest.fixture(autouse=True)
def empty_cache():
    """Ratings and pad pairing attempts are counted per address in the cache (the rate limits):
    every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def window():
    """A comprehensive window of a new centre (the evaluation pads' tests pair their pads at it)."""
    return comprehensive_window()


@pytest.fixture
def supervisor(window):
    """A supervisor of ``window``'s centre."""
    return make_staff(Role.SUPERVISOR, centre=window.centre)
