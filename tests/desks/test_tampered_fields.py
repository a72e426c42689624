"""A field the desk's page did not send as it is — an id that is no number or names another filing's
row, an action the page has not, a choice not offered, a text longer than its column, a date that is
no date — is a form error: the clerk is back on the page with a message naming the field, in their
language, and nothing is stored. Never a 500, never a Python error's English text.

Most checks read the messages in English (the labels are stable there); one reads them in Chinese,
the hall's default."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.codes import CaseState, FilingState, MaterialStatus
from apps.cases.models import Case, ChecklistEntry, Escalation, EscalationLevel, Filing, MaterialUpload
from apps.cases.review import services as review
from apps.certificates.models import IssuedDocument, IssueRequest, Seal
from apps.licences.models import ElectronicCertificate
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import accept_filing, comprehensive_window, make_filing
from tests.factories.catalogue import MaterialFactory, default_children, make_item
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db

LONG = "长" * 3000  # longer than any column, the free-text limit (2,000) included


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def hall(db):
    """A centre with a clerk and a draft filing, a second filing with a material of its own, an
    approver holding a case of an item with a hearing allowed, a supervisor with an escalation."""
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    material, foreign = MaterialFactory(name="身份证"), MaterialFactory(name="营业执照")
    item = make_item(
        department=department, children=default_children([material]), special_procedures=["hearing"]
    )
    other_item = make_item(department=department, children=default_children([foreign]))
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    filing = make_filing(items=[item], window=window, clerk=clerk)
    make_filing(items=[other_item], window=window, clerk=clerk)  # where ``foreign`` is on the list
    approver = make_staff(Role.APPROVER, department=department)
    case = accept_filing(make_filing(items=[item], window=window, clerk=clerk)).cases.get()
    review.claim(case_id=case.pk, actor=approver)
    supervisor = make_staff(Role.SUPERVISOR, centre=centre, department=department)
    escalation = Escalation.objects.create(
        case=case,
        reason="overdue",
        level=EscalationLevel.DEPARTMENT,
        department=department,
        opened_on="2026-01-05",
    )
    return {
        "clerk": clerk,
        "filing": filing,
        "material": material,
        "foreign": foreign,
        "approver": approver,
        "case": case,
        "supervisor": supervisor,
        "escalation": escalation,
    }


def refused(client, user, url, data=None) -> list[str]:
    """Post as ``user``: back on the desk's page (a redirect, then a 200); its error messages."""
    client.force_login(user)
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200, response.status_code
    assert response.redirect_chain and response.redirect_chain[0][1] == 302, response.redirect_chain
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors, "no message said what was wrong"
    page = response.content.decode()
    for leak in (LONG, "Traceback", "ValueError", "Invalid isoformat", "invalid literal"):
        assert leak not in page
    return errors


def names(field: str, errors: list[str]) -> bool:
    return any(line.startswith(f"{field}: ") for line in errors)


def filing_url(hall, name, *args) -> str:
    return reverse(name, args=[hall["filing"].pk, *args])


def case_url(hall, action) -> str:
    return reverse("desks:backoffice_act", args=[hall["case"].pk, action])


def case_of(hall) -> Case:
    return Case.objects.get(pk=hall["case"].pk)


# --- the intake desk ---------------------------------------------------------------------------------


def test_intake_a_material_of_another_filing_in_the_address(english, hall):
    url = filing_url(hall, "desks:intake_material", hall["foreign"].pk)
    errors = refused(english, hall["clerk"], url, {"status": MaterialStatus.ORIGINAL})
    assert names("Material", errors) and "not on this filing's list" in errors[0]
    assert not ChecklistEntry.objects.filter(
        material=hall["foreign"], status=MaterialStatus.ORIGINAL
    ).exists()


def test_intake_an_id_too_big_for_a_key_in_the_address(english, hall):
    url = filing_url(hall, "desks:intake_material", int("9" * 30))
    assert names("Material", refused(english, hall["clerk"], url, {"status": MaterialStatus.ORIGINAL}))


def test_intake_a_status_not_offered(english, hall):
    url = filing_url(hall, "desks:intake_material", hall["material"].pk)
    errors = refused(english, hall["clerk"], url, {"status": "carrier_pigeon"})
    assert names("Status", errors) and "carrier_pigeon" in errors[0]
    assert ChecklistEntry.objects.get(filing=hall["filing"]).status == MaterialStatus.PENDING


def test_intake_an_over_long_note(english, hall):
    url = filing_url(hall, "desks:intake_material", hall["material"].pk)
    errors = refused(english, hall["clerk"], url, {"status": MaterialStatus.ORIGINAL, "note": LONG})
    assert names("Note", errors) and "500" in errors[0]  # the column's length
    assert ChecklistEntry.objects.get(filing=hall["filing"]).status == MaterialStatus.PENDING


def test_intake_an_upload_without_a_file_or_for_another_filings_material(english, hall):
    url = filing_url(hall, "desks:intake_upload", hall["material"].pk)
    assert "File: Choose a file to upload." in refused(english, hall["clerk"], url)
    url = filing_url(hall, "desks:intake_upload", hall["foreign"].pk)
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert names("Material", refused(english, hall["clerk"], url, {"file": pdf}))
    assert not MaterialUpload.objects.exists()


@pytest.mark.parametrize(
    "field",
    ["reason_abc", "reason_-1", f"reason_{'9' * 30}", "reason_{foreign}"],
)
def test_intake_a_return_naming_a_field_the_page_has_not(english, hall, field):
    field = field.format(foreign=hall["foreign"].pk)
    url = filing_url(hall, "desks:intake_decide", "return_for_completion")
    errors = refused(english, hall["clerk"], url, {field: "缺少", f"reason_{hall['material'].pk}": "缺少"})
    assert any(f"“{field[:60]}”" in line for line in errors), errors
    assert Filing.objects.get(pk=hall["filing"].pk).state == FilingState.DRAFT


def test_intake_a_return_naming_the_pages_own_fields_goes_through(english, hall):
    """The fields named after the checklist's materials are the form's own."""
    english.force_login(hall["clerk"])
    data = {f"reason_{hall['material'].pk}": "未提供原件", "general_reason": "申请表未签字"}
    english.post(filing_url(hall, "desks:intake_decide", "return_for_completion"), data)
    filing = Filing.objects.get(pk=hall["filing"].pk)
    assert filing.state == FilingState.RETURNED
    assert filing.completion_list == [
        {"material": hall["material"].pk, "reason": "未提供原件"},
        {"material": None, "reason": "申请表未签字"},
    ]


def test_intake_a_commitment_date_that_is_no_date(english, hall):
    url = filing_url(hall, "desks:intake_decide", "accept_with_deficiency")
    errors = refused(english, hall["clerk"], url, {"commitment_date": "next tuesday"})
    assert names("Deficiency to be cleared by", errors)
    assert Filing.objects.get(pk=hall["filing"].pk).state == FilingState.DRAFT


def test_intake_an_over_long_refusal(english, hall):
    url = filing_url(hall, "desks:intake_decide", "refuse")
    errors = refused(english, hall["clerk"], url, {"reasons": LONG, "legal_basis": "《行政许可法》"})
    assert names("Reasons", errors) and "2000" in errors[0]
    assert Filing.objects.get(pk=hall["filing"].pk).state == FilingState.DRAFT


@pytest.mark.parametrize(
    ("name", "action"),
    [("desks:intake_decide", "accept_everything"), ("desks:intake_pre_review", "take_over")],
)
def test_intake_an_action_the_page_has_not(english, hall, name, action):
    errors = refused(english, hall["clerk"], filing_url(hall, name, action))
    assert names("Action", errors) and action in errors[0]
    assert Filing.objects.get(pk=hall["filing"].pk).state == FilingState.DRAFT


def test_a_refusal_is_said_in_chinese_by_default(client, hall):
    """The hall's language: the field's label and Django's own words, both in Chinese."""
    url = filing_url(hall, "desks:intake_decide", "withdraw")
    [error] = refused(client, hall["clerk"], url, {"reason": LONG})
    assert error.startswith("原因：") and "2000" in error and "字符" in error


def test_a_new_filing_for_an_item_that_is_no_id_is_a_400_not_a_500(english, hall):
    english.force_login(hall["clerk"])
    for value in ("abc", "-1", "9" * 30):
        response = english.get(reverse("desks:intake_new"), {"item": value})
        assert response.status_code == 400, (value, response.status_code)
        assert "Item" in response.content.decode()


def test_a_new_filing_with_an_over_long_name_is_shown_on_its_field(english, hall):
    english.force_login(hall["clerk"])
    item = hall["filing"].items.get().item
    response = english.post(
        f"{reverse('desks:intake_new')}?item={item.pk}",
        {"applicant_kind": "person", "applicant_name": LONG, "applicant_id_number": "11010519491231002X"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["applicant_name"]
    assert Filing.objects.count() == 3  # the fixture's


# --- the approval desk --------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["what_abc", f"what_{'9' * 30}", "what_{foreign}"])
def test_backoffice_a_correction_naming_a_field_the_page_has_not(english, hall, field):
    field = field.format(foreign=hall["foreign"].pk)
    errors = refused(english, hall["approver"], case_url(hall, "request_correction"), {field: "补充"})
    assert any(f"“{field[:60]}”" in line for line in errors), errors
    assert case_of(hall).state == CaseState.IN_REVIEW and not hall["case"].corrections.exists()


def test_backoffice_a_correction_of_a_material_on_the_list_goes_through(english, hall):
    """The fields named after the checklist's materials are the form's own."""
    english.force_login(hall["approver"])
    data = {f"what_{hall['material'].pk}": "复印件不清晰", "note": "请补正"}
    english.post(case_url(hall, "request_correction"), data)
    [correction] = hall["case"].corrections.all()
    assert correction.items == [{"material": hall["material"].pk, "what": "复印件不清晰"}]


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("start_special_procedure", {"procedure": "magic", "reason": "x"}, "Procedure"),
        ("start_special_procedure", {"procedure": "hearing", "planned_end_on": "soon"}, "Planned end"),
        ("propose_decision", {"outcome": "maybe"}, "Decision"),
        ("approve", {"holder": "张三", "scope": "经营", "valid_from": "yesterday"}, "Valid from"),
        ("approve", {"holder": LONG, "scope": "经营"}, "Holder"),
        ("deny", {"reasons": "x", "legal_basis": LONG}, "Legal basis"),
        ("extend", {"days": "abc", "reason": "x"}, "Working days"),
        ("extend", {"days": "9" * 30, "reason": "x"}, "Working days"),
        ("record_opinion", {"text": LONG}, "Opinion"),
        ("release", {"reason": LONG}, "Reason"),
    ],
)
def test_backoffice_a_field_out_of_bounds(english, hall, action, data, field):
    errors = refused(english, hall["approver"], case_url(hall, action), data)
    assert names(field, errors), errors
    case = case_of(hall)
    assert case.state == CaseState.IN_REVIEW and case.claimed_by == hall["approver"]
    assert not case.opinions.exists() and not case.clock.suspensions.exists()


def test_backoffice_an_action_the_page_has_not(english, hall):
    errors = refused(english, hall["approver"], case_url(hall, "approve_everything"))
    assert names("Action", errors) and "approve_everything" in errors[0]


def test_backoffice_a_revocation_of_a_kind_there_is_not(english, db):
    filing = ready_filing()
    [document] = issue(filing)
    maker = make_staff(Role.DECISION_MAKER, department=document.department)
    url = reverse("desks:backoffice_revoke", args=[document.case_id])
    errors = refused(english, maker, url, {"mode": "shred", "reason": "以欺骗手段取得"})
    assert names("Kind", errors)
    assert ElectronicCertificate.objects.get(pk=document.library_entry_id).revoked_at is None
    assert IssuedDocument.objects.count() == 1


# --- the certificate desk -----------------------------------------------------------------------------


@pytest.fixture
def desk(db):
    filing = ready_filing()
    return {"filing": filing, "issuer": make_staff(Role.ISSUER, centre=filing.centre)}


def issuing_url(desk, action) -> str:
    return reverse("desks:issuing_act", args=[desk["filing"].pk, action])


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("request_issue", {"note": LONG}, "Note for the seal keeper"),
        ("confirm_issue", {"request": "abc"}, "Issue request"),
        ("cancel_request", {"request": "9" * 30}, None),  # a number, but no request of this filing
        (
            "hand_over",
            {"recipient_name": LONG, "recipient_id_number": "11010519491231002X"},
            "Recipient's name",
        ),
        ("post", {"recipient_name": "张三", "address": LONG}, "Postal address"),
        ("shred_everything", {}, "Action"),
    ],
)
def test_issuing_a_field_out_of_bounds(english, desk, action, data, field):
    errors = refused(english, desk["issuer"], issuing_url(desk, action), data)
    if field:
        assert names(field, errors), errors
    else:
        assert "no longer pending" in errors[0]
    assert not IssueRequest.objects.exists() and not IssuedDocument.objects.exists()
    assert Filing.objects.get(pk=desk["filing"].pk).state == FilingState.READY_FOR_ISSUE


def test_a_seal_suspended_with_an_over_long_reason(english, desk):
    seal = Seal.objects.get()
    keeper = make_staff(Role.SEAL_KEEPER, centre=desk["filing"].centre)
    url = reverse("desks:issuing_seal_status", args=[seal.pk])
    assert names("Reason", refused(english, keeper, url, {"reason": LONG}))
    assert Seal.objects.get().in_use


# --- the supervision desk -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("acknowledge", {"note": LONG}, "What will be done"),
        ("resolve", {"note": LONG}, "Resolution"),
        ("close_everything", {"note": "x"}, "Action"),
    ],
)
def test_supervision_a_field_out_of_bounds(english, hall, action, data, field):
    url = reverse("desks:supervision_act", args=[hall["escalation"].pk, action])
    assert names(field, refused(english, hall["supervisor"], url, data))
    escalation = Escalation.objects.get(pk=hall["escalation"].pk)
    assert escalation.acknowledged_at is None and escalation.resolved_at is None
