"""Every stored upload and rendered PDF goes out the same way: an attachment with a safe name, typed by
the content check (not the name), never sniffed, never cached, sandboxed; and a download by anyone
but the filing's own citizen is logged as a disclosure, one row per download."""

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import DisclosureLog
from apps.cases.models import MaterialUpload
from apps.cases.review import services as review
from apps.catalogue.services import ItemChildren
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import MINIMAL_PDF as PDF
from tests.factories.cases import (
    accept_filing,
    make_case,
    make_filing,
    online_filing,
    window_hall,
)
from tests.factories.catalogue import MaterialFactory, make_item
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return window_hall()


def assert_served_safely(response, *, content_type: str, filename: str):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert f"filename*=UTF-8''{quote(filename, safe='')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "sandbox"


def disclosures(**fields):
    return list(
        DisclosureLog.objects.filter(**fields).values_list("viewer_id", "what", "object_id", "client_ip")
    )


def test_a_clerk_downloading_an_id_scan_gets_an_attachment_and_is_logged_each_time(client, hall):
    centre, item, material, window, clerk = hall
    filing = make_filing(items=[item], window=window, clerk=clerk)
    client.force_login(clerk)
    created = client.post(
        reverse("filing-upload", args=[filing.pk, material.code]),
        {"file": SimpleUploadedFile("身份证.pdf", PDF)},
    )
    upload = MaterialUpload.objects.get()

    first = client.get(created.json()["url"], REMOTE_ADDR="10.1.2.3")
    second = client.get(created.json()["url"], REMOTE_ADDR="10.1.2.3")

    assert_served_safely(first, content_type="application/pdf", filename="身份证.pdf")
    assert b"".join(first.streaming_content) == PDF and second.status_code == 200
    row = (clerk.pk, "material_upload", str(upload.pk), "10.1.2.3")
    assert disclosures() == [row, row]


def test_a_citizen_downloading_their_own_upload_is_not_logged(client, hall):
    centre, item, material, window, clerk = hall
    citizen = make_staff(Role.CITIZEN)
    filing = online_filing(citizen=citizen, centre=centre, items=[item])
    client.force_login(citizen)
    created = client.post(
        reverse("filing-upload", args=[filing.pk, material.code]),
        {"file": SimpleUploadedFile("身份证.pdf", PDF)},
    )
    assert created.status_code == 201

    response = client.get(created.json()["url"])

    assert_served_safely(response, content_type="application/pdf", filename="身份证.pdf")
    assert disclosures() == []


@pytest.mark.parametrize(
    ("recorded", "served"),
    [("image/png", "image/png"), ("text/html", "application/octet-stream"), ("", "application/octet-stream")],
)
def test_the_type_recorded_by_the_content_check_is_served_and_nothing_else(client, hall, recorded, served):
    centre, item, material, window, clerk = hall
    filing = make_filing(items=[item], window=window, clerk=clerk)
    upload = MaterialUpload.objects.create(
        entry=filing.checklist.get(material=material),
        file=ContentFile(b"<html><script>alert(1)</script>", name="x"),
        original_name="page.html",
        content_type=recorded,
        size=31,
        sha256=hashlib.sha256(b"x").hexdigest(),
    )
    client.force_login(clerk)

    response = client.get(reverse("filing-upload", args=[filing.pk, upload.pk]))

    assert_served_safely(response, content_type=served, filename="page.html")


@pytest.mark.parametrize(
    ("original", "ascii_name", "full"),
    [
        ('身份证 "正面".pdf', "download.pdf", "身份证 正面.pdf"),
        ("..\\..\\etc\\passwd.pdf", "passwd.pdf", "passwd.pdf"),
        ("gpj.\u202eexe.pdf", "gpj.exe.pdf", "gpj.exe.pdf"),  # a right-to-left override dropped
        ("a\r\nSet-Cookie: x=1.pdf", "aSet-Cookie_x_1.pdf", "aSet-Cookie: x=1.pdf"),
    ],
)
def test_file_names_are_offered_safely(client, hall, original, ascii_name, full):
    centre, item, material, window, clerk = hall
    filing = make_filing(items=[item], window=window, clerk=clerk)
    upload = MaterialUpload.objects.create(
        entry=filing.checklist.get(material=material),
        file=ContentFile(PDF, name="x"),
        original_name=original,
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    client.force_login(clerk)

    response = client.get(reverse("filing-upload", args=[filing.pk, upload.pk]))

    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full, safe='')}"
    )


def test_an_approver_downloading_a_correction_file_is_logged(client):
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    case = make_case(department=department)
    review.claim(case_id=case.pk, actor=approver)
    correction = review.request_correction(
        case_id=case.pk, actor=approver, items=[{"material": None, "what": "照片"}]
    )
    filing = case.filing
    review.answer_correction(
        correction_id=correction.pk,
        actor=filing.created_by,
        answer="见附件",
        files=[SimpleUploadedFile("营业场所.pdf", PDF)],
        window=filing.window,
    )
    file = correction.files.get()
    client.force_login(approver)

    response = client.get(reverse("case-correction-file", args=[case.pk, file.pk]))

    assert_served_safely(response, content_type="application/pdf", filename="营业场所.pdf")
    assert disclosures() == [(approver.pk, "correction_file", str(file.pk), "127.0.0.1")]


def test_a_clerk_printing_a_notice_is_logged(client, hall):
    centre, item, material, window, clerk = hall
    filing = accept_filing(make_filing(items=[item], window=window, clerk=clerk), actor=clerk)
    notice = filing.notices.get()
    client.force_login(clerk)

    response = client.get(reverse("filing-notice", args=[filing.pk, notice.pk]))

    assert_served_safely(response, content_type="application/pdf", filename=f"{notice.number}.pdf")
    assert response.content.startswith(b"%PDF")
    assert disclosures() == [(clerk.pk, "notice_pdf", str(notice.pk), "127.0.0.1")]


def test_certificate_and_decision_downloads_by_staff_are_logged_and_the_holders_own_are_not(client):
    filing = ready_filing()
    issuer = make_staff(Role.ISSUER, centre=filing.centre)
    [document] = issue(filing, issuer=issuer)
    client.force_login(issuer)

    response = client.get(reverse("document-pdf", args=[document.pk]))

    assert_served_safely(response, content_type="application/pdf", filename=f"{document.number}.pdf")
    assert response.content.startswith(b"%PDF")
    assert disclosures() == [(issuer.pk, "certificate_pdf", str(document.pk), "127.0.0.1")]

    citizen = make_staff(Role.CITIZEN)
    type(filing).objects.filter(pk=filing.pk).update(citizen=citizen)
    client.force_login(citizen)
    assert client.get(reverse("document-pdf", args=[document.pk])).status_code == 200
    assert len(disclosures()) == 1


def test_the_issuing_desks_preview_is_served_safely_and_logged(client):
    filing = ready_filing()
    case = filing.cases.get()
    issuer = make_staff(Role.ISSUER, centre=filing.centre)
    client.force_login(issuer)

    response = client.get(reverse("desks:issuing_preview_pdf", args=[filing.pk, case.pk]))

    assert_served_safely(
        response, content_type="application/pdf", filename=f"preview-{filing.number}-{case.pk}.pdf"
    )
    assert disclosures() == [(issuer.pk, "document_preview", str(filing.pk), "127.0.0.1")]


def test_a_public_blank_form_is_typed_by_its_content_and_not_logged(client):
    material = MaterialFactory()
    children = ItemChildren(
        materials=[
            {
                "material": material,
                "original_count": 1,
                "copy_count": 0,
                "necessity": "required",
                "form": "paper",
                "blank_form": SimpleUploadedFile("申请表.pdf", PDF),
            }
        ],
        steps=[{"name": "受理"}],
    )
    requirement = make_item(children=children).materials.get()

    response = client.get(reverse("guides:material_file", args=[requirement.pk, "blank_form"]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert (
        response["X-Content-Type-Options"] == "nosniff" and response["Content-Security-Policy"] == "sandbox"
    )
    assert b"".join(response.streaming_content) == PDF
    assert disclosures() == []
