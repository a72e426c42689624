"""Citizen accounts: a valid resident ID number, the SMS record file, a code read from it."""

from __future__ import annotations

import json
import re

import pytest

from apps.accounts.identifiers import resident_id_check_char, uscc_check_char


def resident_id(n: int = 1, birth: str = "19900307", region: str = "350102") -> str:
    first17 = f"{region}{birth}{n:03d}"
    return first17 + resident_id_check_char(first17)


def uscc(n: int = 1, region: str = "350100") -> str:
    first17 = f"91{region}{n:09d}"
    return first17 + uscc_check_char(first17)


@pytest.fixture
def sms_file(settings, tmp_path):
    """Texts go to a file (the development gateway), one JSON line each."""
    settings.HALL_SMS_GATEWAY = "apps.notifications.channels.RecordingSmsGateway"
    settings.HALL_SMS_RECORD_FILE = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


def texts(sms_file) -> list[dict]:
    if not sms_file.exists():
        return []
    return [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]


def last_code(sms_file, phone: str) -> str:
    """The 6-digit code of the latest text to ``phone``."""
    sent = [t for t in texts(sms_file) if t["phone"] == phone]
    assert sent, f"no text to {phone}"
    return re.search(r"\b(\d{6})\b", sent[-1]["text"]).group(1)


@pytest.fixture
def send(sms_file, django_capture_on_commit_callbacks):
    """Ask for a code as the pages do and return it as the text carried it (after the commit, as the
    delivery runs in production)."""
    from apps.citizens.services import request_code

    def ask(phone: str, purpose: str, client_ip: str = "203.0.113.5") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            request_code(phone=phone, purpose=purpose, client_ip=client_ip)
        return last_code(sms_file, phone)

    return ask
