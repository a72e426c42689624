"""An e-certificate's state graph in the library: valid → revoked, by revoking (撤销) or by cancelling
(注销), once. Each is a transition of its own name in the certificate's log; a revoked certificate
is neither revoked nor cancelled again, and the refusal changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.certificates import services
from apps.core.errors import Conflict
from apps.licences.models import CertificateStatus, ElectronicCertificate, RevocationMode, Standing
from tests.factories import make_staff
from tests.factories.certificates import issue, ready_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

TODAY = dt.datetime(2026, 9, 24, 2, 0)


@pytest.fixture
def source_language():
    """Refusals are matched as written in the source (English)."""
    with translation.override("en"):
        yield


@pytest.fixture
def document():
    with time_machine.travel(TODAY, tick=False):
        [issued] = issue(ready_filing())
    return issued


@pytest.fixture
def decision_maker(document):
    return make_staff(Role.DECISION_MAKER, department=document.department)


def entry_of(document) -> ElectronicCertificate:
    return ElectronicCertificate.objects.get(pk=document.library_entry_id)


def moves(entry) -> list[tuple]:
    return [(e.transition, e.from_state, e.to_state) for e in history_of(entry)]


@pytest.mark.parametrize(("mode", "term"), [(RevocationMode.REVOKE, "撤销"), (RevocationMode.CANCEL, "注销")])
def test_each_mode_is_its_own_transition_to_revoked(document, decision_maker, mode, term):
    services.revoke(document_id=document.pk, actor=decision_maker, reason="歇业", mode=mode)
    entry = entry_of(document)
    assert (entry.status, entry.revocation_reason) == (CertificateStatus.REVOKED, f"{term}：歇业")
    assert moves(entry) == [(mode.value, "valid", "revoked")]
    assert history_of(entry).get().actor == decision_maker
    assert entry.status_on(dt.date(2026, 9, 25)) == Standing.REVOKED


@pytest.mark.parametrize("second", [RevocationMode.REVOKE, RevocationMode.CANCEL])
def test_a_revoked_certificate_is_neither_revoked_nor_cancelled_again(document, decision_maker, second):
    services.revoke(document_id=document.pk, actor=decision_maker, reason="以欺骗手段取得许可")
    first = entry_of(document)
    with pytest.raises(Conflict, match="revoked already"):
        services.revoke(document_id=document.pk, actor=decision_maker, reason="再来一次", mode=second)
    entry = entry_of(document)
    assert (entry.revoked_at, entry.revocation_reason) == (first.revoked_at, first.revocation_reason)
    assert moves(entry) == [("revoke", "valid", "revoked")]


def test_the_status_is_set_by_the_transitions_only(document):
    entry = entry_of(document)
    with pytest.raises(AttributeError):
        entry.status = CertificateStatus.REVOKED
    assert entry_of(document).status == CertificateStatus.VALID
