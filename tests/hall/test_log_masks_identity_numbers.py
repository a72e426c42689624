"""The hall's log never holds an identity number in full: a desk search by a full number travels in
the list's address, and request lines are logged with their query."""

import logging

import pytest

from hall.log_filters import IdentityNumbersMasked

RESIDENT_ID, CREDIT_CODE = "11010519491231002X", "91350100M000100Y43"


def logged(msg, *args) -> str:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, msg, args, None)
    assert IdentityNumbersMasked().filter(record)
    return record.getMessage()


@pytest.mark.parametrize("number", [RESIDENT_ID, RESIDENT_ID.lower(), CREDIT_CODE])
def test_a_request_line_with_a_full_identity_number_is_logged_masked(number):
    line = logged('"%s" %s %s', f"GET /intake/?q={number}&sort=due HTTP/1.1", "200", "5120")
    assert number not in line and number.upper() not in line
    assert f"q={number[:6]}********{number[-4:]}&sort=due" in line


def test_numbers_that_are_not_identity_numbers_stay_as_they_are():
    line = logged("GET /intake/filings/%s/ 1135010000300101702026092400013 %s", 12, "200")
    assert line == "GET /intake/filings/12/ 1135010000300101702026092400013 200"


def test_the_console_handler_masks_what_any_logger_writes():
    handler = logging.getLogger().handlers[0]
    assert any(isinstance(f, IdentityNumbersMasked) for f in handler.filters)
