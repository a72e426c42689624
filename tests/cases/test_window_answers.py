"""What the window answers after the decision, and the checklist recorded with it (issue 15, items
1, 2, 3 and 6): "all originals received" marks only what it may; the API's accept records the
checklist it is sent; a 容缺 deficiency is cleared, and a correction answered, through the API."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.cases import services
from apps.cases.codes import CaseState, FilingState, MaterialStatus
from apps.cases.models import Case, Filing
from apps.cases.notices.models import Notice
from tests.cases.clerk_window import COMPANY_WITH_AGENT, approve, request_correction, restaurant_hall
from tests.factories.cases import COMPANY, MINIMAL_PDF, at_window, make_filing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thursday():
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):  # 10:00 in Shanghai
        yield


@pytest.fixture
def hall():
    return restaurant_hall()


def _filing(hall, applicant=COMPANY_WITH_AGENT) -> Filing:
    return make_filing(bundle=hall.bundle, applicant=applicant, window=hall.window, clerk=hall.clerk)


def _statuses(filing) -> dict:
    return {e.material_id: e.status for e in filing.checklist.all()}


def test_all_originals_received_marks_only_required_materials_asked_for_as_originals(hall):
    filing = _filing(hall)
    records = services.all_originals_received(filing.checklist.all())
    assert [r.material_id for r in records] == [hall.required.pk]
    assert {r.status for r in records} == {MaterialStatus.ORIGINAL}


def test_all_originals_received_at_the_desk_leaves_the_rest_for_the_clerk(client, hall):
    filing = _filing(hall)
    client.force_login(hall.clerk)
    client.post(reverse("desks:intake_all_received", args=[filing.pk]))
    statuses = _statuses(filing)
    assert statuses[hall.required.pk] == MaterialStatus.ORIGINAL
    for left in (hall.letter, hall.copy_only, hall.produced, hall.later):
        assert statuses[left.pk] == MaterialStatus.PENDING, left.name


def _everything_in(hall) -> list[dict]:
    return [
        {"material": hall.required.code, "status": "original"},
        {"material": hall.letter.code, "status": "original"},
        {"material": hall.copy_only.code, "status": "copy"},
        {"material": hall.later.code, "status": "original"},
    ]


def test_the_apis_accept_records_the_checklist_it_is_sent(client, hall):
    filing = _filing(hall)
    client.force_login(hall.clerk)
    response = client.post(
        reverse("filing-accept", args=[filing.pk]),
        {"materials": _everything_in(hall)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == FilingState.ACCEPTED
    statuses = _statuses(filing)
    assert statuses[hall.copy_only.pk] == MaterialStatus.COPY
    assert statuses[hall.letter.pk] == MaterialStatus.ORIGINAL


def test_the_apis_accept_refuses_an_unknown_material_and_records_nothing(client, hall):
    filing = _filing(hall)
    client.force_login(hall.clerk)
    response = client.post(
        reverse("filing-accept", args=[filing.pk]),
        {"materials": [*_everything_in(hall), {"material": "NO-SUCH", "status": "original"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NO-SUCH" in str(response.json())
    assert set(_statuses(filing).values()) == {MaterialStatus.PENDING}


def _with_deficiency(client, hall) -> Filing:
    filing = _filing(hall)
    client.force_login(hall.clerk)
    response = client.post(
        reverse("filing-accept-with-deficiency", args=[filing.pk]),
        {"commitment_date": "2026-10-09", "materials": _everything_in(hall)[:3]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == FilingState.ACCEPTED_WITH_DEFICIENCY
    return Filing.objects.get(pk=filing.pk)


def test_a_deficiency_cleared_through_the_api_lets_the_decided_filing_proceed(client, hall):
    filing = _with_deficiency(client, hall)
    for case in filing.cases.all():
        approve(hall, case)
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED_WITH_DEFICIENCY  # decided, but the report is missing
    url = reverse("filing-clear-deficiency", args=[filing.pk])
    refused = client.post(
        url, {"material": hall.later.code, "status": "missing"}, content_type="application/json"
    )
    assert refused.status_code == 400
    cleared = client.post(
        url, {"material": hall.later.code, "status": "original"}, content_type="application/json"
    )
    assert cleared.status_code == 200, cleared.json()
    assert cleared.json()["state"] == FilingState.READY_FOR_ISSUE
    again = client.post(
        url, {"material": hall.later.code, "status": "original"}, content_type="application/json"
    )
    assert again.status_code == 409


def test_a_correction_of_another_filing_is_not_answered_through_this_one(hall):
    filing = services.accept(
        **at_window(_filing(hall)),
        filing_id=_filing(hall).pk,
        materials=[
            services.MaterialRecord(m.pk, MaterialStatus.ORIGINAL) for m in (hall.required, hall.later)
        ]
        + [services.MaterialRecord(hall.copy_only.pk, MaterialStatus.COPY)],
    )
    other = _filing(hall)
    correction = request_correction(hall, filing.cases.first())
    with pytest.raises(Exception) as refused:
        services.answer_filing_correction(
            filing_id=other.pk,
            correction_id=correction.pk,
            answer="已补签",
            actor=hall.clerk,
            window=hall.window,
        )
    assert "不属于本收件" in str(refused.value)
    case = Case.objects.get(pk=correction.case_id)
    assert case.state == CaseState.SUSPENDED


def test_a_clerk_answers_a_correction_through_the_api_with_files(client, hall):
    filing = _filing(hall)
    client.force_login(hall.clerk)
    client.post(
        reverse("filing-accept", args=[filing.pk]),
        {"materials": _everything_in(hall)},
        content_type="application/json",
    )
    correction = request_correction(hall, filing.cases.first())
    response = client.post(
        reverse("filing-answer-correction", args=[filing.pk, correction.pk]),
        {"answer": "已补交签字章程", "files": [SimpleUploadedFile("章程.pdf", MINIMAL_PDF)]},
    )
    assert response.status_code == 200, response.content
    correction.refresh_from_db()
    assert correction.answered_by == hall.clerk and correction.files.count() == 1
    assert Case.objects.get(pk=correction.case_id).state == CaseState.IN_REVIEW


def test_the_acceptance_notice_prints_as_received_only_what_was_handed_in(client, hall):
    """No agent, so no authorisation letter; the business licence comes from the bundle itself: after
    "all originals received" and the clerk's own checks, the notice lists neither as received."""
    filing = _filing(hall, applicant=COMPANY)
    client.force_login(hall.clerk)
    client.post(reverse("desks:intake_all_received", args=[filing.pk]))
    for material, status in ((hall.copy_only, "copy"), (hall.later, "original")):
        client.post(reverse("desks:intake_material", args=[filing.pk, material.pk]), {"status": status})
    client.post(reverse("desks:intake_decide", args=[filing.pk, "accept"]))
    notice = Notice.objects.get(filing=filing)
    assert notice.content["received"] == [
        {"material": "法定代表人身份证明", "status": "original", "certificate": ""},
        {"material": "公司章程", "status": "copy", "certificate": ""},
        {"material": "卫生检测报告", "status": "original", "certificate": ""},
    ]
