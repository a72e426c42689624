"""Issuing a filing's documents at the unified desk (统一窗口出证): an issuer asks, a seal keeper
confirms (双人用印), and every document of the filing is numbered, sealed and entered in the
e-certificate library in that one transaction — or none is, and no number is used up."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.audit.selectors import history_of
from apps.cases import services as intake
from apps.cases.codes import FilingState
from apps.cases.models import Outcome
from apps.catalogue.codes import Necessity
from apps.certificates import services
from apps.certificates.models import (
    DocumentKind,
    IssuedDocument,
    IssueRequest,
    RequestState,
    SealStatus,
    SealUse,
)
from apps.core.errors import Conflict
from apps.licences.models import CertificateStatus, ElectronicCertificate
from apps.sequences.models import Counter
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, accept_filing, at_window, make_filing
from tests.factories.catalogue import MaterialFactory, checklist, requirement
from tests.factories.certificates import (
    certificate_item,
    decide_all,
    issue,
    issuing_rule,
    keeper_for,
    make_seal,
    ready_filing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

TODAY = dt.datetime(2026, 9, 24, 2, 0)  # 10:00 in Shanghai, Thursday 24 September 2026
NEXT_YEAR = dt.datetime(2027, 1, 5, 2, 0)


def issuer_of(filing):
    return make_staff(Role.ISSUER, centre=filing.centre)


def serial_of(number: str) -> int:
    return int(number[-6:])


def same_type_filings(n: int, *, centre=None):
    """``n`` filings, each ready for issue, of one item whose result is one certificate type."""
    centre = centre or ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    seal = make_seal(department)
    item = certificate_item(department, rule=issuing_rule())
    filings = [decide_all(accept_filing(make_filing(items=[item], centre=centre))) for _ in range(n)]
    return filings, item, seal


def mixed_filing():
    """A filing of two departments: one item approved, the other denied."""
    centre = ServiceCentreFactory()
    approved, denied = (DepartmentFactory(centre=centre) for _ in range(2))
    for department in (approved, denied):
        make_seal(department)
    items = [certificate_item(approved), certificate_item(denied)]
    filing = accept_filing(make_filing(items=items, centre=centre))
    return decide_all(filing, outcomes={items[1].name: Outcome.DENY}), approved, denied


@time_machine.travel(TODAY, tick=False)
def test_a_two_department_filing_gets_two_numbered_sealed_certificates_in_the_library():
    filing = ready_filing(departments=2)
    issuer, keeper = issuer_of(filing), keeper_for(filing)
    request = services.request_issue(filing_id=filing.pk, actor=issuer, note="窗口领取")
    assert IssueRequest.objects.get(pk=request.pk).state == RequestState.PENDING
    assert not IssuedDocument.objects.exists()  # nothing is numbered before the keeper confirms

    documents = services.confirm_issue(request_id=request.pk, actor=keeper)

    filing.refresh_from_db()
    assert filing.state == FilingState.ISSUED
    cases = list(filing.cases.select_related("department", "item__result_licence_type").order_by("pk"))
    assert [d.case_id for d in documents] == [c.pk for c in cases]
    for document, case in zip(documents, cases, strict=True):
        document.refresh_from_db()
        assert document.kind == DocumentKind.CERTIFICATE
        # Each type is new, so each starts its own series at 1.
        assert document.number == "JY3501002026000001"
        assert document.licence_type == case.item.result_licence_type
        assert (document.issued_by, document.confirmed_by) == (issuer, keeper)
        assert document.verification_token and len(document.verification_token) >= 20
        entry = document.library_entry
        assert entry.number == document.number
        assert entry.licence_type == document.licence_type
        assert (entry.holder_name, entry.holder_code) == (PERSON.name, PERSON.id_number)
        assert entry.issuer == case.department.name
        assert entry.issued_on == entry.valid_from == dt.date(2026, 9, 24)
        assert entry.valid_until == dt.date(2031, 9, 23)  # five years less a day
        assert entry.status == CertificateStatus.VALID
        [use] = SealUse.objects.filter(document=document)
        assert use.seal == document.seal and use.seal.department == case.department
        assert (use.issuer, use.confirmer) == (issuer, keeper)
        assert document.number in use.reason and filing.number in use.reason
    assert ElectronicCertificate.objects.count() == 2
    assert len({d.verification_token for d in documents}) == 2

    [logged] = history_of(filing).filter(transition="issue")
    assert (logged.from_state, logged.to_state) == (FilingState.READY_FOR_ISSUE, FilingState.ISSUED)
    assert logged.actor == keeper
    assert logged.context["requested_by"] == issuer.pk
    assert logged.context["documents"] == [d.number for d in documents]
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (RequestState.CONFIRMED, keeper)


@time_machine.travel(TODAY, tick=False)
def test_a_mixed_filing_gets_a_certificate_and_a_numbered_decision_of_denial():
    filing, approved, denied = mixed_filing()
    assert filing.state == FilingState.READY_FOR_ISSUE
    documents = issue(filing)

    by_department = {d.department_id: d for d in documents}
    certificate, denial = by_department[approved.pk], by_department[denied.pk]
    assert certificate.kind == DocumentKind.CERTIFICATE
    assert certificate.number == "JY3501002026000001"
    assert denial.kind == DocumentKind.DENIAL
    assert denial.number == f"350100-{denied.pk:04d}-BX-2026-00001"
    assert denial.library_entry is None and denial.verification_token is None
    assert denial.content["reasons"] == "经营场所与申请材料不符。"
    assert ElectronicCertificate.objects.get() == certificate.library_entry
    assert SealUse.objects.filter(document=denial, seal__department=denied).count() == 1
    assert filing.state == FilingState.ISSUED


@time_machine.travel(TODAY, tick=False)
def test_a_filing_with_an_undecided_case_is_not_issued():
    department = DepartmentFactory()
    make_seal(department)
    filing = accept_filing(make_filing(items=[certificate_item(department)]))
    assert filing.state == FilingState.ACCEPTED
    with pytest.raises(Conflict, match="Not every case of this filing has been decided"):
        services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    assert not IssueRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_open_deficiency_keeps_a_decided_filing_from_issue():
    later = MaterialFactory(name="卫生检测报告")
    department = DepartmentFactory()
    make_seal(department)
    item = certificate_item(
        department, promised_limit_days=10, children=checklist(requirement(later, Necessity.DEFERRABLE))
    )
    filing = make_filing(items=[item])
    intake.accept_with_deficiency(
        **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 10, 9)
    )
    filing = decide_all(filing)
    assert filing.state == FilingState.ACCEPTED_WITH_DEFICIENCY
    with pytest.raises(Conflict, match=re.escape("deficiency (容缺)")):
        services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    assert not IssueRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_suspended_seal_is_named_and_no_request_is_made():
    filing = ready_filing()
    seal = filing.cases.get().department.seals.get()
    services.set_seal_status(seal_id=seal.pk, actor=keeper_for(filing), status="suspended", reason="印面磨损")
    with pytest.raises(ValidationError) as refused:
        services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    assert any(seal.name in message and "suspended" in message for message in refused.value.messages)
    assert not IssueRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_department_without_a_seal_cannot_issue():
    filing = ready_filing(seals=False)
    department = filing.cases.get().department
    with pytest.raises(ValidationError) as refused:
        services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    assert any(department.name in m and "no seal" in m for m in refused.value.messages)
    assert not IssueRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_person_who_asked_cannot_confirm():
    filing = ready_filing()
    keeper = keeper_for(filing)  # a seal keeper may also ask; then someone else confirms
    request = services.request_issue(filing_id=filing.pk, actor=keeper)
    with pytest.raises(PermissionDenied, match="Dual control"):
        services.confirm_issue(request_id=request.pk, actor=keeper)
    assert not IssuedDocument.objects.exists() and not ElectronicCertificate.objects.exists()
    request.refresh_from_db()
    filing.refresh_from_db()
    assert (request.state, filing.state) == (RequestState.PENDING, FilingState.READY_FOR_ISSUE)


@time_machine.travel(TODAY, tick=False)
def test_a_seal_keeper_of_another_centre_cannot_confirm():
    filing = ready_filing()
    stranger = make_staff(Role.SEAL_KEEPER, centre=ServiceCentreFactory())
    request = services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    with pytest.raises(PermissionDenied):
        services.confirm_issue(request_id=request.pk, actor=stranger)
    # Nor can an issuer (no seal-keeping permission) of the same centre.
    with pytest.raises(PermissionDenied):
        services.confirm_issue(request_id=request.pk, actor=issuer_of(filing))
    assert not IssuedDocument.objects.exists() and not SealUse.objects.exists()
    assert IssueRequest.objects.get(pk=request.pk).state == RequestState.PENDING


@time_machine.travel(TODAY, tick=False)
def test_the_seals_custodian_confirms_only_as_a_seal_keeper_of_the_filings_centre():
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    # Roles are per centre (#13): custody of a seal does not stand in for the role at its centre.
    custodian = make_staff(Role.SEAL_KEEPER, centre=ServiceCentreFactory())
    make_seal(department, custodian=custodian)
    filing = decide_all(accept_filing(make_filing(items=[certificate_item(department)], centre=centre)))
    request = services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    with pytest.raises(PermissionDenied):
        services.confirm_issue(request_id=request.pk, actor=custodian)
    assert not IssuedDocument.objects.exists()
    assign_role(user=custodian, role=Role.SEAL_KEEPER, centre=centre)
    [document] = services.confirm_issue(request_id=request.pk, actor=custodian)
    assert document.confirmed_by == custodian
    assert SealUse.objects.get(document=document).confirmer == custodian


@time_machine.travel(TODAY, tick=False)
def test_a_request_is_cancelled_by_whoever_asked_or_a_seal_keeper_of_its_centre_only():
    filing = ready_filing()
    request = services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    for outsider in (issuer_of(filing), make_staff(Role.SEAL_KEEPER, centre=ServiceCentreFactory())):
        with pytest.raises(PermissionDenied):
            services.cancel_request(request_id=request.pk, actor=outsider, reason="不是我的")
    assert IssueRequest.objects.get(pk=request.pk).state == RequestState.PENDING
    services.cancel_request(request_id=request.pk, actor=keeper_for(filing), reason="申请人改期领取")
    assert IssueRequest.objects.get(pk=request.pk).state == RequestState.CANCELLED


@time_machine.travel(TODAY, tick=False)
def test_a_second_request_while_one_is_pending_is_a_conflict():
    filing = ready_filing()
    services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    with pytest.raises(Conflict, match="already awaiting"):
        services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    assert IssueRequest.objects.filter(filing=filing).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_cancelled_or_confirmed_request_cannot_be_confirmed():
    filing = ready_filing()
    issuer, keeper = issuer_of(filing), keeper_for(filing)
    cancelled = services.request_issue(filing_id=filing.pk, actor=issuer)
    services.cancel_request(request_id=cancelled.pk, actor=issuer, reason="申请人改期领取")
    with pytest.raises(Conflict, match="Cancelled"):
        services.confirm_issue(request_id=cancelled.pk, actor=keeper)
    assert not IssuedDocument.objects.exists()

    confirmed = services.request_issue(filing_id=filing.pk, actor=issuer)
    services.confirm_issue(request_id=confirmed.pk, actor=keeper)
    with pytest.raises(Conflict, match="Confirmed"):
        services.confirm_issue(request_id=confirmed.pk, actor=keeper_for(filing))
    assert IssuedDocument.objects.count() == 1 and SealUse.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_failed_confirm_issues_nothing_and_uses_up_no_number():
    filing = ready_filing()
    keeper = keeper_for(filing)
    seal = filing.cases.get().department.seals.get()
    request = services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    services.set_seal_status(seal_id=seal.pk, actor=keeper, status=SealStatus.SUSPENDED, reason="送检")
    with pytest.raises(ValidationError):
        services.confirm_issue(request_id=request.pk, actor=keeper)
    assert not IssuedDocument.objects.exists()
    assert not ElectronicCertificate.objects.exists()
    assert not SealUse.objects.exists()
    assert not Counter.objects.filter(series__startswith="certificate:").exists()
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE
    assert IssueRequest.objects.get(pk=request.pk).state == RequestState.PENDING

    # The seal back in use, the same request is confirmed and gets the first number: no gap.
    services.set_seal_status(seal_id=seal.pk, actor=keeper, status=SealStatus.ACTIVE, reason="检毕")
    [document] = services.confirm_issue(request_id=request.pk, actor=keeper)
    assert serial_of(document.number) == 1


def test_numbers_run_on_across_filings_of_a_type_and_restart_each_year():
    with time_machine.travel(TODAY, tick=False):
        filings, item, _seal = same_type_filings(3)
        numbers = [issue(f)[0].number for f in filings[:2]]
        assert numbers == ["JY3501002026000001", "JY3501002026000002"]
        # Another type counts on its own.
        assert issue(ready_filing(centre=item.lineage.centre))[0].number == "JY3501002026000001"
    with time_machine.travel(NEXT_YEAR, tick=False):
        [document] = issue(filings[2])
        assert document.number == "JY3501002027000001"
        assert document.library_entry.identifier.split(".")[7] == "20270000001"


@time_machine.travel(TODAY, tick=False)
def test_the_seal_use_log_refuses_updates_and_deletes():
    [document] = issue(ready_filing())
    use = SealUse.objects.get(document=document)
    before = (use.reason, use.confirmer_id, use.at)

    with pytest.raises(DatabaseError), transaction.atomic():
        SealUse.objects.filter(pk=use.pk).update(reason="涂改")
    with pytest.raises(DatabaseError), transaction.atomic():
        use.reason = "涂改"
        use.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        SealUse.objects.filter(pk=use.pk).delete()

    use = SealUse.objects.get(pk=use.pk)
    assert (use.reason, use.confirmer_id, use.at) == before


@time_machine.travel(TODAY, tick=False)
def test_a_filing_is_issued_once():
    filing = ready_filing()
    issue(filing)
    with pytest.raises(Conflict, match="issued already"):
        services.request_issue(filing_id=filing.pk, actor=issuer_of(filing))
    assert IssueRequest.objects.filter(filing=filing).count() == 1
    assert IssuedDocument.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_validity_the_decision_names_wins_over_the_types_rule():
    filing = ready_filing(valid_from=dt.date(2026, 10, 1), valid_until=dt.date(2028, 6, 30))
    [document] = issue(filing)
    entry = document.library_entry
    assert (entry.issued_on, entry.valid_from, entry.valid_until) == (
        dt.date(2026, 9, 24),
        dt.date(2026, 10, 1),
        dt.date(2028, 6, 30),
    )
    assert (document.content["valid_from"], document.content["valid_until"]) == ("2026-10-01", "2028-06-30")


@time_machine.travel(TODAY, tick=False)
def test_a_type_without_a_validity_rule_is_valid_indefinitely():
    department = DepartmentFactory()
    make_seal(department)
    item = certificate_item(department, rule=issuing_rule(validity_years=None))
    [document] = issue(decide_all(accept_filing(make_filing(items=[item]))))
    assert document.library_entry.valid_until is None
    assert document.content["valid_until"] is None


def test_the_year_of_a_number_is_the_halls_local_year():
    # 17:30 UTC on New Year's Eve is already 1:30 on 1 January in Shanghai.
    with time_machine.travel(dt.datetime(2026, 12, 31, 17, 30), tick=False):
        [document] = issue(ready_filing())
    assert document.number == "JY3501002027000001"
    assert document.library_entry.valid_from == dt.date(2027, 1, 1)
    assert document.library_entry.valid_until == dt.date(2031, 12, 31)
