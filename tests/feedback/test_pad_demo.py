"""The demo's evaluation pad at A01: seed_demo prints a pairing code a tablet can use; seeding again
draws a new one (the old stops working) until a tablet holds the pad, which is then left alone."""

import re

import pytest
from django.core.exceptions import ValidationError

from apps.demo.seeding.organisation import CITY, seed_organisation
from apps.demo.seeding.pads import seed_pads
from apps.feedback import pads
from apps.feedback.models import EvaluationPad

pytestmark = pytest.mark.django_db


def _code(lines: list[str]) -> str:
    [line] = lines
    return re.search(r"code for A01: (\d{8})", line).group(1)


def test_the_demo_pad_is_paired_by_its_printed_code_once():
    seed_organisation()
    first = _code(seed_pads(CITY["name"]))
    second = _code(seed_pads(CITY["name"]))
    assert EvaluationPad.objects.count() == 1
    with pytest.raises(ValidationError):
        pads.claim_pad(code=first)  # replaced by the second run's
    pad, key = pads.claim_pad(code=second)
    assert pad.window.number == "A01" and pads.pad_from_key(key) == pad
    [line] = seed_pads(CITY["name"])
    assert "paired with a tablet already" in line
    assert pads.pad_from_key(key) == pad and EvaluationPad.objects.count() == 1
