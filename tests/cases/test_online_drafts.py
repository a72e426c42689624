"""The citizen's online draft: started from the account (or an organisation it is authorised for),
e-certificates held offered and used instead of a file (免证), files removed, the declaration, and
what submitting asks — the window's rules, not fewer."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import AuthorisationKind
from apps.audit.models import TransitionLog
from apps.cases import online, services
from apps.cases.codes import ApplicantKind, FilingState, MaterialStatus
from apps.cases.models import Filing, MaterialUpload
from apps.core.errors import Conflict
from tests.cases.online_hall import make_hall, ready, upload
from tests.factories.cases import COMPANY, PERSON

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 10, 0)


def status_of(filing, material):
    entry = filing.checklist.get(material=material)
    return entry.status, entry.certificate_reference


def steps(filing):
    return list(
        TransitionLog.objects.filter(object_id=str(filing.pk), content_type__model="filing")
        .order_by("pk")
        .values_list("transition", flat=True)
    )


def test_a_draft_is_filled_from_the_account_never_typed():
    hall = make_hall()
    filing = hall.draft()
    assert (filing.applicant_kind, filing.applicant_name, filing.applicant_id_number) == (
        ApplicantKind.PERSON,
        PERSON.name,
        PERSON.id_number,
    )
    assert filing.applicant_phone == PERSON.phone
    assert (filing.citizen, filing.state, filing.declared_at) == (hall.citizen, FilingState.DRAFT, None)
    assert steps(filing) == ["open"]


def test_a_legal_representative_files_for_the_organisation():
    hall = make_hall()
    hall.authorise(hall.citizen)
    filing = hall.draft(organisation_code=COMPANY.id_number.lower())
    assert (filing.applicant_kind, filing.applicant_name, filing.applicant_id_number) == (
        ApplicantKind.ORGANISATION,
        COMPANY.name,
        COMPANY.id_number,
    )
    assert (filing.legal_representative, filing.agent_name) == (PERSON.name, "")


def test_an_agent_files_with_their_own_identity_recorded_and_names_the_legal_representative():
    hall = make_hall()
    hall.authorise(hall.citizen, kind=AuthorisationKind.AGENT)
    with pytest.raises(ValidationError) as refused:
        hall.draft(organisation_code=COMPANY.id_number)
    assert "legal_representative" in refused.value.message_dict
    filing = hall.draft(organisation_code=COMPANY.id_number, legal_representative="李四")
    assert (filing.legal_representative, filing.agent_name, filing.agent_id_number) == (
        "李四",
        PERSON.name,
        PERSON.id_number,
    )


@time_machine.travel(TODAY, tick=False)
def test_an_expired_or_unknown_authorisation_files_nothing():
    hall = make_hall()
    hall.authorise(hall.citizen, valid_until=dt.date(2026, 9, 23))  # ended yesterday
    with pytest.raises(ValidationError) as refused:
        hall.draft(organisation_code=COMPANY.id_number)
    assert "organisation_code" in refused.value.message_dict
    with pytest.raises(ValidationError):
        hall.draft(organisation_code="91350100M000100Y43".replace("9135", "9144"))
    assert not Filing.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_agent_whose_authorisation_expired_after_the_draft_cannot_submit_it():
    hall = make_hall()
    authorisation = hall.authorise(hall.citizen, kind=AuthorisationKind.AGENT)
    filing = ready(hall, hall.draft(organisation_code=COMPANY.id_number, legal_representative="李四"))
    authorisation.valid_until = dt.date(2026, 9, 23)
    authorisation.save()
    with pytest.raises(ValidationError) as refused:
        services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    assert "applicant" in refused.value.message_dict
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT


@time_machine.travel(TODAY, tick=False)
def test_a_valid_e_certificate_held_is_offered_and_a_single_one_used_at_once():
    hall = make_hall()
    hall.certificate(PERSON.id_number, "BL-OLD", valid_until=dt.date(2025, 12, 31))  # expired
    hall.certificate("91350100M000100Y43", "BL-OTHER")  # someone else's
    held = hall.certificate(PERSON.id_number, "BL-2024-1")
    filing = hall.draft()
    assert {m: [c.number for c in cs] for m, cs in online.e_certificate_offers(filing).items()} == {
        hall.licence.pk: ["BL-2024-1"]
    }
    assert status_of(filing, hall.licence) == (MaterialStatus.E_CERTIFICATE, "BL-2024-1")
    assert status_of(filing, hall.id_card) == (MaterialStatus.PENDING, "")
    online.drop_e_certificate(filing_id=filing.pk, material_id=hall.licence.pk, actor=hall.citizen)
    assert status_of(filing, hall.licence) == (MaterialStatus.PENDING, "")
    online.use_e_certificate(
        filing_id=filing.pk, material_id=hall.licence.pk, certificate_id=held.pk, actor=hall.citizen
    )
    assert status_of(filing, hall.licence) == (MaterialStatus.E_CERTIFICATE, "BL-2024-1")
    assert steps(filing) == ["open", "use_e_certificate", "drop_e_certificate", "use_e_certificate"]


def test_two_certificates_held_are_offered_and_the_citizen_chooses():
    hall = make_hall()
    first, second = (hall.certificate(PERSON.id_number, n) for n in ("BL-1", "BL-2"))
    filing = hall.draft()
    assert len(online.e_certificate_offers(filing)[hall.licence.pk]) == 2
    assert status_of(filing, hall.licence) == (MaterialStatus.PENDING, "")
    online.use_e_certificate(
        filing_id=filing.pk, material_id=hall.licence.pk, certificate_id=second.pk, actor=hall.citizen
    )
    assert status_of(filing, hall.licence) == (MaterialStatus.E_CERTIFICATE, "BL-2")


def test_a_certificate_not_held_or_for_another_material_is_refused_naming_the_material():
    hall = make_hall()
    others = hall.certificate("91350100M000100Y43", "BL-OTHER")
    own = hall.certificate(PERSON.id_number, "BL-OWN")
    filing = hall.draft()
    online.drop_e_certificate(filing_id=filing.pk, material_id=hall.licence.pk, actor=hall.citizen)
    with pytest.raises(ValidationError, match="营业执照"):
        online.use_e_certificate(
            filing_id=filing.pk, material_id=hall.licence.pk, certificate_id=others.pk, actor=hall.citizen
        )
    with pytest.raises(ValidationError, match="身份证"):
        online.use_e_certificate(
            filing_id=filing.pk, material_id=hall.id_card.pk, certificate_id=own.pk, actor=hall.citizen
        )
    assert status_of(filing, hall.licence) == (MaterialStatus.PENDING, "")


def test_another_account_changes_nothing_of_a_draft():
    hall = make_hall()
    filing = hall.draft()
    held = hall.certificate(PERSON.id_number)
    stranger = hall.citizen_account("lisi", id_number="110105194912310038", name="李四")
    kept = upload(filing, hall.id_card, hall.citizen)
    attempts = [
        lambda: online.declare(filing_id=filing.pk, actor=stranger),
        lambda: online.remove_upload(filing_id=filing.pk, upload_id=kept.pk, actor=stranger),
        lambda: online.use_e_certificate(
            filing_id=filing.pk, material_id=hall.licence.pk, certificate_id=held.pk, actor=stranger
        ),
        lambda: online.drop_e_certificate(filing_id=filing.pk, material_id=hall.licence.pk, actor=stranger),
        lambda: online.discard_draft(filing_id=filing.pk, actor=stranger),
        lambda: online.declare(filing_id=filing.pk, actor=hall.clerk),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    filing.refresh_from_db()
    assert filing.declared_at is None and MaterialUpload.objects.filter(pk=kept.pk).exists()


def test_a_file_is_removed_from_the_draft_with_its_stored_bytes(django_capture_on_commit_callbacks):
    hall = make_hall()
    filing = hall.draft()
    kept = upload(filing, hall.id_card, hall.citizen)
    storage, name = kept.file.storage, kept.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        online.remove_upload(filing_id=filing.pk, upload_id=kept.pk, actor=hall.citizen)
    assert not MaterialUpload.objects.filter(pk=kept.pk).exists()
    assert not storage.exists(name)


def test_submit_asks_for_the_declaration_and_names_every_missing_required_material():
    hall = make_hall()
    filing = hall.draft()
    with pytest.raises(ValidationError) as refused:
        services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    errors = refused.value.message_dict
    assert "declaration" in errors
    # The two required materials, each named; not the 容缺 lease nor the optional photo.
    assert len(errors["materials"]) == 2
    assert "身份证" in errors["materials"][0] and "营业执照" in errors["materials"][1]
    filing.refresh_from_db()
    assert (filing.state, filing.submitted_at) == (FilingState.DRAFT, None)
    assert "submit" not in steps(filing)


def test_a_draft_with_every_required_material_filed_or_replaced_is_submitted():
    hall = make_hall()
    hall.certificate(PERSON.id_number)
    filing = hall.draft()
    upload(filing, hall.id_card, hall.citizen)
    with pytest.raises(ValidationError) as refused:
        services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    assert set(refused.value.message_dict) == {"declaration"}
    online.declare(filing_id=filing.pk, actor=hall.citizen)
    submitted = services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    assert submitted.state == FilingState.SUBMITTED and submitted.declared_at is not None


@time_machine.travel(TODAY, tick=False)
def test_an_e_certificate_revoked_or_expired_before_submit_is_refused_naming_it():
    hall = make_hall()
    held = hall.certificate(PERSON.id_number, valid_until=dt.date(2026, 9, 30))
    filing = hall.draft()
    upload(filing, hall.id_card, hall.citizen)
    online.declare(filing_id=filing.pk, actor=hall.citizen)
    after_expiry = time_machine.travel(dt.datetime(2026, 10, 8, 9, 0), tick=False)
    with after_expiry, pytest.raises(ValidationError) as refused:
        services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    assert "营业执照" in refused.value.message_dict["materials"][0]
    assert "BL-2024-1" in refused.value.message_dict["materials"][0]
    assert held.number == "BL-2024-1"


def test_a_second_submit_is_a_conflict_and_changes_nothing():
    hall = make_hall()
    filing = ready(hall, hall.draft())
    first = services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    with pytest.raises(Conflict):
        services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    filing.refresh_from_db()
    assert (filing.state, filing.submitted_at) == (FilingState.SUBMITTED, first.submitted_at)
    assert steps(filing).count("submit") == 1


def test_a_submitted_filing_is_no_longer_changed_by_its_citizen():
    hall = make_hall()
    filing = ready(hall, hall.draft())
    kept = filing.checklist.get(material=hall.id_card).uploads.get()
    services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    for attempt in (
        lambda: online.declare(filing_id=filing.pk, actor=hall.citizen),
        lambda: online.remove_upload(filing_id=filing.pk, upload_id=kept.pk, actor=hall.citizen),
        lambda: online.discard_draft(filing_id=filing.pk, actor=hall.citizen),
    ):
        with pytest.raises(Conflict):
            attempt()
    assert MaterialUpload.objects.filter(pk=kept.pk).exists()


def test_the_clerk_sees_the_e_certificate_in_pre_review_and_accepts_without_paper():
    hall = make_hall()
    hall.certificate(PERSON.id_number)
    filing = ready(hall, hall.draft())
    services.submit_online(filing_id=filing.pk, actor=hall.citizen)
    services.start_pre_review(filing_id=filing.pk, actor=hall.clerk, window=hall.window)
    records = [
        services.MaterialRecord(hall.id_card.pk, MaterialStatus.ELECTRONIC),
        services.MaterialRecord(hall.lease.pk, MaterialStatus.COPY),
    ]
    services.accept(filing_id=filing.pk, actor=hall.clerk, window=hall.window, materials=records)
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED
    assert status_of(filing, hall.licence) == (MaterialStatus.E_CERTIFICATE, "BL-2024-1")


def test_a_discarded_draft_is_gone_with_its_files(django_capture_on_commit_callbacks):
    hall = make_hall()
    filing = hall.draft()
    kept = upload(filing, hall.id_card, hall.citizen)
    storage, name = kept.file.storage, kept.file.name
    with django_capture_on_commit_callbacks(execute=True):
        online.discard_draft(filing_id=filing.pk, actor=hall.citizen)
    assert not Filing.objects.filter(pk=filing.pk).exists()
    assert not storage.exists(name)
    assert "discard" in steps(filing)
