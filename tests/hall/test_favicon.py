"""Every page names an icon of our own, served from static/, so no browser asks for /favicon.ico and
logs a 404 warning pair on every page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_link_an_icon_that_is_served(client):
    page = client.get(reverse("guides:catalogue")).content.decode()
    [href] = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert href.startswith("/static/")
    icon = client.get(href)
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])
