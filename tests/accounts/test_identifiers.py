import pytest
from django.core.exceptions import ValidationError

from apps.accounts.identifiers import (
    mask_identifier,
    mask_phone,
    resident_id_check_char,
    uscc_check_char,
    validate_resident_id,
    validate_uscc,
)


def test_published_resident_id_example_is_valid():
    validate_resident_id("11010519491231002X")
    assert resident_id_check_char("11010519491231002") == "X"


def test_lower_case_x_is_accepted_as_the_check_character():
    validate_resident_id("11010519491231002x")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "resident_id_checksum"),  # last character altered
        ("11010519491331002X", "resident_id_birth_date"),  # month 13
        ("11010518000101002X", "resident_id_birth_date"),  # born 1800
        ("1101051949123100", "resident_id_format"),  # too short
        ("11010519491231002Y", "resident_id_format"),
    ],
)
def test_invalid_resident_ids_are_refused_with_the_rule(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number)
    assert exc.value.code == code


def test_published_credit_code_example_is_valid():
    validate_uscc("91350100M000100Y43")
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("91350100M000100Y44", "uscc_checksum"),
        ("91350100M000100Y4", "uscc_format"),
        ("91350100M000100I43", "uscc_format"),  # I is not in the alphabet
        ("913501A0M000100Y43", "uscc_region"),
    ],
)
def test_invalid_credit_codes_are_refused_with_the_rule(code, rule):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert exc.value.code == rule


def test_every_single_character_error_in_a_credit_code_is_caught():
    valid = "91350100M000100Y43"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(18):
        for replacement in alphabet:
            if replacement == valid[position]:
                continue
            altered = valid[:position] + replacement + valid[position + 1 :]
            with pytest.raises(ValidationError):
                validate_uscc(altered)


def test_masking_keeps_region_and_last_four():
    assert mask_identifier("11010519491231002X") == "110105********002X"
    assert mask_identifier("91350100M000100Y43") == "913501********0Y43"
    assert mask_phone("13812343210") == "138****3210"
