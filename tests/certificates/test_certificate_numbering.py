"""Certificate numbers from their type's format, the keyed check code printed beside them, and the
GB/T 36904 identifier whose serial is the same counter as the number's."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.certificates import numbering
from apps.certificates.identifiers import parse
from apps.certificates.models import validate_number_format
from tests.factories.certificates import issue, ready_filing


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [
        ("{region}{year}{serial:06d}", "3501002026000042"),
        ("JY{region}{year}{serial:06d}", "JY3501002026000042"),
        ("{type}-{year}-{serial}", "BL-2026-42"),
        ("闽食许{year}第{serial:05d}号", "闽食许2026第00042号"),
        ("{serial:08d}", "00000042"),
        ("{year}{year}-{serial:03d}", "20262026-042"),
    ],
)
def test_a_number_is_its_format_filled_in(number_format, expected):
    validate_number_format(number_format)
    number = numbering.format_number(number_format, year=2026, serial=42, region="350100", type_code="BL")
    assert number == expected


def test_a_serial_wider_than_its_width_is_printed_whole():
    number = numbering.format_number("{serial:03d}", year=2026, serial=12345, region="350100", type_code="BL")
    assert number == "12345"


@pytest.mark.parametrize(
    "number_format",
    [
        "JY{region}{year}",  # no counter: numbers would repeat
        "{year}-{serail}",  # misspelt: no {serial} either
        "{region}{year}{serial}{month}",  # unknown placeholder
        "{serial:6d}",  # a width without its zero
        "{serial:06x}",  # not a decimal width
        "{serial}{",  # a stray brace
        "{serial}}",
    ],
)
def test_a_format_without_its_counter_or_with_unknown_placeholders_is_refused(number_format):
    with pytest.raises(ValidationError):
        validate_number_format(number_format)


def test_the_check_code_is_stable_eight_characters_and_differs_per_number():
    code = numbering.check_code("BL", "JY3501002026000001")
    assert code == numbering.check_code("BL", "JY3501002026000001")
    assert len(code) == numbering.CHECK_CODE_LENGTH == 8
    assert code == code.upper() and all(c in "0123456789ABCDEF" for c in code)
    others = {numbering.check_code("BL", f"JY3501002026{n:06d}") for n in range(2, 50)}
    assert code not in others and len(others) == 48
    assert numbering.check_code("SP", "JY3501002026000001") != code  # the type is part of it


def test_the_check_code_depends_on_the_key(settings):
    settings.HALL_VERIFICATION_KEY = "one key"
    first = numbering.check_code("BL", "JY3501002026000001")
    settings.HALL_VERIFICATION_KEY = "another key"
    assert numbering.check_code("BL", "JY3501002026000001") != first


def test_a_typed_check_code_matches_the_printed_one_whatever_its_case_and_surrounding_space():
    code = numbering.check_code("BL", "JY3501002026000001")
    assert numbering.codes_match(code, code)
    assert numbering.codes_match(code, f" {code.lower()} ")
    assert not numbering.codes_match(code, numbering.check_code("BL", "JY3501002026000002"))
    assert not numbering.codes_match(code, code[:-1])
    assert not numbering.codes_match(code, "")
    assert not numbering.codes_match(code, None)
    assert not numbering.codes_match("", "")  # a document without a printed code matches nothing


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (dt.date(2026, 9, 24), 5, dt.date(2031, 9, 24)),
        (dt.date(2028, 2, 29), 1, dt.date(2029, 2, 28)),
        (dt.date(2028, 2, 29), 4, dt.date(2032, 2, 29)),
    ],
)
def test_years_are_added_calendar_wise(day, years, expected):
    assert numbering.add_years(day, years) == expected


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False)
def test_an_issued_certificates_identifier_parses_and_its_serial_is_the_year_and_counter():
    filing = ready_filing()
    first = issue(filing)[0]
    case = filing.cases.select_related("department", "item__result_licence_type").get()
    identifier = parse(first.library_entry.identifier)
    assert identifier.type_code == case.item.result_licence_type.code
    assert identifier.issuer_code == case.department.credit_code
    assert identifier.serial == "20260000001"
    assert identifier.version == 1
    assert first.content["identifier"] == first.library_entry.identifier
    assert first.content["check_code"] == numbering.check_code(identifier.type_code, first.number)
