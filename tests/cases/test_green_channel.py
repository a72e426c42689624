"""The green channel (绿色通道): flagged by a window clerk or a supervisor of the filing's centre (or its
assistant), logged, and first on every desk — the windows' pre-review list, the departments' case
queues and the certificate desk — with its badge, whatever the list is sorted by."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases import green_channel, services
from apps.cases.models import Filing
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import (
    accept_filing,
    comprehensive_window,
    make_filing,
    window_clerk,
)
from tests.factories.catalogue import MaterialFactory, default_children, make_item
from tests.factories.certificates import ready_filing

pytestmark = pytest.mark.django_db


def flag(filing, actor, reason="重点项目"):
    return green_channel.flag_green_channel(filing_id=filing.pk, reason=reason, actor=actor)


def numbers_in(page: str, numbers) -> list[str]:
    """The given filing numbers in the order the page shows them."""
    return sorted(numbers, key=page.index)


# --- flagging ------------------------------------------------------------------------------------


def test_a_clerk_of_the_centre_flags_and_unflags_and_both_are_logged():
    filing = make_filing()
    clerk = filing.created_by
    flagged = flag(filing, clerk, reason="  市重点 项目 ")
    assert (flagged.green_channel, flagged.green_channel_reason, flagged.green_channel_by) == (
        True,
        "市重点 项目",
        clerk,
    )
    assert flagged.green_channel_at is not None
    with pytest.raises(Conflict):
        flag(filing, clerk)
    unflagged = green_channel.unflag_green_channel(filing_id=filing.pk, actor=clerk, reason="项目取消")
    assert (unflagged.green_channel, unflagged.green_channel_reason, unflagged.green_channel_by) == (
        False,
        "",
        None,
    )
    with pytest.raises(Conflict):
        green_channel.unflag_green_channel(filing_id=filing.pk, actor=clerk)
    steps = [(e.transition, e.actor, e.comment) for e in history_of(filing)][1:]
    assert steps == [
        ("flag_green_channel", clerk, "市重点 项目"),
        ("unflag_green_channel", clerk, "项目取消"),
    ]


def test_a_reason_is_required():
    filing = make_filing()
    with pytest.raises(ValidationError) as refused:
        flag(filing, filing.created_by, reason="   ")
    assert "reason" in refused.value.message_dict
    filing.refresh_from_db()
    assert not filing.green_channel


@pytest.mark.parametrize("who", ["supervisor", "department_supervisor", "assistant"])
def test_a_supervisor_of_the_centre_and_the_filings_assistant_flag_it_too(who):
    from apps.cases import assistance
    from tests.factories.cases import PERSON

    filing = make_filing()
    if who == "assistant":
        actor = make_staff(Role.ASSISTANT, centre=filing.centre)
        item = filing.items.get().item
        filing = assistance.open_assisted_filing(
            centre=filing.centre, applicant=PERSON, actor=actor, item_ids=[item.pk]
        )
    elif who == "department_supervisor":
        actor = make_staff(
            Role.SUPERVISOR, centre=filing.centre, department=DepartmentFactory(centre=filing.centre)
        )
    else:
        actor = make_staff(Role.SUPERVISOR, centre=filing.centre)
    assert flag(filing, actor).green_channel


@pytest.mark.parametrize(
    "who", ["approver", "clerk_elsewhere", "supervisor_elsewhere", "other_assistant", "citizen"]
)
def test_no_one_else_flags_it(who):
    filing = make_filing()
    actor = {
        "approver": lambda: make_staff(Role.APPROVER, department=filing.items.get().item.department),
        "clerk_elsewhere": lambda: window_clerk(comprehensive_window()),
        "supervisor_elsewhere": lambda: make_staff(Role.SUPERVISOR),
        "other_assistant": lambda: make_staff(Role.ASSISTANT, centre=filing.centre),
        "citizen": lambda: make_staff(Role.CITIZEN),
    }[who]()
    with pytest.raises(PermissionDenied):
        flag(filing, actor)
    assert not Filing.objects.filter(green_channel=True).exists()
    assert not green_channel.flaggable_by(actor).filter(pk=filing.pk).exists()


def test_an_ended_filing_is_not_flagged():
    filing = make_filing()
    services.refuse(
        filing_id=filing.pk,
        reasons="不符",
        legal_basis="第五条",
        actor=filing.created_by,
        window=filing.window,
    )
    with pytest.raises(Conflict):
        flag(filing, filing.created_by)


# --- green first on every desk -------------------------------------------------------------------


def test_the_windows_pre_review_list_puts_the_green_channel_first(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.cases import assistance
    from tests.factories.cases import MINIMAL_PDF, PERSON

    centre = ServiceCentreFactory()
    material = MaterialFactory(name="身份证")
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children([material]))
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    assistant = make_staff(Role.ASSISTANT, centre=centre)
    submitted = []
    for _n in range(3):
        draft = assistance.open_assisted_filing(
            centre=centre, applicant=PERSON, actor=assistant, item_ids=[item.pk]
        )
        assistance.attach_assisted_upload(
            filing_id=draft.pk,
            material_id=material.pk,
            file=SimpleUploadedFile("id.pdf", MINIMAL_PDF, content_type="application/pdf"),
            actor=assistant,
        )
        submitted.append(assistance.submit_assisted(filing_id=draft.pk, actor=assistant))
    first, second, last = submitted
    flag(last, clerk)

    client.force_login(clerk)
    page = client.get(reverse("desks:intake")).content.decode()
    awaiting = page[page.index('data-testid="list-awaiting"') :]
    numbers = [f.number for f in submitted]
    assert numbers_in(awaiting, numbers) == [last.number, first.number, second.number]
    assert len(re.findall(r'data-testid="green-channel"', awaiting.split("</section>")[0])) == 1
    # Sorted by what the clerk chose, the green channel still comes first.
    page = client.get(reverse("desks:intake"), {"sort": "received"}).content.decode()
    awaiting = page[page.index('data-testid="list-awaiting"') :]
    assert numbers_in(awaiting, numbers) == [last.number, second.number, first.number]


def test_a_departments_queue_puts_the_green_channel_first_whatever_the_sort(client):
    department = DepartmentFactory()
    items = [
        make_item(department=department, children=default_children(), promised_limit_days=days)
        for days in (5, 10)
    ]
    soon = accept_filing(make_filing(items=[items[0]]))
    late = accept_filing(make_filing(items=[items[1]]))
    flag(late, late.created_by)
    approver = make_staff(Role.APPROVER, department=department)
    client.force_login(approver)
    for params in ({}, {"sort": "due"}, {"sort": "warning"}):
        page = client.get(reverse("desks:backoffice"), {"queue": "unclaimed", **params}).content.decode()
        assert numbers_in(page, [soon.number, late.number]) == [late.number, soon.number], params
        assert page.count('data-testid="green-channel"') == 1
    api = client.get("/api/v1/cases/", {"queue": "unclaimed"}).json()
    assert [row["filing"] for row in api["results"]][:2] == [late.number, soon.number]


def test_the_certificate_desk_puts_the_green_channel_first():
    centre = ServiceCentreFactory()
    older, newer = ready_filing(centre=centre), ready_filing(centre=centre)
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)
    flag(newer, supervisor)
    from django.test import Client

    client = Client()
    client.force_login(make_staff(Role.ISSUER, centre=centre))
    page = client.get(reverse("desks:issuing"), {"tab": "ready"}).content.decode()
    assert numbers_in(page, [older.number, newer.number]) == [newer.number, older.number]
    assert page.count('data-testid="green-channel"') == 1


def test_the_desk_lists_cost_no_more_queries_with_the_badge(client, django_assert_max_num_queries):
    centre = ServiceCentreFactory()
    filings = [ready_filing(centre=centre) for _ in range(2)]
    client.force_login(make_staff(Role.ISSUER, centre=centre))
    with django_assert_max_num_queries(50) as plain:
        client.get(reverse("desks:issuing"), {"tab": "ready"})
    for filing in filings:
        Filing.objects.filter(pk=filing.pk).update(green_channel=True, green_channel_reason="重点项目")
    with django_assert_max_num_queries(len(plain.captured_queries)):
        page = client.get(reverse("desks:issuing"), {"tab": "ready"}).content.decode()
    assert page.count('data-testid="green-channel"') == 2


# --- the desk's form and the API -----------------------------------------------------------------


def test_the_intake_page_flags_it_and_comes_back(client):
    filing = make_filing()
    client.force_login(filing.created_by)
    back = reverse("desks:intake_filing", args=[filing.pk])
    page = client.get(back).content.decode()
    assert reverse("desks:green_channel", args=[filing.pk, "flag"]) in page
    response = client.post(
        reverse("desks:green_channel", args=[filing.pk, "flag"]), {"reason": "省重点项目", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    filing.refresh_from_db()
    assert filing.green_channel and filing.green_channel_reason == "省重点项目"
    page = client.get(back).content.decode()
    assert 'data-testid="green-channel"' in page and "省重点项目" in page
    # Somewhere else than this site: back to the desks instead.
    response = client.post(
        reverse("desks:green_channel", args=[filing.pk, "unflag"]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("desks:home")
    filing.refresh_from_db()
    assert not filing.green_channel


def test_the_form_answers_404_for_a_filing_the_user_may_not_flag(client):
    filing = make_filing()
    client.force_login(window_clerk(comprehensive_window()))
    response = client.post(reverse("desks:green_channel", args=[filing.pk, "flag"]), {"reason": "x"})
    assert response.status_code == 404


def test_the_api_flags_and_unflags(client):
    filing = make_filing()
    url = f"/api/v1/filings/{filing.pk}/green-channel/"
    client.force_login(make_staff(Role.CITIZEN))
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 404
    client.force_login(filing.created_by)
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 400
    flagged = client.post(url, {"reason": "重点项目"}, content_type="application/json")
    assert flagged.status_code == 200 and flagged.json()["green_channel"] is True
    assert client.post(url, {"reason": "重点项目"}, content_type="application/json").status_code == 409
    unflagged = client.delete(url)
    assert unflagged.status_code == 200 and unflagged.json()["green_channel"] is False


def test_the_case_and_certificate_pages_show_the_flag_and_its_reason_without_a_form(client):
    filing = ready_filing()
    flag(filing, make_staff(Role.SUPERVISOR, centre=filing.centre), reason="省重点项目")
    client.force_login(make_staff(Role.ISSUER, centre=filing.centre))
    page = client.get(reverse("desks:issuing_filing", args=[filing.pk])).content.decode()
    assert 'data-testid="green-channel-panel"' in page and "省重点项目" in page
    assert 'data-testid="green-channel-submit"' not in page
    case = filing.cases.get()
    client.force_login(make_staff(Role.APPROVER, department=case.department))
    page = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    assert 'data-testid="green-channel-panel"' in page and "省重点项目" in page
    assert 'data-testid="green-channel-submit"' not in page


def test_a_filing_flagged_before_acceptance_has_its_cases_first_in_the_queue_from_their_index():
    department = DepartmentFactory()
    item = make_item(department=department, children=default_children())
    draft = make_filing(items=[item])
    clerk = make_staff(Role.CLERK, centre=draft.centre)
    flag(draft, clerk)
    case = accept_filing(draft).cases.get()
    assert case.green_channel is True  # copied when the case is opened
    green_channel.unflag_green_channel(filing_id=draft.pk, actor=clerk)
    case.refresh_from_db()
    assert case.green_channel is False  # and followed when the filing leaves the channel
