import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


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
    """Ratings are counted per address in the cache (the rate limit): every test starts from zero."""
    cache.clear()
    yield
    cache.clear()
