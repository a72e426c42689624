"""A refusal with several messages reads as one sentence: no 。 followed by ；."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import Conflict, error_text


@pytest.mark.parametrize(
    ("messages", "text"),
    [
        (["申请表（书）尚未提交。", "营业执照尚未提交。"], "申请表（书）尚未提交；营业执照尚未提交。"),
        (["甲。", "乙", "丙。"], "甲；乙；丙。"),
        (["申请表（书）尚未提交。"], "申请表（书）尚未提交。"),
        (["The form is missing.", "The licence is missing."], "The form is missing. The licence is missing."),
    ],
)
def test_messages_are_joined_into_one_sentence(messages, text):
    assert error_text(ValidationError(messages)) == text


def test_a_validation_error_by_field_is_joined_the_same_way():
    error = ValidationError({"a": "申请表（书）尚未提交。", "b": "营业执照尚未提交。"})
    assert error_text(error) == "申请表（书）尚未提交；营业执照尚未提交。"


def test_a_conflict_is_its_message():
    assert error_text(Conflict("已受理。")) == "已受理。"
