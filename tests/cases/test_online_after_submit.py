"""After the window's answer, online: a 一次性告知 answered by a resubmission linked to the first filing
(what was fine carried over, once only), the applicant's own withdrawal while the graph allows it,
and a draft discarded."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import AuthorisationKind
from apps.cases import online, services
from apps.cases.codes import CaseState, FilingState, MaterialStatus
from apps.cases.models import Filing, MaterialUpload
from apps.core.errors import Conflict
from tests.cases.online_hall import accepted, make_hall, ready, returned, submitted, taken, upload
from tests.factories.cases import COMPANY, PERSON

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 10, 0)


def uploads_of(filing, material):
    return list(MaterialUpload.objects.filter(entry__filing=filing, entry__material=material))


def test_a_resubmission_carries_over_what_was_not_on_the_completion_list():
    hall = make_hall()
    first = ready(hall, hall.draft())
    upload(first, hall.photo, hall.citizen)
    services.submit_online(filing_id=first.pk, actor=hall.citizen)
    first = returned(hall, taken(hall, first))  # the licence (and the lease, outstanding) to complete
    listed = {row["material"] for row in first.completion_list}
    assert listed == {hall.licence.pk, hall.lease.pk}

    again = online.resubmit_returned(filing_id=first.pk, actor=hall.citizen)
    assert (again.state, again.resubmission_of, again.citizen) == (FilingState.DRAFT, first, hall.citizen)
    assert (again.applicant_name, again.applicant_id_number) == (PERSON.name, PERSON.id_number)
    assert list(again.items.values_list("item", flat=True)) == [hall.item.pk]
    [carried] = uploads_of(again, hall.id_card)
    [original] = uploads_of(first, hall.id_card)
    assert (carried.file.name, carried.sha256) == (original.file.name, original.sha256)
    assert len(uploads_of(again, hall.photo)) == 1
    assert uploads_of(again, hall.licence) == [] and uploads_of(again, hall.lease) == []
    assert again.declared_at is None  # declared afresh for what is handed in now
    first.refresh_from_db()
    assert list(first.resubmissions.all()) == [again] and first.state == FilingState.RETURNED

    with pytest.raises(ValidationError) as refused:
        services.submit_online(filing_id=again.pk, actor=hall.citizen)
    assert "营业执照" in " ".join(refused.value.message_dict["materials"])
    upload(again, hall.licence, hall.citizen)
    online.declare(filing_id=again.pk, actor=hall.citizen)
    assert services.submit_online(filing_id=again.pk, actor=hall.citizen).state == FilingState.SUBMITTED


def test_an_e_certificate_not_on_the_list_is_carried_over():
    hall = make_hall()
    hall.certificate(PERSON.id_number)
    first = returned(hall, taken(hall, submitted(hall, hall.draft())), materials=[hall.id_card])
    again = online.resubmit_returned(filing_id=first.pk, actor=hall.citizen)
    entry = again.checklist.get(material=hall.licence)
    assert (entry.status, entry.certificate_reference) == (MaterialStatus.E_CERTIFICATE, "BL-2024-1")
    assert uploads_of(again, hall.id_card) == []


def test_a_filing_is_resubmitted_once_and_only_when_returned():
    hall = make_hall()
    waiting = submitted(hall, hall.draft())
    with pytest.raises(Conflict):
        online.resubmit_returned(filing_id=waiting.pk, actor=hall.citizen)
    first = returned(hall, taken(hall, submitted(hall, hall.draft())))
    stranger = hall.citizen_account("lisi", id_number="110105194912310038", name="李四")
    with pytest.raises(PermissionDenied):
        online.resubmit_returned(filing_id=first.pk, actor=stranger)
    again = online.resubmit_returned(filing_id=first.pk, actor=hall.citizen)
    with pytest.raises(Conflict, match=again.number):
        online.resubmit_returned(filing_id=first.pk, actor=hall.citizen)
    assert Filing.objects.filter(resubmission_of=first).count() == 1


def test_discarding_a_resubmission_keeps_the_first_filing_s_files(django_capture_on_commit_callbacks):
    hall = make_hall()
    first = returned(hall, taken(hall, submitted(hall, hall.draft())))
    [original] = uploads_of(first, hall.id_card)
    again = online.resubmit_returned(filing_id=first.pk, actor=hall.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        online.discard_draft(filing_id=again.pk, actor=hall.citizen)
    assert not Filing.objects.filter(pk=again.pk).exists()
    assert original.file.storage.exists(original.file.name)
    # The returned filing may be resubmitted again: the discarded draft no longer stands for it.
    assert online.resubmit_returned(filing_id=first.pk, actor=hall.citizen).resubmission_of == first


@time_machine.travel(TODAY, tick=False)
def test_the_applicant_withdraws_a_submitted_or_accepted_filing_and_its_cases_stop():
    hall = make_hall()
    waiting = submitted(hall, hall.draft())
    online.withdraw_online(filing_id=waiting.pk, reason="不办了", actor=hall.citizen)
    waiting.refresh_from_db()
    assert waiting.state == FilingState.WITHDRAWN

    running = accepted(hall, taken(hall, submitted(hall, hall.draft())))
    online.withdraw_online(filing_id=running.pk, reason="改日再办", actor=hall.citizen)
    running.refresh_from_db()
    case = running.cases.select_related("clock").get()
    assert running.state == FilingState.WITHDRAWN and case.state == CaseState.WITHDRAWN
    assert case.clock.stopped_on == dt.date(2026, 9, 24)


def test_no_withdrawal_online_in_pre_review_of_a_draft_without_a_reason_or_by_someone_else():
    hall = make_hall()
    draft = hall.draft()
    with pytest.raises(Conflict):
        online.withdraw_online(filing_id=draft.pk, reason="不办了", actor=hall.citizen)
    in_review = taken(hall, submitted(hall, hall.draft()))
    with pytest.raises(Conflict):
        online.withdraw_online(filing_id=in_review.pk, reason="不办了", actor=hall.citizen)
    refused = returned(hall, in_review)
    with pytest.raises(Conflict):  # the graph: a returned filing is over
        online.withdraw_online(filing_id=refused.pk, reason="不办了", actor=hall.citizen)
    waiting = submitted(hall, hall.draft())
    with pytest.raises(ValidationError):
        online.withdraw_online(filing_id=waiting.pk, reason="  ", actor=hall.citizen)
    stranger = hall.citizen_account("lisi", id_number="110105194912310038", name="李四")
    with pytest.raises(PermissionDenied):
        online.withdraw_online(filing_id=waiting.pk, reason="不办了", actor=stranger)
    with pytest.raises(PermissionDenied):  # a clerk withdraws at the window, with services.withdraw
        online.withdraw_online(filing_id=waiting.pk, reason="不办了", actor=hall.clerk)
    waiting.refresh_from_db()
    assert waiting.state == FilingState.SUBMITTED


@time_machine.travel(TODAY, tick=False)
def test_the_organisation_s_filing_is_withdrawn_by_an_account_authorised_today_only():
    hall = make_hall()
    hall.authorise(hall.citizen, kind=AuthorisationKind.AGENT)
    filing = submitted(hall, hall.draft(organisation_code=COMPANY.id_number, legal_representative="李四"))
    colleague = hall.citizen_account("wangwu", id_number="110105194912310038", name="王五")
    with pytest.raises(PermissionDenied):
        online.withdraw_online(filing_id=filing.pk, reason="不办了", actor=colleague)
    lapsed = hall.authorise(colleague, valid_until=dt.date(2026, 9, 23))
    with pytest.raises(PermissionDenied):
        online.withdraw_online(filing_id=filing.pk, reason="不办了", actor=colleague)
    lapsed.valid_until = None
    lapsed.save()
    online.withdraw_online(filing_id=filing.pk, reason="公司决定不办了", actor=colleague)
    filing.refresh_from_db()
    assert filing.state == FilingState.WITHDRAWN
