"""The back office through the API and the approval desk: queues, object-level permissions across
departments, identity numbers masked in lists and shown (and logged) only in the workspace, and the
applicant answering a correction."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import DisclosureLog
from apps.cases import services as intake
from apps.cases.codes import CaseState
from apps.cases.models import Case, CorrectionFile
from apps.cases.review import services
from tests.cases.online_hall import submittable
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import MINIMAL_PDF as PDF
from tests.factories.cases import PERSON, accept_filing, comprehensive_window, make_case, online_filing
from tests.factories.catalogue import make_item

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 2, 0)


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def approver(department):
    return make_staff(Role.APPROVER, department=department)


def test_an_approver_of_another_department_gets_404_everywhere(client, department, approver):
    case = make_case(department=department)
    stranger = make_staff(Role.APPROVER, department=DepartmentFactory(centre=department.centre))
    client.force_login(stranger)
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("case-claim", args=[case.pk])).status_code == 404
    assert client.get(reverse("case-list")).json()["results"] == []
    assert client.get(reverse("desks:backoffice_case", args=[case.pk])).status_code == 404
    assert client.post(reverse("desks:backoffice_act", args=[case.pk, "claim"])).status_code == 404
    assert client.get(reverse("filing-detail", args=[case.filing_id])).status_code == 404
    assert Case.objects.get(pk=case.pk).state == CaseState.QUEUED


def test_people_without_the_back_office_role_get_403(client, department):
    make_case(department=department)
    for role in (Role.CLERK, Role.CITIZEN):
        client.force_login(make_staff(role))
        assert client.get(reverse("case-list")).status_code == 403
        assert client.get(reverse("desks:backoffice")).status_code == 403


def test_lists_mask_the_identity_number_and_the_workspace_shows_and_logs_it(client, department, approver):
    case = make_case(department=department)
    client.force_login(approver)
    rows = client.get(reverse("case-list")).json()["results"]
    assert [r["applicant_id_number"] for r in rows] == ["110105********002X"]
    desk = client.get(reverse("desks:backoffice")).content.decode()
    assert "110105********002X" in desk and PERSON.id_number not in desk
    assert not DisclosureLog.objects.exists()

    page = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    assert PERSON.id_number in page
    detail = client.get(reverse("case-detail", args=[case.pk])).json()
    assert detail["applicant"]["id_number"] == PERSON.id_number
    logged = DisclosureLog.objects.all()
    assert [(e.viewer, e.what, e.object_id) for e in logged] == [
        (approver, "applicant_id_number", str(case.filing_id))
    ] * 2


def test_the_api_walks_a_case_from_claim_to_decision(client, department, approver):
    case = make_case(department=department)
    client.force_login(approver)
    claimed = client.post(reverse("case-claim", args=[case.pk])).json()
    assert claimed["state"] == "in_review" and "approve" in claimed["actions"]
    again = client.post(reverse("case-claim", args=[case.pk]))
    assert again.status_code == 409
    bad = client.post(
        reverse("case-decide", args=[case.pk]), {"outcome": "approve"}, content_type="application/json"
    )
    assert bad.status_code == 400 and {"holder", "scope"} <= set(bad.json())
    decided = client.post(
        reverse("case-decide", args=[case.pk]),
        {"outcome": "approve", "holder": "张三", "scope": "餐饮服务", "valid_until": "2031-09-23"},
        content_type="application/json",
    ).json()
    assert decided["state"] == "approved" and decided["actions"] == []
    decided_queue = client.get(reverse("case-list"), {"queue": "decided"}).json()["results"]
    assert [r["id"] for r in decided_queue] == [case.pk]


def test_a_special_procedure_the_item_does_not_allow_is_a_400(client, department, approver):
    case = make_case(department=department, special_procedures=[])
    client.force_login(approver)
    client.post(reverse("case-claim", args=[case.pk]))
    refused = client.post(
        reverse("case-special-procedure", args=[case.pk]),
        {"procedure": "hearing", "reason": "听证"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "procedure" in refused.json()
    resume = client.post(reverse("case-resume", args=[case.pk]))
    assert resume.status_code == 409  # not suspended


@time_machine.travel(TODAY, tick=False)
def test_the_applicant_answers_a_correction_online_with_files(client, department, approver):
    citizen = make_staff(Role.CITIZEN)
    item = make_item(department=department)
    filing = submittable(online_filing(citizen=citizen, centre=department.centre, items=[item]), citizen)
    intake.submit_online(filing_id=filing.pk, actor=citizen)
    window = comprehensive_window(department.centre)
    clerk = make_staff(Role.CLERK, centre=department.centre, window=window)
    intake.start_pre_review(filing_id=filing.pk, actor=clerk, window=window)
    accept_filing(filing, actor=clerk)
    case = filing.cases.get()
    services.claim(case_id=case.pk, actor=approver)
    services.request_correction(
        case_id=case.pk, actor=approver, items=[{"material": None, "what": "补充营业场所照片"}]
    )

    client.force_login(citizen)
    seen = client.get(reverse("filing-detail", args=[filing.pk])).json()
    [shown] = seen["cases"][0]["corrections"]
    assert shown["items"] == [{"material": None, "what": "补充营业场所照片"}] and shown["answered_at"] is None
    url = shown["answer_url"]

    fake = client.post(
        url, {"answer": "见附件", "files": [SimpleUploadedFile("照片.pdf", b"MZ\x90\x00 exe")]}
    )
    assert fake.status_code == 400
    assert Case.objects.get(pk=case.pk).state == CaseState.SUSPENDED and not CorrectionFile.objects.exists()

    stranger = make_staff(Role.CITIZEN)
    client.force_login(stranger)
    assert client.post(url, {"answer": "不是我的"}).status_code == 404

    client.force_login(citizen)
    answered = client.post(url, {"answer": "见附件", "files": [SimpleUploadedFile("照片.pdf", PDF)]})
    assert answered.status_code == 200
    assert answered.json()["cases"][0]["state"] == "in_review"
    [stored] = CorrectionFile.objects.all()
    client.force_login(approver)
    workspace = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    file_url = reverse("case-correction-file", args=[case.pk, stored.pk])
    assert "见附件" in workspace and file_url in workspace
    assert client.get(file_url).getvalue() == PDF
    client.force_login(make_staff(Role.APPROVER, department=DepartmentFactory(centre=department.centre)))
    assert client.get(file_url).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_queues_sort_by_urgency_filter_by_warning_and_read_a_constant_number_of_queries(
    client, department, approver
):
    from apps.worktime.models import Clock

    cases = [make_case(department=department, promised_limit_days=10) for _ in range(3)]
    # Make the second overdue and the third red by moving their clocks' dates.
    Clock.objects.filter(case=cases[1]).update(due_on=dt.date(2026, 9, 23), red_on=dt.date(2026, 9, 23))
    Clock.objects.filter(case=cases[2]).update(due_on=dt.date(2026, 9, 25), red_on=dt.date(2026, 9, 24))
    # Clocks moved in bulk (as a calendar change does): the sweep brings the queue order and levels.
    from apps.cases.sweeps import sweep_warnings

    assert sweep_warnings() == 2  # the two moved; the third is on time and stays as it was
    assert sweep_warnings() == 0
    client.force_login(approver)
    rows = client.get(reverse("case-list")).json()["results"]
    assert [(r["id"], r["warning"]) for r in rows] == [
        (cases[1].pk, "overdue"),
        (cases[2].pk, "red"),
        (cases[0].pk, "normal"),
    ]
    red = client.get(reverse("case-list"), {"warning": "red"}).json()["results"]
    assert [r["id"] for r in red] == [cases[2].pk]

    def queries(path, **params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, params).status_code == 200
        return len(captured)

    api_few, desk_few = queries(reverse("case-list")), queries(reverse("desks:backoffice"))
    for _ in range(5):
        make_case(department=department)
    assert queries(reverse("case-list")) == api_few
    assert queries(reverse("desks:backoffice")) == desk_few
    case = cases[0]
    services.claim(case_id=case.pk, actor=approver)
    services.record_opinion(case_id=case.pk, actor=approver, text="一")
    workspace = queries(reverse("desks:backoffice_case", args=[case.pk]))
    for text in ("二", "三"):
        services.record_opinion(case_id=case.pk, actor=approver, text=text)
    assert queries(reverse("desks:backoffice_case", args=[case.pk])) == workspace


def test_the_desk_offers_exactly_the_graphs_actions_for_this_user(client, department, approver):
    case = make_case(department=department)
    client.force_login(approver)
    page = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    assert 'data-testid="action-claim"' in page and 'data-testid="action-approve"' not in page
    client.post(reverse("desks:backoffice_act", args=[case.pk, "claim"]))
    page = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    assert 'data-testid="action-claim"' not in page and 'data-testid="action-approve"' in page
    other = make_staff(Role.APPROVER, department=department)
    client.force_login(other)
    page = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    assert 'data-testid="action-approve"' not in page  # claimed by someone else
