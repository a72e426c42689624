"""Every step a filing's or a case's history holds has a label: no raw transition name ("open") on a
desk, and the labels that share an English word with another string have msgids of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases.codes import CASE_STEPS, FILING_STEPS
from tests.factories import make_staff
from tests.factories.certificates import issue, ready_filing

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.django_db
def test_every_step_of_an_issued_filing_and_its_cases_has_a_label(client):
    filing = ready_filing()
    issue(filing)
    steps = {entry.transition for entry in history_of(filing)}
    assert "open" in steps
    assert steps <= FILING_STEPS.keys(), steps - FILING_STEPS.keys()
    for case in filing.cases.all():
        assert {e.transition for e in history_of(case)} <= CASE_STEPS.keys()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_staff(Role.ISSUER, centre=filing.centre))
    page = client.get(reverse("desks:issuing_filing", args=[filing.pk])).content.decode()
    assert str(FILING_STEPS["open"]) in page
    assert not re.search(r"· open\b", page)


def test_shared_english_words_are_not_the_step_labels():
    # "Resumed" is the suspensions table's column (恢复日期); the step is 恢复审查.
    with translation.override("en"):
        assert str(CASE_STEPS["resume"]) != "Resumed"


def test_the_date_filter_does_not_reuse_the_transition_logs_to():
    queues = (TEMPLATES / "desks" / "backoffice.html").read_text()
    assert '{% translate "to" %}' not in queues


def test_every_radio_button_sits_inline_with_its_label():
    for template in TEMPLATES.rglob("*.html"):
        for label in re.findall(r"<label[^>]*>\s*<input type=\"radio\"", template.read_text()):
            # A desk's inline choice, or the online hall's choice card (portal.css: the radio at the
            # start of a large tappable card, its text beside it).
            assert re.search(r'class="[^"]*\b(inline-choice|choice)\b', label), template
