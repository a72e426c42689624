"""Every condition and permission on the hall's state graphs says why it refuses (``refuses``): a
refused action is worded from the rule that refused it, never the generic "Not possible now"."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django_fsm import FSMFieldMixin

from apps.audit.transitions import check_transition
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.core.errors import Conflict


def graph_rules():
    """(model, transition, rule) for every condition and permission check of every FSM field."""
    for model in apps.get_models():
        for field in model._meta.fields:
            if not isinstance(field, FSMFieldMixin):
                continue
            for transition in field.get_all_transitions(model):
                for condition in transition.conditions:
                    yield model, transition.name, condition
                permission = transition.permission
                if callable(permission):
                    for check in getattr(permission, "checks", (permission,)):
                        yield model, transition.name, check


def test_the_graphs_have_rules_to_check():
    named = {(model.__name__, name) for model, name, _rule in graph_rules()}
    assert ("Filing", "complete_review") in named and ("IssueRequest", "confirm") in named


@pytest.mark.parametrize(
    "model, name, rule", list(graph_rules()), ids=lambda v: getattr(v, "__name__", str(v))
)
def test_each_rule_carries_its_words(model, name, rule):
    assert getattr(rule, "refusal", None), f"{model.__name__}.{name}: {rule.__name__} has no words"


def test_a_filing_with_an_open_deficiency_is_refused_in_the_deficiencys_words():
    filing = Filing(state=FilingState.ACCEPTED_WITH_DEFICIENCY)
    with (
        translation.override("en"),
        pytest.raises(Conflict, match="deficiency .* is still open: it must be cleared first"),
    ):
        check_transition(filing, "complete_review")
    check_transition(
        Filing(state=FilingState.ACCEPTED_WITH_DEFICIENCY, deficiency_cleared_at=timezone.now()),
        "complete_review",
    )
