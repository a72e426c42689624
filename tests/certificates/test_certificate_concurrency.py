"""The desk under concurrent use (PostgreSQL row locks): numbers stay gap-free and unique when many
seal keepers confirm at once, one filing is asked for and issued once, and no document is sealed
after its seal was suspended."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.certificates import services
from apps.certificates.models import IssuedDocument, IssueRequest, RequestState, Seal, SealStatus, SealUse
from apps.core.errors import Conflict
from apps.licences.models import ElectronicCertificate
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import accept_filing, make_filing
from tests.factories.certificates import certificate_item, decide_all, issuing_rule, keeper_for, make_seal
from tests.factories.certificates import ready_filing as ready

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Run each call in its own thread (and database connection), released at once; what each
    returned or raised, in the order of ``calls``."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def attempt(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the caller's assertions report it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def kinds(outcomes) -> list[str]:
    return sorted("error" if isinstance(o, Exception) else "ok" for o in outcomes)


def test_fifty_confirms_of_one_type_at_once_get_the_numbers_one_to_fifty():
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    make_seal(department)
    rule = issuing_rule()
    item = certificate_item(department, rule=rule)
    filings = [decide_all(accept_filing(make_filing(items=[item], centre=centre))) for _ in range(50)]
    assert {f.state for f in filings} == {FilingState.READY_FOR_ISSUE}
    issuer, keeper = make_staff(Role.ISSUER, centre=centre), make_staff(Role.SEAL_KEEPER, centre=centre)
    requests = [services.request_issue(filing_id=f.pk, actor=issuer) for f in filings]

    def confirm(request_id):
        return lambda: services.confirm_issue(request_id=request_id, actor=User.objects.get(pk=keeper.pk))

    outcomes = run_together(*(confirm(r.pk) for r in requests))

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    numbers = [document.number for [document] in outcomes]
    assert len(set(numbers)) == 50
    year = IssuedDocument.objects.first().issued_at.year
    prefix = f"JY{centre.region_code}{year}"
    assert all(n.startswith(prefix) for n in numbers)
    assert sorted(int(n[len(prefix) :]) for n in numbers) == list(range(1, 51))
    serials = sorted(int(e.identifier.split(".")[7]) for e in ElectronicCertificate.objects.all())
    assert serials == [year * 10**7 + n for n in range(1, 51)]
    assert IssuedDocument.objects.filter(licence_type=rule.licence_type).count() == 50
    assert SealUse.objects.count() == 50
    assert set(IssueRequest.objects.values_list("state", flat=True)) == {RequestState.CONFIRMED}
    assert set(Filing.objects.filter(pk__in=[f.pk for f in filings]).values_list("state", flat=True)) == {
        FilingState.ISSUED
    }


def test_two_issuers_asking_for_one_filing_at_once_make_one_request():
    filing = ready()
    first, second = (make_staff(Role.ISSUER, centre=filing.centre) for _ in range(2))
    outcomes = run_together(
        lambda: services.request_issue(filing_id=filing.pk, actor=first),
        lambda: services.request_issue(filing_id=filing.pk, actor=second),
    )
    assert kinds(outcomes) == ["error", "ok"]
    [conflict] = [o for o in outcomes if isinstance(o, Exception)]
    assert isinstance(conflict, Conflict), repr(conflict)
    assert IssueRequest.objects.filter(filing=filing, state=RequestState.PENDING).count() == 1


def test_two_seal_keepers_confirming_one_request_at_once_issue_once():
    filing = ready(departments=2)
    request = services.request_issue(filing_id=filing.pk, actor=make_staff(Role.ISSUER, centre=filing.centre))
    keepers = [keeper_for(filing) for _ in range(2)]
    outcomes = run_together(
        *(lambda k=k: services.confirm_issue(request_id=request.pk, actor=k) for k in keepers)
    )
    assert kinds(outcomes) == ["error", "ok"]
    [conflict] = [o for o in outcomes if isinstance(o, Exception)]
    assert isinstance(conflict, Conflict), repr(conflict)
    assert IssuedDocument.objects.filter(filing=filing).count() == filing.cases.count() == 2
    assert ElectronicCertificate.objects.count() == 2
    assert SealUse.objects.count() == 2
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED


@pytest.mark.parametrize("attempt", range(4))
def test_no_document_is_sealed_after_its_seal_was_suspended(attempt):
    filing = ready()
    seal = filing.cases.get().department.seals.get()
    issuer, keeper, other_keeper = (
        make_staff(Role.ISSUER, centre=filing.centre),
        keeper_for(filing),
        keeper_for(filing),
    )
    request = services.request_issue(filing_id=filing.pk, actor=issuer)
    confirmed, suspended = run_together(
        lambda: services.confirm_issue(request_id=request.pk, actor=keeper),
        lambda: services.set_seal_status(
            seal_id=seal.pk, actor=other_keeper, status=SealStatus.SUSPENDED, reason="印章遗失"
        ),
    )
    assert isinstance(suspended, Seal), repr(suspended)
    seal.refresh_from_db()
    assert seal.status == SealStatus.SUSPENDED
    uses = list(SealUse.objects.filter(seal=seal))
    if isinstance(confirmed, Exception):
        # Refused: the keeper saw the suspension.
        assert isinstance(confirmed, ValidationError), repr(confirmed)
        assert uses == [] and not IssuedDocument.objects.filter(filing=filing).exists()
        assert IssueRequest.objects.get(pk=request.pk).state == RequestState.PENDING
    else:
        # Issued first: the suspension waited for the issue's commit.
        assert len(uses) == len(confirmed) == 1
        assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED
    assert all(use.at <= seal.status_changed_at for use in uses)
