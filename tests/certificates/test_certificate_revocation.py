"""Revoking (撤销) or cancelling (注销) a certificate: a decision of the issuing department, written to
the library so that intake and the public verification page say so from that commit on."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases.models import Outcome
from apps.certificates import services, verification
from apps.certificates.models import VerificationOutcome
from apps.core.errors import Conflict
from apps.licences.lookup import valid_certificates
from apps.licences.models import CertificateStatus, ElectronicCertificate
from apps.notifications.models import Outbox
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import PERSON
from tests.factories.certificates import issue, ready_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

TODAY = dt.datetime(2026, 9, 24, 2, 0)
LATER = dt.datetime(2026, 11, 3, 7, 30)


def issued_certificate(**kwargs):
    with time_machine.travel(TODAY, tick=False):
        [document] = issue(ready_filing(**kwargs))
    return document


def decision_maker_of(document):
    return make_staff(Role.DECISION_MAKER, department=document.department)


def entry_of(document) -> ElectronicCertificate:
    return ElectronicCertificate.objects.get(pk=document.library_entry_id)


@time_machine.travel(LATER, tick=False)
def test_a_decision_maker_of_the_issuing_department_revokes_a_certificate():
    document = issued_certificate()
    assert [c.number for c in valid_certificates(PERSON.id_number)] == [document.number]
    boss = decision_maker_of(document)

    services.revoke(document_id=document.pk, actor=boss, reason="以欺骗手段取得许可", client_ip="192.0.2.9")

    entry = entry_of(document)
    assert entry.status == CertificateStatus.REVOKED
    assert entry.revocation_reason == "撤销：以欺骗手段取得许可"
    assert entry.revoked_at is not None and entry.revoked_at.date() == dt.date(2026, 11, 3)
    assert entry.status_on(dt.date(2026, 11, 3)) == "revoked"
    [logged] = history_of(entry)
    assert (logged.transition, logged.from_state, logged.to_state) == ("revoke", "valid", "revoked")
    assert (logged.actor, logged.comment, logged.client_ip) == (boss, "以欺骗手段取得许可", "192.0.2.9")
    told = Outbox.objects.filter(event="certificate_revoked")
    assert told.exists()
    assert all(document.number in row.context["certificate"] for row in told)
    assert all(row.subject_ref == f"cases.filing:{document.filing_id}" for row in told)

    # The library no longer counts it, and the public page says so at once.
    assert valid_certificates(PERSON.id_number) == []
    result = verification.by_token(document.verification_token)
    assert result.outcome == VerificationOutcome.REVOKED
    assert result.facts()["revoked_at"] == entry.revoked_at


@time_machine.travel(LATER, tick=False)
def test_a_cancellation_is_recorded_as_such():
    document = issued_certificate()
    services.revoke(document_id=document.pk, actor=decision_maker_of(document), reason="歇业", mode="cancel")
    entry = entry_of(document)
    assert (entry.status, entry.revocation_reason) == (CertificateStatus.REVOKED, "注销：歇业")
    assert [e.transition for e in history_of(entry)] == ["cancel"]


def test_only_a_decision_maker_of_the_issuing_department_may_revoke():
    document = issued_certificate()
    elsewhere = make_staff(
        Role.DECISION_MAKER, department=DepartmentFactory(centre=document.department.centre)
    )
    issuer = make_staff(Role.ISSUER, centre=document.department.centre)
    keeper = make_staff(Role.SEAL_KEEPER, centre=document.department.centre)
    approver = make_staff(Role.APPROVER, department=document.department)
    for actor in (elsewhere, issuer, keeper, approver):
        with pytest.raises(PermissionDenied):
            services.revoke(document_id=document.pk, actor=actor, reason="越权撤销")
    assert entry_of(document).status == CertificateStatus.VALID
    assert not history_of(entry_of(document)).exists()
    assert not Outbox.objects.filter(event="certificate_revoked").exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_revocation_gives_its_reason(reason):
    document = issued_certificate()
    with pytest.raises(ValidationError) as refused:
        services.revoke(document_id=document.pk, actor=decision_maker_of(document), reason=reason)
    assert "reason" in refused.value.message_dict
    assert entry_of(document).status == CertificateStatus.VALID


def test_an_unknown_mode_is_refused():
    document = issued_certificate()
    with pytest.raises(ValidationError) as refused:
        services.revoke(document_id=document.pk, actor=decision_maker_of(document), reason="x", mode="void")
    assert "mode" in refused.value.message_dict
    assert entry_of(document).status == CertificateStatus.VALID


def test_a_certificate_is_revoked_once():
    document = issued_certificate()
    boss = decision_maker_of(document)
    services.revoke(document_id=document.pk, actor=boss, reason="以欺骗手段取得许可")
    first = entry_of(document)
    told = Outbox.objects.filter(event="certificate_revoked").count()
    assert told > 0
    with pytest.raises(Conflict, match="revoked already"):
        services.revoke(document_id=document.pk, actor=boss, reason="再次撤销", mode="cancel")
    entry = entry_of(document)
    assert (entry.revoked_at, entry.revocation_reason) == (first.revoked_at, first.revocation_reason)
    assert history_of(entry).count() == 1
    assert Outbox.objects.filter(event="certificate_revoked").count() == told


def test_a_decision_of_denial_cannot_be_revoked():
    denial = issued_certificate(outcome=Outcome.DENY)
    assert denial.library_entry_id is None
    with pytest.raises(ValidationError, match="not a certificate"):
        services.revoke(document_id=denial.pk, actor=decision_maker_of(denial), reason="撤销决定书")
    assert not Outbox.objects.filter(event="certificate_revoked").exists()
