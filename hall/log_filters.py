"""Logging filters for the hall's log (configured in settings.LOGGING)."""

import logging
import re

from apps.accounts.identifiers import mask_identifier


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (4xx: forbidden, not found, a bad Host header) in one line, without its
    traceback: the exception is how Django answered the client, not a fault of the server. Django logs
    these with the exception attached; server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


# An 18-character resident ID (17 digits and a digit or X) or unified social credit code, standing
# alone (not inside a longer token), in any case: what a search typed in full puts in an address.
IDENTITY_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}(?![0-9A-Za-z])", re.IGNORECASE
)


class IdentityNumbersMasked(logging.Filter):
    """Identity numbers masked in every log line (110105********002X). A desk search by a full number
    travels in the list's address (``?q=``), and request lines are logged with their query; the hall's
    log must not become a register of who was looked up (the disclosure log records that, on purpose)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = IDENTITY_NUMBER.sub(lambda m: mask_identifier(m.group(0)), message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
