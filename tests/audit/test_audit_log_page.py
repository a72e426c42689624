"""The audit viewer's desk page (desks:audit_log) and API (/api/v1/audit/…): supervisors only, each
sees their scope's rows; the search's .xlsx holds the page's rows; a page is constant queries."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.audit.models import DisclosureLog, TransitionLog
from apps.audit.services import record_step
from apps.cases.codes import CASE_STEPS, DISCLOSURES
from tests.audit.planted import plant
from tests.factories.accounts import make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db

PAGE = reverse("desks:audit_log")
EXPORT = reverse("desks:audit_log_export")


def _ids(response):
    """The log rows a page lists, in its order."""
    return [
        int(pk)
        for pk in re.findall(r'data-testid="audit-log-row" data-id="(\d+)"', response.content.decode())
    ]


def test_a_supervisor_searches_their_centres_log_and_not_anothers(client):
    planted = plant()
    supervisor = make_staff(Role.SUPERVISOR, centre=planted.centre)
    client.force_login(supervisor)
    mine = planted.case.filing.number
    response = client.get(PAGE, {"filing": mine})
    assert response.status_code == 200
    expected = list(
        TransitionLog.objects.filter(filing_number=mine).order_by("-id").values_list("pk", flat=True)
    )
    assert _ids(response) == expected and expected
    assert "张审批" in response.content.decode()
    theirs = planted.other_case.filing.number
    response = client.get(PAGE, {"filing": theirs})
    assert _ids(response) == [] and 'data-testid="audit-log-empty"' in response.content.decode()
    # Everything in scope: not one row of the other centre.
    every = _ids(client.get(PAGE))
    assert set(every) == set(TransitionLog.objects.filter(centre=planted.centre).values_list("pk", flat=True))


def test_the_disclosure_log_masks_what_a_lookup_was_made_by(client):
    planted = plant()
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    response = client.get(PAGE, {"log": "disclosures"})
    assert _ids(response) == list(DisclosureLog.objects.values_list("pk", flat=True))
    with translation.override("zh-hans"):
        identity_number = str(DISCLOSURES["applicant_id_number"])
        review = str(DISCLOSURES["case review"])
    entry, row = next((e, cells) for e, cells in response.context["rows"] if e.what == "applicant_id_number")
    assert row[2] == identity_number  # what was shown, by its label (apps.audit.export.DISCLOSURE_LABELS)
    assert entry.purpose == "case review" and row[3] == review != "case review"  # and why, by its label


@pytest.mark.parametrize("role", [Role.CLERK, Role.APPROVER, Role.CITIZEN])
def test_other_roles_are_refused(client, role):
    client.force_login(make_staff(role, centre=None) if role == Role.CITIZEN else make_staff(role))
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403
    api = APIClient()
    assert api.get("/api/v1/audit/transitions/").status_code in (401, 403)  # anonymous
    api.force_login(make_staff(role, centre=None) if role == Role.CITIZEN else make_staff(role))
    assert api.get("/api/v1/audit/transitions/").status_code == 403
    assert api.get("/api/v1/audit/disclosures/export/").status_code == 403


def test_a_bad_date_is_a_400_naming_the_field(english):
    english.force_login(make_staff(Role.SUPERVISOR))
    response = english.get(PAGE, {"from": "2026-02-30"})
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()
    response = english.get(PAGE, {"from": "2026-03-02", "to": "2026-03-01"})
    assert response.status_code == 400 and "The first day is after the last." in response.content.decode()
    api = APIClient()
    api.force_login(make_staff(Role.SUPERVISOR))
    assert set(api.get("/api/v1/audit/transitions/", {"from": "x"}).json()) == {"from"}


def test_the_export_holds_the_searchs_rows_as_text(client):
    case = make_case()
    supervisor = make_staff(Role.SUPERVISOR, centre=case.filing.centre)
    record_step(case, step="noted", actor=supervisor, comment='=HYPERLINK("http://x")')
    client.force_login(supervisor)
    query = {"filing": case.filing.number}
    response = client.get(EXPORT, query)
    assert response.status_code == 200
    today = timezone.localdate()
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="audit-transitions-to-{today:%Y%m%d}.xlsx"'
    assert response["Cache-Control"] == "private, no-store"  # people's names: no shared cache keeps it
    dated = client.get(EXPORT, {**query, "from": "2026-01-05", "to": "2026-02-01"})
    assert dated["Content-Disposition"] == 'attachment; filename="audit-transitions-20260105-20260201.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    on_page = client.get(PAGE, query)
    assert len(rows) - 1 == len(_ids(on_page))
    noted = next(r for r in rows if r[2] == "noted")
    assert noted[5] == str(case._meta.verbose_name) and noted[6] == case.filing.number
    assert '=HYPERLINK("http://x")' in noted  # written as text, not a formula
    assert sheet.cell(row=2, column=1).data_type == "d"  # the time is a date, not text


def test_the_page_is_constant_queries_over_one_row_or_many(client, django_assert_max_num_queries):
    case = make_case()
    supervisor = make_staff(Role.SUPERVISOR, centre=case.filing.centre)
    client.force_login(supervisor)
    client.get(PAGE)  # warm: content types
    # Session, user, permissions, memberships, scope, the page's rows, and the desk's frame.
    with django_assert_max_num_queries(12) as one:
        client.get(PAGE, {"action": "noted"})
    for n in range(30):
        record_step(case, step="noted", actor=make_staff(Role.CLERK, centre=case.filing.centre), n=n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(PAGE, {"action": "noted"})
    assert len(_ids(response)) == 30


def test_the_api_pages_and_exports_in_scope():
    planted = plant()
    api = APIClient()
    api.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre, department=planted.department))
    page = api.get("/api/v1/audit/transitions/", {"person": planted.approver.username})
    assert page.status_code == 200
    [claim] = page.json()["results"]  # the department's rows: the case's claim, not the filing's
    assert claim["transition"] == "claim" and claim["object_type"] == "cases.case"
    assert claim["actor"]["username"] == planted.approver.username
    assert (
        claim["filing_number"] == planted.case.filing.number and claim["department"] == planted.department.pk
    )
    assert page.json()["next_before"] is None
    # The identity number was shown on the filing, which has a case of the department's: the
    # department's supervisors see that row too (a filing's own rows, matched by its number).
    [seen] = api.get("/api/v1/audit/disclosures/").json()["results"]
    assert seen["filing_number"] == planted.case.filing.number and seen["department"] is None
    exported = api.get("/api/v1/audit/transitions/export/", {"action": "claim"})
    assert exported.status_code == 200 and exported["Cache-Control"] == "private, no-store"
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == [str(CASE_STEPS["claim"])]  # by its label

    centre_api = APIClient()
    centre_api.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    [shown] = centre_api.get("/api/v1/audit/disclosures/").json()["results"]
    assert shown["what"] == "applicant_id_number" and shown["viewer"]["name"] == "张审批"


def test_the_admins_log_lists_find_a_filings_rows_by_its_whole_number(client):
    planted = plant()
    client.force_login(make_staff(Role.SUPERVISOR, is_superuser=True, is_staff=True))
    number = planted.case.filing.number
    page = client.get(reverse("admin:audit_transitionlog_changelist"), {"q": number})
    assert page.status_code == 200
    assert page.context["cl"].result_count == TransitionLog.objects.filter(filing_number=number).count() > 0
    shown = client.get(reverse("admin:audit_disclosurelog_changelist"), {"q": number})
    assert shown.context["cl"].result_count == 1


def test_a_filing_is_found_by_the_tail_of_its_number_clerks_quote(client):
    planted = plant()
    number = planted.case.filing.number
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    whole = _ids(client.get(PAGE, {"filing": number}))
    assert whole
    assert _ids(client.get(PAGE, {"filing": number[-12:]})) == whole  # the date and serial
    assert _ids(client.get(PAGE, {"filing": number[-20:]})) == whole
    assert _ids(client.get(PAGE, {"filing": "9" + number[-12:]})) == []  # the text must end the number
    short = client.get(PAGE, {"filing": number[-11:]})
    assert short.status_code == 400
    assert "filing" in short.context["form"].errors
    api = APIClient()
    api.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    found = api.get("/api/v1/audit/transitions/", {"filing": number[-12:]}).json()["results"]
    assert [row["id"] for row in found] == whole
    assert set(api.get("/api/v1/audit/transitions/", {"filing": number[-5:]}).json()) == {"filing"}


def test_a_fields_hint_and_error_sit_under_its_input_which_names_the_hint(client):
    client.force_login(make_staff(Role.SUPERVISOR))
    html = client.get(PAGE, {"filing": "12345", "person": "x"}).content.decode()

    def box(field, next_field):
        start = html.index(f'data-testid="audit-field-{field}"')
        return html[start : html.index(f"audit-field-{next_field}")]

    person = box("person", "filing")
    assert person.index("<label") < person.index("<input") < person.index('id="id_person_helptext"')
    assert 'aria-describedby="id_person_helptext"' in person
    filing = box("filing", "action")
    assert filing.index("<input") < filing.index('class="error"')  # the error at its field, under it


def test_actions_states_and_people_read_by_their_labels_on_the_page_and_in_the_export(client):
    from django.utils import translation

    from apps.cases.codes import CASE_STEPS, FILING_STEPS, CaseState

    planted = plant()
    number = planted.case.filing.number
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    with translation.override("zh-hans"):
        claimed, accepted = str(CASE_STEPS["claim"]), str(FILING_STEPS["accept"])
        in_review, queued = str(CaseState.IN_REVIEW.label), str(CaseState.QUEUED.label)
    response = client.get(PAGE, {"filing": number})
    html = response.content.decode()
    claim_row = next(cells for entry, cells in response.context["rows"] if entry.transition == "claim")
    assert claim_row[1:5] == ["张审批", claimed, queued, in_review]  # no "(username)" beside a name
    assert claim_row[5] == str(planted.case._meta.verbose_name)  # what it is; the number is beside it
    assert accepted in html and ">claim<" not in html and "in_review" not in html
    # The action box is a select of the steps by label, its values the codes the API takes.
    assert f'<option value="claim">{claimed}</option>' in html
    by_label = _ids(client.get(PAGE, {"action": claimed}))
    assert by_label and by_label == _ids(client.get(PAGE, {"action": "claim"}))
    sheet = load_workbook(io.BytesIO(client.get(EXPORT, {"filing": number}).content)).active
    claim_line = next(r for r in sheet.iter_rows(values_only=True) if r[2] == claimed)
    assert claim_line[1:5] == ("张审批", claimed, queued, in_review)
