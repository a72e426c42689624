"""The clerk's filing page after issue 15: a correction answered and a 容缺 deficiency cleared at the
window, the checklist answered in place (htmx), and messages that name what happened, next to the
action, with what was typed kept after a refusal."""

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
from tests.factories.cases import MINIMAL_PDF, make_filing

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def thursday():
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):  # 10:00 in Shanghai
        yield


@pytest.fixture
def hall(client):
    hall = restaurant_hall()
    client.force_login(hall.clerk)
    return hall


def _draft(hall) -> Filing:
    return make_filing(bundle=hall.bundle, applicant=COMPANY_WITH_AGENT, window=hall.window, clerk=hall.clerk)


def _received(hall, *, later=True) -> list:
    records = [
        services.MaterialRecord(hall.required.pk, MaterialStatus.ORIGINAL),
        services.MaterialRecord(hall.letter.pk, MaterialStatus.ORIGINAL),
        services.MaterialRecord(hall.copy_only.pk, MaterialStatus.COPY),
    ]
    if later:
        records.append(services.MaterialRecord(hall.later.pk, MaterialStatus.ORIGINAL))
    return records


def _accepted(hall) -> Filing:
    filing = _draft(hall)
    return services.accept(
        filing_id=filing.pk, actor=hall.clerk, window=hall.window, materials=_received(hall)
    )


def _page(client, filing) -> str:
    return client.get(reverse("desks:intake_filing", args=[filing.pk])).content.decode()


def _post(client, filing, action, data=None, **extra):
    return client.post(reverse("desks:intake_decide", args=[filing.pk, action]), data or {}, **extra)


def test_the_page_shows_an_open_correction_and_its_answer_resumes_the_case(client, hall):
    filing = _accepted(hall)
    correction = request_correction(hall, filing.cases.first(), what="章程缺少股东签字")
    page = _page(client, filing)
    assert "章程缺少股东签字" in page and str(correction.answer_due_on) in page
    assert reverse("desks:intake_decide", args=[filing.pk, "answer_correction"]) in page
    response = _post(
        client, filing, "answer_correction", {"correction": correction.pk, "answer": "已补交签字章程"}
    )
    assert response.status_code == 302 and response.url.endswith("#corrections")
    assert Case.objects.get(pk=correction.case_id).state == CaseState.IN_REVIEW
    correction.refresh_from_db()
    assert correction.answer == "已补交签字章程" and correction.answered_by == hall.clerk
    page = client.get(response.url).content.decode()
    assert "企业设立登记" in page and 'data-testid="corrections-message"' in page
    assert 'data-testid="corrections"' not in page  # answered: nothing open to answer any more


def test_a_correction_answered_with_nothing_keeps_the_case_suspended_and_says_so_there(client, hall):
    filing = _accepted(hall)
    correction = request_correction(hall, filing.cases.first())
    response = _post(
        client, filing, "answer_correction", {"correction": correction.pk, "answer": "  "}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("#corrections")
    assert 'data-testid="corrections-message"' in response.content.decode()
    assert Case.objects.get(pk=correction.case_id).state == CaseState.SUSPENDED


def test_a_deficiency_is_cleared_at_the_window_and_the_decided_filing_goes_to_issue(client, hall):
    draft = _draft(hall)
    filing = services.accept_with_deficiency(
        filing_id=draft.pk,
        actor=hall.clerk,
        window=hall.window,
        commitment_date=dt.date(2026, 10, 9),
        materials=_received(hall, later=False),
    )
    for case in filing.cases.all():
        approve(hall, case)
    page = _page(client, filing)
    assert 'data-testid="deficiency"' in page and "卫生检测报告" in page and "2026-10-09" in page
    response = _post(client, filing, "clear_deficiency", {"material": hall.later.pk, "status": "original"})
    assert response.status_code == 302 and response.url.endswith("#deficiency")
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE
    assert 'data-testid="deficiency-message"' in client.get(response.url).content.decode()


def test_accepting_names_the_notice_issued_next_to_the_decision(client, hall):
    filing = _draft(hall)
    for record in _received(hall):
        client.post(
            reverse("desks:intake_material", args=[filing.pk, record.material_id]), {"status": record.status}
        )
    response = _post(client, filing, "accept", follow=True)
    number = Notice.objects.get(filing=filing).number
    page = response.content.decode()
    assert number in page
    assert 'data-testid="decide-message"' in page
    assert "Done." not in page and "已完成" not in page


def test_a_refused_decision_keeps_what_was_typed(client, hall):
    filing = _draft(hall)
    response = _post(
        client, filing, "refuse", {"reasons": "经营场所不符合规划要求", "legal_basis": ""}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("#decide")
    page = response.content.decode()
    assert "经营场所不符合规划要求</textarea>" in page
    assert 'data-testid="decide-message"' in page
    again = _page(client, filing)  # shown once: the next visit starts afresh
    assert "经营场所不符合规划要求" not in again
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT


def test_a_status_saved_in_place_answers_with_its_row(client, hall):
    filing = _draft(hall)
    url = reverse("desks:intake_material", args=[filing.pk, hall.copy_only.pk])
    saved = client.post(url, {"status": "copy"}, **HTMX)
    body = saved.content.decode()
    assert (
        saved.status_code == 200
        and body.lstrip().startswith("<tr")
        and f'id="material-{hall.copy_only.pk}"' in body
    )
    assert "<html" not in body
    refused = client.post(url, {"status": "e_certificate"}, **HTMX).content.decode()
    assert refused.lstrip().startswith("<tr") and 'role="alert"' in refused
    assert filing.checklist.get(material=hall.copy_only).status == MaterialStatus.COPY


def test_all_received_in_place_answers_with_the_checklist_naming_what_it_marked(client, hall):
    filing = _draft(hall)
    response = client.post(reverse("desks:intake_all_received", args=[filing.pk]), **HTMX)
    body = response.content.decode()
    assert 'id="checklist"' in body and "<html" not in body
    assert "法定代表人身份证明" in body.split('data-testid="checklist-message"')[1].split("</p>")[0]


def test_a_status_posted_in_place_after_the_decision_answers_with_the_row_as_it_now_is(client, hall):
    """Decided in another tab: the row comes back read-only, with the refusal at the row."""
    filing = _accepted(hall)
    url = reverse("desks:intake_material", args=[filing.pk, hall.copy_only.pk])
    body = client.post(url, {"status": "original"}, **HTMX).content.decode()
    assert body.lstrip().startswith("<tr") and 'role="alert"' in body
    assert "<select" not in body
    assert filing.checklist.get(material=hall.copy_only).status == MaterialStatus.COPY


def test_an_upload_in_place_answers_with_its_row_listing_the_file(client, hall):
    filing = _draft(hall)
    url = reverse("desks:intake_upload", args=[filing.pk, hall.required.pk])
    body = client.post(
        url, {"file": SimpleUploadedFile("身份证明.pdf", MINIMAL_PDF)}, **HTMX
    ).content.decode()
    assert body.lstrip().startswith("<tr") and "身份证明.pdf" in body and 'role="alert"' not in body
    refused = client.post(
        url, {"file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}, **HTMX
    ).content.decode()
    assert refused.lstrip().startswith("<tr") and 'role="alert"' in refused
