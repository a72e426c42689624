"""Logging filters for the hall's log (configured in settings.LOGGING)."""

import logging


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
