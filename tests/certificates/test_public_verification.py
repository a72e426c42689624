"""The public verification page as a person on a phone uses it (issue 15, item 17): valid, ended and
not found look different (tone, icon, headline, words); a number and check code typed in lower case,
with spaces or in full-width characters are found; a cancelled (注销) certificate is said to be
cancelled, not revoked."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from apps.accounts.roles import Role
from apps.certificates import services, verification
from apps.certificates.models import VerificationLog
from apps.certificates.models import VerificationOutcome as O
from apps.licences.models import RevocationMode
from tests.factories import make_staff
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)


def issued():
    with time_machine.travel(TODAY, tick=False):
        [document] = issue(ready_filing())
    return document


def ended(document, mode):
    boss = make_staff(Role.DECISION_MAKER, department=document.department)
    services.revoke(document_id=document.pk, actor=boss, reason="营业执照已注销", mode=mode)


def spaced_lower(text: str) -> str:
    """'JY3501…' as someone might type it: lower case, in groups of four, with a trailing blank."""
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4)).lower() + " "


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


@time_machine.travel(TODAY, tick=False)
def test_a_number_and_code_typed_in_lower_case_with_spaces_are_found():
    document = issued()
    code = document.content["check_code"]
    result = verification.by_number(spaced_lower(document.number), spaced_lower(code))
    assert result.outcome == O.VALID and result.document == document
    # Full-width letters and digits (a Chinese input method) and the ideographic space too.
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in document.number.lower())
    assert verification.by_number(full_width, "\u3000" + code.lower()).document == document
    # The log keeps what was typed, for whoever reads it after a complaint.
    assert VerificationLog.objects.order_by("pk").first().query == (
        f"{spaced_lower(document.number).strip()} {spaced_lower(code).strip()}"
    )


@time_machine.travel(TODAY, tick=False)
def test_normalising_does_not_make_a_wrong_code_right():
    document = issued()
    code = document.content["check_code"]
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert verification.by_number(spaced_lower(document.number), wrong.lower()).outcome == O.TAMPERED


@time_machine.travel(TODAY, tick=False)
def test_a_cancelled_certificate_is_said_to_be_cancelled_and_a_revoked_one_revoked():
    cancelled, revoked = issued(), issued()
    ended(cancelled, RevocationMode.CANCEL)
    ended(revoked, RevocationMode.REVOKE)
    by_cancelled = verification.by_token(cancelled.verification_token)
    by_revoked = verification.by_token(revoked.verification_token)
    assert by_cancelled.outcome == by_revoked.outcome == O.REVOKED  # the logged outcome is one status
    assert by_cancelled.cancelled and not by_revoked.cancelled
    with translation.override("en"):
        assert "cancelled" in by_cancelled.verdict and "revoked" not in by_cancelled.verdict
        assert "revoked" in by_revoked.verdict
    assert by_cancelled.status_label != by_revoked.status_label


@time_machine.travel(TODAY, tick=False)
def test_the_page_says_cancelled_in_chinese_for_a_cancelled_certificate(client):
    document = issued()
    ended(document, RevocationMode.CANCEL)
    page = client.get(f"/verify/{document.verification_token}/").content.decode()
    assert 'data-tone="ended"' in page
    assert "已注销" in page and "已撤销" not in page
    assert zh(verification.CANCELLED_VERDICT) in page


@time_machine.travel(TODAY, tick=False)
def test_valid_revoked_and_unknown_look_different_on_the_page(client):
    valid, revoked = issued(), issued()
    ended(revoked, RevocationMode.REVOKE)
    pages = {
        "valid": client.get(
            "/verify/", {"number": spaced_lower(valid.number), "code": valid.content["check_code"].lower()}
        ),
        "revoked": client.get(f"/verify/{revoked.verification_token}/"),
        "unknown": client.get("/verify/", {"number": "jy 0000 0000", "code": "abcd 1234"}),
    }
    texts = {name: response.content.decode() for name, response in pages.items()}
    assert all(response.status_code == 200 for response in pages.values())
    assert 'data-tone="valid"' in texts["valid"] and 'data-outcome="valid"' in texts["valid"]
    assert 'data-tone="ended"' in texts["revoked"] and 'data-outcome="revoked"' in texts["revoked"]
    assert 'data-tone="unknown"' in texts["unknown"] and 'data-outcome="unknown"' in texts["unknown"]
    headlines = {name: text.split('data-testid="headline">')[1].split("<")[0] for name, text in texts.items()}
    assert len(set(headlines.values())) == 3, headlines
    assert headlines["valid"] == "有效"
    assert "已撤销" in texts["revoked"]
    # Each tone draws its own icon.
    icons = {name: text.split('class="verdict-icon"')[1].split("</svg>")[0] for name, text in texts.items()}
    assert len(set(icons.values())) == 3
