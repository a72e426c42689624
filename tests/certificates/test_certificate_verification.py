"""Public verification of issued certificates (证照核验): by the QR code's token or by the printed
number and check code; no login; only what verification needs shown; every lookup logged and
rate-limited per client address."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from apps.accounts.identifiers import mask_identifier
from apps.accounts.roles import Role
from apps.certificates import services, verification
from apps.certificates.models import VerificationLog
from apps.certificates.models import VerificationOutcome as O
from apps.certificates.verification import VERDICTS, VerificationThrottle
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, PERSON, accept_filing, make_filing
from tests.factories.catalogue import LicenceTypeFactory
from tests.factories.certificates import (
    certificate_item,
    decide_all,
    issue,
    issuing_rule,
    make_seal,
    ready_filing,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)  # 10:00 in Shanghai; valid until 2031-09-23


@pytest.fixture
def three_a_minute(monkeypatch):
    # DRF captured DEFAULT_THROTTLE_RATES in a class attribute at import: patch the class.
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "3/min"})


def issued_certificate(**kwargs):
    with time_machine.travel(TODAY, tick=False):
        [document] = issue(ready_filing(**kwargs))
    return document


def code_of(document) -> str:
    return document.content["check_code"]


def verdict(outcome) -> str:
    """The verdict as the page shows it (in the hall's default language)."""
    with translation.override("zh-hans"):
        return escape(str(VERDICTS[outcome]))


@time_machine.travel(dt.datetime(2027, 5, 1, 1, 0), tick=False)
def test_a_valid_certificate_by_its_token_is_logged_with_the_lookup():
    document = issued_certificate()
    result = verification.by_token(document.verification_token, client_ip="203.0.113.5")
    assert result.outcome == O.VALID and result.genuine and result.document == document
    [log] = VerificationLog.objects.all()
    assert (log.method, log.query, log.document, log.outcome) == (
        "token",
        document.verification_token,
        document,
        O.VALID,
    )
    assert log.client_ip == "203.0.113.5"


def test_an_unknown_token_is_said_to_be_no_certificate():
    issued_certificate()
    result = verification.by_token("forged-token-that-nobody-issued", client_ip="203.0.113.5")
    assert result.outcome == O.UNKNOWN and not result.genuine and result.facts() is None
    blank = verification.by_token("   ")
    assert blank.outcome == O.UNKNOWN
    logs = list(VerificationLog.objects.order_by("pk").values_list("outcome", "document", "client_ip"))
    assert logs == [(O.UNKNOWN, None, "203.0.113.5"), (O.UNKNOWN, None, None)]


def test_a_revoked_certificate_is_said_to_be_revoked():
    document = issued_certificate()
    boss = make_staff(Role.DECISION_MAKER, department=document.department)
    services.revoke(document_id=document.pk, actor=boss, reason="以欺骗手段取得许可")
    assert verification.by_token(document.verification_token).outcome == O.REVOKED
    assert verification.by_number(document.number, code_of(document)).outcome == O.REVOKED
    assert list(VerificationLog.objects.values_list("outcome", flat=True)) == [O.REVOKED, O.REVOKED]


def test_a_certificate_expires_after_its_last_valid_day():
    document = issued_certificate()
    assert document.library_entry.valid_until == dt.date(2031, 9, 23)
    with time_machine.travel(dt.datetime(2031, 9, 23, 15, 0), tick=False):  # 23:00 on its last day
        assert verification.by_token(document.verification_token).outcome == O.VALID
    with time_machine.travel(dt.datetime(2031, 9, 23, 16, 30), tick=False):  # 00:30 the day after
        assert verification.by_token(document.verification_token).outcome == O.EXPIRED
    assert [log.outcome for log in VerificationLog.objects.order_by("pk")] == [O.VALID, O.EXPIRED]


def test_a_certificate_valid_from_a_later_day_is_not_valid_yet():
    document = issued_certificate(valid_from=dt.date(2026, 10, 1))
    with time_machine.travel(TODAY, tick=False):
        assert verification.by_token(document.verification_token).outcome == O.NOT_YET_VALID
    with time_machine.travel(dt.datetime(2026, 10, 1, 2, 0), tick=False):
        assert verification.by_token(document.verification_token).outcome == O.VALID


@time_machine.travel(TODAY, tick=False)
def test_by_number_the_check_code_must_match():
    document = issued_certificate()
    right = verification.by_number(document.number, code_of(document).lower(), client_ip="198.51.100.1")
    assert right.outcome == O.VALID and right.document == document
    wrong_code = "00000000" if code_of(document) != "00000000" else "11111111"
    assert verification.by_number(document.number, wrong_code).outcome == O.TAMPERED
    assert verification.by_number(document.number, "").outcome == O.TAMPERED
    assert verification.by_number("JY3501002026999999", code_of(document)).outcome == O.UNKNOWN
    logs = list(VerificationLog.objects.order_by("pk").values_list("method", "query", "outcome", "document"))
    assert logs == [
        ("number", f"{document.number} {code_of(document).lower()}", O.VALID, document.pk),
        ("number", f"{document.number} {wrong_code}", O.TAMPERED, None),
        ("number", document.number, O.TAMPERED, None),
        ("number", f"JY3501002026999999 {code_of(document)}", O.UNKNOWN, None),
    ]
    assert VerificationLog.objects.filter(client_ip="198.51.100.1").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_same_number_of_two_types_is_told_apart_by_its_check_code():
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    make_seal(department)
    rules = [issuing_rule(LicenceTypeFactory(), number_format="{year}{serial:06d}") for _ in range(2)]
    items = [certificate_item(department, rule=rule) for rule in rules]
    documents = issue(decide_all(accept_filing(make_filing(items=items, centre=centre))))
    assert documents[0].number == documents[1].number == "2026000001"
    for document in documents:
        assert verification.by_number(document.number, code_of(document)).document == document


@time_machine.travel(TODAY, tick=False)
def test_the_facts_mask_a_persons_name_and_code():
    document = issued_certificate()
    facts = verification.by_token(document.verification_token).facts()
    assert facts["holder"] == "张*"
    assert facts["holder_code"] == mask_identifier(PERSON.id_number) == "110105********002X"
    assert facts["number"] == document.number
    assert facts["issuer"] == document.department.name
    assert facts["type"] == document.licence_type.name
    assert (facts["valid_from"], facts["valid_until"]) == (dt.date(2026, 9, 24), dt.date(2031, 9, 23))
    assert facts["status"] == O.VALID and facts["revoked_at"] is None


@time_machine.travel(TODAY, tick=False)
def test_the_facts_show_an_organisations_name_in_full_and_mask_its_code():
    document = issued_certificate(applicant=COMPANY)
    facts = verification.by_token(document.verification_token).facts()
    assert facts["holder"] == "示范餐饮有限公司"
    assert facts["holder_code"] == mask_identifier(COMPANY.id_number)
    assert COMPANY.id_number not in str(facts)


@time_machine.travel(TODAY, tick=False)
def test_a_token_lookup_costs_two_statements_whatever_is_shown():
    document = issued_certificate()
    verification.by_token(document.verification_token)  # warm: content types and the like
    with CaptureQueriesContext(connection) as captured:
        result = verification.by_token(document.verification_token)
        result.facts()
        result.verdict, result.status_label  # noqa: B018 - shown on the page
    assert len(captured) == 2, [q["sql"] for q in captured]  # the document with its entry; the log
    with CaptureQueriesContext(connection) as unknown:
        verification.by_token("nobody-issued-this").facts()
    assert len(unknown) == 2


@time_machine.travel(TODAY, tick=False)
def test_the_public_page_shows_the_verdict_and_number_but_no_identity_number(client):
    document = issued_certificate()
    response = client.get(f"/verify/{document.verification_token}/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = response.content.decode()
    assert 'data-outcome="valid"' in page
    assert verdict(O.VALID) in page
    assert document.number in page and document.department.name in page
    assert "张*" in page and "110105********002X" in page
    assert PERSON.id_number not in page and "张三" not in page
    log = VerificationLog.objects.get()
    assert (log.method, log.outcome, log.client_ip) == ("token", O.VALID, "127.0.0.1")


@time_machine.travel(TODAY, tick=False)
def test_the_public_page_verifies_a_number_with_its_check_code(client):
    document = issued_certificate()
    page = client.get("/verify/", {"number": document.number, "code": code_of(document)}).content.decode()
    assert 'data-outcome="valid"' in page and document.number in page
    tampered = client.get("/verify/", {"number": document.number, "code": "ZZZZ0000"})
    assert tampered.status_code == 200
    assert 'data-outcome="tampered"' in tampered.content.decode()
    assert verdict(O.TAMPERED) in tampered.content.decode()
    assert document.department.name not in tampered.content.decode()  # nothing of it is shown
    # The bare form makes no lookup.
    assert 'data-testid="verdict"' not in client.get("/verify/").content.decode()
    assert [log.outcome for log in VerificationLog.objects.order_by("pk")] == [O.VALID, O.TAMPERED]


def test_a_forged_token_on_the_public_page_says_no_certificate(client):
    issued_certificate()
    response = client.get("/verify/forged0123456789abcdef/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-outcome="unknown"' in page and verdict(O.UNKNOWN) in page
    assert 'data-testid="number"' not in page
    assert VerificationLog.objects.get().outcome == O.UNKNOWN


def test_the_fourth_lookup_a_minute_is_refused_and_logged(client, three_a_minute):
    document = issued_certificate()
    url = f"/verify/{document.verification_token}/"
    with time_machine.travel(dt.datetime(2026, 10, 8, 2, 0, 0), tick=False) as traveller:
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(url)
        assert refused.status_code == 429
        page = refused.content.decode()
        assert 'data-outcome="limited"' in page and document.number not in page
        by_number = client.get("/verify/", {"number": document.number, "code": code_of(document)})
        assert by_number.status_code == 429  # the page's two ways in share the count
        logs = list(VerificationLog.objects.order_by("pk").values_list("outcome", "document", "client_ip"))
        assert logs[:3] == [(O.VALID, document.pk, "127.0.0.1")] * 3
        assert logs[3:] == [(O.LIMITED, None, "127.0.0.1")] * 2
        # Another address has its own count; and a minute later this one may ask again.
        assert client.get(url, REMOTE_ADDR="192.0.2.77").status_code == 200
        traveller.shift(dt.timedelta(seconds=61))
        assert client.get(url).status_code == 200


def test_a_client_cannot_escape_the_limit_by_sending_a_forwarded_for_header(client, three_a_minute):
    document = issued_certificate()
    url = f"/verify/{document.verification_token}/"
    statuses = [client.get(url, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(1, 6)]
    # The hall trusts no proxy (HALL_TRUSTED_PROXIES empty): every request comes from 127.0.0.1, as logged.
    assert set(VerificationLog.objects.values_list("client_ip", flat=True)) == {"127.0.0.1"}
    assert statuses == [200, 200, 200, 429, 429]


@time_machine.travel(TODAY, tick=False)
def test_a_printed_check_code_still_verifies_after_its_types_code_is_corrected():
    document = issued_certificate()
    printed = code_of(document)
    licence_type = document.licence_type
    licence_type.code = licence_type.code[:-1] + ("9" if licence_type.code[-1] != "9" else "8")
    licence_type.save(update_fields=["code"])
    # The token (QR code) still finds it: the certificate itself is genuine and valid.
    assert verification.by_token(document.verification_token).outcome == O.VALID
    assert verification.by_number(document.number, printed).outcome == O.VALID
