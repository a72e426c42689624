"""A filing's page in the online hall (issue 16, item 4): what to do next, the promised date, the
window's outcome, corrections (补正) answered with a note and files, notices to download — and no
one else's filing (404), whatever the address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import OrganisationAuthorisation
from apps.accounts.roles import Role
from apps.cases import online, services
from apps.cases.codes import CaseState, FilingState, MaterialStatus
from apps.cases.models import Case, CorrectionFile, CorrectionRequest, Filing
from apps.cases.review import services as review
from apps.catalogue.services import ItemChildren
from tests.cases.online_hall import make_hall, pdf, ready, requirement
from tests.factories import make_staff
from tests.factories.cases import accept_filing
from tests.factories.catalogue import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thursday():
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):  # 10:00 in Shanghai
        yield


@pytest.fixture
def hall():
    return make_hall()


def submitted(hall, citizen=None) -> Filing:
    citizen = citizen or hall.citizen
    filing = ready(hall, hall.draft(citizen), citizen)
    return services.submit_online(filing_id=filing.pk, actor=citizen)


def in_pre_review(hall, citizen=None) -> Filing:
    filing = submitted(hall, citizen)
    return services.start_pre_review(filing_id=filing.pk, actor=hall.clerk, window=hall.window)


def accepted(hall, citizen=None) -> Filing:
    return accept_filing(in_pre_review(hall, citizen), actor=hall.clerk)


def returned(hall, citizen=None) -> Filing:
    filing = in_pre_review(hall, citizen)
    received = [
        services.MaterialRecord(m.pk, MaterialStatus.ELECTRONIC) for m in (hall.id_card, hall.licence)
    ]
    services.record_materials(filing_id=filing.pk, records=received, actor=hall.clerk, window=hall.window)
    return services.return_for_completion(
        filing_id=filing.pk,
        corrections=[
            {"material": hall.lease.pk, "reason": "租赁合同须有出租方签章"},
            {"material": None, "reason": "申请表联系电话有误"},
        ],
        actor=hall.clerk,
        window=hall.window,
    )


def with_correction(hall, citizen=None) -> tuple[Filing, CorrectionRequest]:
    filing = accepted(hall, citizen)
    case = filing.cases.get()
    approver = make_staff(Role.APPROVER, department=case.department)
    review.claim(case_id=case.pk, actor=approver)
    correction = review.request_correction(
        case_id=case.pk,
        actor=approver,
        items=[
            {"material": None, "what": "身份证复印件不清晰，请重新上传"},
            {"material": hall.lease.pk, "what": "出租方未签章"},
        ],
    )
    return filing, correction


def page(client, filing):
    return client.get(reverse("portal:filing", args=[filing.pk]))


def as_citizen(client, hall):
    client.force_login(hall.citizen)
    return client


def test_another_citizens_filing_is_a_404_to_read_and_to_answer(client, hall):
    filing, correction = with_correction(hall)
    stranger = hall.citizen_account("lisi", id_number="110105194912310029", name="李四")
    client.force_login(stranger)
    assert page(client, filing).status_code == 404
    answer = client.post(
        reverse("portal:filing_answer_correction", args=[filing.pk, correction.pk]),
        {f"c{correction.pk}-answer": "不是我的"},
    )
    assert answer.status_code == 404
    correction.refresh_from_db()
    assert correction.is_open


def test_a_missing_filing_is_a_404_and_staff_are_refused(client, hall):
    filing = submitted(hall)
    as_citizen(client, hall)
    assert client.get(reverse("portal:filing", args=[filing.pk + 1000])).status_code == 404
    client.force_login(hall.clerk)
    assert page(client, filing).status_code == 403


def test_a_visitor_is_sent_to_log_in_and_back(client, hall):
    filing = submitted(hall)
    response = page(client, filing)
    assert response.status_code == 302
    assert reverse("portal:filing", args=[filing.pk]) in response["Location"]


def test_a_submitted_filing_says_it_waits_for_the_window(client, hall):
    filing = submitted(hall)
    body = page(as_citizen(client, hall), filing).content.decode()
    assert 'data-tone="wait"' in body
    assert filing.number in body and hall.item.name in body
    assert 'data-testid="correction"' not in body


def test_a_returned_filing_lists_what_to_complete_by_material(client, hall):
    filing = returned(hall)
    response = page(as_citizen(client, hall), filing)
    body = response.content.decode()
    assert 'data-tone="act"' in body
    completion = body[body.index('data-testid="completion"') :]
    assert "租赁合同" in completion and "须有出租方签章" in completion
    assert "申请表联系电话有误" in completion
    # The one-time notice (一次性告知书) is there to download.
    assert reverse("filing-notice", args=[filing.pk, filing.notices.get().pk]) in body


def test_the_notice_downloads_for_its_applicant_only(client, hall):
    filing = returned(hall)
    notice = filing.notices.get()
    url = reverse("filing-notice", args=[filing.pk, notice.pk])
    assert as_citizen(client, hall).get(url).status_code == 200
    client.force_login(hall.citizen_account("lisi", id_number="110105194912310029", name="李四"))
    assert client.get(url).status_code == 404


def test_an_accepted_filing_shows_its_promised_date(client, hall):
    filing = accepted(hall)
    case = filing.cases.get()
    body = page(as_citizen(client, hall), filing).content.decode()
    assert f"{case.clock.due_on:%Y-%m-%d}" in body
    assert 'data-testid="promised"' in body


def test_a_correction_is_answered_online_with_a_note_and_files(client, hall):
    filing, correction = with_correction(hall)
    as_citizen(client, hall)
    body = page(client, filing).content.decode()
    assert "身份证复印件不清晰" in body and 'data-testid="answer-form"' in body
    assert "<strong>租赁合同</strong>：出租方未签章" in body  # a line names its material
    assert f"{correction.answer_due_on:%Y-%m-%d}" in body  # answer by …
    response = client.post(
        reverse("portal:filing_answer_correction", args=[filing.pk, correction.pk]),
        {
            f"c{correction.pk}-answer": "已重新扫描上传",
            f"c{correction.pk}-files": [pdf("身份证正面.pdf"), pdf("身份证反面.pdf")],
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("portal:filing", args=[filing.pk]) + "#corrections")
    correction.refresh_from_db()
    assert correction.answered_by == hall.citizen and correction.answer == "已重新扫描上传"
    names = sorted(correction.files.values_list("original_name", flat=True))
    assert names == ["身份证反面.pdf", "身份证正面.pdf"]
    assert Case.objects.get(pk=correction.case_id).state == CaseState.IN_REVIEW
    after = client.get(response["Location"]).content.decode()
    assert 'data-testid="answered"' in after and 'data-testid="answer-form"' not in after
    # The files sent are there to open again, for this account only.
    sent = correction.files.order_by("pk").first()
    url = reverse("case-correction-file", args=[correction.case_id, sent.pk])
    assert url in after and client.get(url).status_code == 200
    client.force_login(hall.citizen_account("lisi", id_number="110105194912310029", name="李四"))
    assert client.get(url).status_code == 404


def test_an_executable_renamed_pdf_is_refused_naming_the_file_and_nothing_changes(client, hall):
    filing, correction = with_correction(hall)
    response = as_citizen(client, hall).post(
        reverse("portal:filing_answer_correction", args=[filing.pk, correction.pk]),
        {
            f"c{correction.pk}-answer": "见附件",
            f"c{correction.pk}-files": [SimpleUploadedFile("身份证.pdf", b"MZ\x90\x00 an executable")],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    error = body[body.index('data-testid="answer-error"') :][:600]
    assert "身份证.pdf" in error
    assert "见附件" in body  # what was typed is still there
    correction.refresh_from_db()
    assert correction.is_open and not CorrectionFile.objects.exists()
    assert Case.objects.get(pk=correction.case_id).state == CaseState.SUSPENDED


def test_an_empty_answer_is_refused(client, hall):
    filing, correction = with_correction(hall)
    response = as_citizen(client, hall).post(
        reverse("portal:filing_answer_correction", args=[filing.pk, correction.pk]),
        {f"c{correction.pk}-answer": "  "},
    )
    assert response.status_code == 400
    correction.refresh_from_db()
    assert correction.is_open


def test_another_filings_correction_is_not_answered_through_this_one(client, hall):
    filing, correction = with_correction(hall)
    other = submitted(hall)
    response = as_citizen(client, hall).post(
        reverse("portal:filing_answer_correction", args=[other.pk, correction.pk]),
        {f"c{correction.pk}-answer": "已补正"},
    )
    assert response.status_code == 404
    correction.refresh_from_db()
    assert correction.is_open


def test_a_returned_filing_is_resubmitted_once_carrying_over_what_was_not_listed(client, hall):
    filing = returned(hall)
    as_citizen(client, hall)
    url = reverse("portal:filing_resubmit", args=[filing.pk])
    first = client.post(url)
    draft = Filing.objects.get(resubmission_of=filing)
    assert first.status_code == 302
    assert first["Location"] == reverse("portal:wizard_materials", args=[draft.pk])
    # The identity card was not on the list: its file is carried over; the lease is to supply.
    carried = set(draft.checklist.filter(uploads__isnull=False).values_list("material_id", flat=True))
    assert hall.id_card.pk in carried and hall.lease.pk not in carried
    # A second click lands on the same draft: one resubmission.
    again = client.post(url)
    assert again["Location"] == first["Location"]
    assert Filing.objects.filter(resubmission_of=filing).count() == 1
    body = page(client, filing).content.decode()
    assert 'data-testid="resubmitted"' in body and draft.number in body
    assert 'data-testid="resubmit"' not in body


def test_only_a_returned_filing_is_resubmitted(client, hall):
    filing = submitted(hall)
    response = as_citizen(client, hall).post(reverse("portal:filing_resubmit", args=[filing.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:filing", args=[filing.pk])
    assert not Filing.objects.filter(resubmission_of=filing).exists()


def test_the_applicant_withdraws_an_accepted_filing_and_its_case_stops(client, hall):
    filing = accepted(hall)
    as_citizen(client, hall)
    assert 'data-testid="withdraw"' in page(client, filing).content.decode()
    response = client.post(reverse("portal:filing_withdraw", args=[filing.pk]), {"reason": "不再开店"})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == FilingState.WITHDRAWN
    assert filing.cases.get().state == CaseState.WITHDRAWN
    assert 'data-testid="withdraw"' not in page(client, filing).content.decode()


def test_a_withdrawal_needs_a_reason_and_waits_while_a_window_pre_reviews(client, hall):
    filing = submitted(hall)
    as_citizen(client, hall)
    url = reverse("portal:filing_withdraw", args=[filing.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    services.start_pre_review(filing_id=filing.pk, actor=hall.clerk, window=hall.window)
    assert 'data-testid="withdraw-waits"' in page(client, filing).content.decode()
    refused = client.post(url, {"reason": "不办了"})
    assert refused.status_code == 400
    assert 'role="alert"' in refused.content.decode().split('data-testid="withdraw"')[1]  # the refusal
    filing.refresh_from_db()
    assert filing.state == FilingState.PRE_REVIEW


def test_another_citizen_can_neither_withdraw_nor_resubmit(client, hall):
    filing = returned(hall)
    client.force_login(hall.citizen_account("lisi", id_number="110105194912310029", name="李四"))
    assert client.post(reverse("portal:filing_resubmit", args=[filing.pk])).status_code == 404
    assert (
        client.post(reverse("portal:filing_withdraw", args=[filing.pk]), {"reason": "x"}).status_code == 404
    )
    assert not Filing.objects.filter(resubmission_of=filing).exists()


def test_a_draft_is_deleted_from_its_page_by_its_owner_only(client, hall):
    draft = hall.draft()
    client.force_login(hall.citizen_account("lisi", id_number="110105194912310029", name="李四"))
    assert client.post(reverse("portal:filing_discard", args=[draft.pk])).status_code == 404
    as_citizen(client, hall)
    assert 'data-testid="discard"' in page(client, draft).content.decode()
    response = client.post(reverse("portal:filing_discard", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert not Filing.objects.filter(pk=draft.pk).exists()


def test_a_submitted_filing_is_not_deleted(client, hall):
    filing = submitted(hall)
    as_citizen(client, hall)
    assert 'data-testid="discard"' not in page(client, filing).content.decode()
    client.post(reverse("portal:filing_discard", args=[filing.pk]))
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED


def test_the_timeline_names_windows_and_departments_never_staff(client, hall):
    filing, _correction = with_correction(hall)
    body = page(as_citizen(client, hall), filing).content.decode()
    timeline = body[body.index('data-testid="timeline"') :]
    steps = [part.split('"')[0] for part in timeline.split('data-step="')[1:]]
    assert steps[:2] == ["open", "submit"] and "accept" in steps and "request_correction" in steps
    assert hall.window.number in timeline
    assert filing.cases.get().department.name in timeline
    assert hall.clerk.full_name not in timeline


def test_the_working_days_left_are_shown_while_the_departments_review(client, hall):
    filing = accepted(hall)
    body = page(as_citizen(client, hall), filing).content.decode()
    days = body.split('data-testid="days-left">')[1].split("<")[0]
    assert any(ch.isdigit() for ch in days)


def test_the_page_reads_a_constant_number_of_queries(client, hall, django_assert_max_num_queries):
    """One filing of one item with one correction against a bundle-like filing of three items (three
    cases), each with a correction, and its notices: the same number of queries."""
    small, _correction = with_correction(hall)
    as_citizen(client, hall)
    with CaptureQueriesContext(connection) as one:
        assert page(client, small).status_code == 200
    items = [
        make_item(
            department=small.cases.get().department,
            children=ItemChildren(materials=[requirement(hall.id_card)], steps=[{"name": "受理"}]),
        )
        for _ in range(2)
    ]
    draft = online.start_online_filing(
        citizen=hall.citizen, centre=hall.centre, item_ids=[hall.item.pk, *[i.pk for i in items]]
    )
    ready(hall, draft)
    services.submit_online(filing_id=draft.pk, actor=hall.citizen)
    services.start_pre_review(filing_id=draft.pk, actor=hall.clerk, window=hall.window)
    big = accept_filing(draft, actor=hall.clerk)
    for case in big.cases.all():
        approver = make_staff(Role.APPROVER, department=case.department)
        review.claim(case_id=case.pk, actor=approver)
        review.request_correction(case_id=case.pk, actor=approver, items=[{"material": None, "what": "补签"}])
    assert big.cases.count() == 3
    with django_assert_max_num_queries(len(one)):
        assert page(client, big).status_code == 200


def test_an_organisations_correction_is_answered_by_any_account_authorised_for_it_today(client, hall):
    from tests.factories.cases import COMPANY

    hall.authorise(hall.citizen)
    agent = hall.citizen_account("wangwu", id_number="110105194912310029", name="王五")
    hall.authorise(agent)
    draft = online.start_online_filing(
        citizen=agent, centre=hall.centre, item_ids=[hall.item.pk], organisation_code=COMPANY.id_number
    )
    ready(hall, draft, agent)
    services.submit_online(filing_id=draft.pk, actor=agent)
    services.start_pre_review(filing_id=draft.pk, actor=hall.clerk, window=hall.window)
    filing = accept_filing(draft, actor=hall.clerk)
    case = filing.cases.get()
    approver = make_staff(Role.APPROVER, department=case.department)
    review.claim(case_id=case.pk, actor=approver)
    review.request_correction(case_id=case.pk, actor=approver, items=[{"material": None, "what": "补签"}])
    # Another account authorised for the company (verified at a window, so it sees the company's
    # filings) answers it, as it could resubmit or withdraw.
    OrganisationAuthorisation.objects.filter(user=hall.citizen).update(verified_at=timezone.now())
    assert 'data-testid="answer-form"' in page(as_citizen(client, hall), filing).content.decode()
    # The agent who filed, once their authorisation has ended, no longer speaks for the company.
    OrganisationAuthorisation.objects.filter(user=agent).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(agent)
    body = page(client, filing).content.decode()
    assert 'data-testid="answered-by-filer"' in body and 'data-testid="answer-form"' not in body
    correction = case.corrections.get()
    with pytest.raises(PermissionDenied):
        services.answer_filing_correction(
            filing_id=filing.pk, correction_id=correction.pk, answer="补签了", actor=agent, window=None
        )
    assert case.corrections.get().answered_at is None
