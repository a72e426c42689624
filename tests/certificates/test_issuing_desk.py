"""The certificate desk's HTML views (统一窗口出证): the lists of the user's centre, a filing's preview
and the actions its state allows — ask, confirm under dual control, hand over or post — with the
refusals shown as messages and the number of queries a page reads kept constant."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.certificates import services
from apps.certificates.models import (
    Delivery,
    IssuedDocument,
    IssueRequest,
    RequestState,
    SealStatus,
    SealUse,
)
from apps.licences.models import ElectronicCertificate
from tests.factories import ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON
from tests.factories.certificates import issue, keeper_for, ready_filing

pytestmark = pytest.mark.django_db

MASKED = "110105********002X"
STRANGER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")
ACTIONS = ("request_issue", "confirm_issue", "cancel_request", "hand_over", "post")


def page_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def filing_url(filing) -> str:
    return reverse("desks:issuing_filing", args=[filing.pk])


def act_url(filing, action) -> str:
    return reverse("desks:issuing_act", args=[filing.pk, action])


def actions_on(page: str) -> set[str]:
    return {action for action in ACTIONS if f'data-testid="action-{action}"' in page}


def messages_on(page: str) -> list[str]:
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', page, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", listed.group(1), re.S) if listed else []


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


# --- the lists -------------------------------------------------------------------------------------


def test_the_desk_lists_the_ready_filings_of_the_users_centre_only_with_masked_id_numbers(
    client, centre, issuer
):
    ours = ready_filing(centre=centre)
    theirs = ready_filing()
    client.force_login(issuer)
    page = page_of(client, reverse("desks:issuing"))
    assert filing_url(ours) in page and ours.number in page
    assert filing_url(theirs) not in page and theirs.number not in page
    assert MASKED in page and PERSON.id_number not in page
    for tab in ("ready", "requests", "delivery"):
        assert f'data-testid="tab-{tab}"' in page
    assert 'href="?tab=ready" aria-current="page"' in page


def test_the_tabs_list_pending_requests_and_filings_awaiting_delivery(client, centre, issuer):
    asked = ready_filing(centre=centre)
    services.request_issue(filing_id=asked.pk, actor=issuer)
    issued = ready_filing(centre=centre)
    issue(issued)
    client.force_login(issuer)

    ready = page_of(client, reverse("desks:issuing"))
    assert asked.number in ready and issued.number not in ready  # asking keeps it on the ready list
    requests = page_of(client, reverse("desks:issuing"), tab="requests")
    assert 'data-testid="issue-requests"' in requests
    assert asked.number in requests and issued.number not in requests
    assert MASKED in requests and PERSON.id_number not in requests
    delivery = page_of(client, reverse("desks:issuing"), tab="delivery")
    assert issued.number in delivery and asked.number not in delivery
    assert PERSON.id_number not in delivery


def test_the_ready_list_reads_the_same_number_of_queries_for_2_and_for_12_filings(client, centre, issuer):
    for _ in range(2):
        ready_filing(centre=centre)
    client.force_login(issuer)
    url = reverse("desks:issuing")
    few = count_queries(client, url)
    for _ in range(10):
        ready_filing(centre=centre)
    assert Filing.objects.filter(centre=centre, state=FilingState.READY_FOR_ISSUE).count() == 12
    many = count_queries(client, url)
    assert many == few
    page = page_of(client, url)
    assert page.count('href="/issuing/filings/') == 12


def test_the_requests_and_delivery_tabs_read_a_constant_number_of_queries(client, centre, issuer):
    client.force_login(issuer)
    url = reverse("desks:issuing")

    def add(n):
        for _ in range(n):
            services.request_issue(filing_id=ready_filing(centre=centre).pk, actor=issuer)
            issue(ready_filing(centre=centre), issuer=issuer)

    add(1)
    few = (count_queries(client, url, tab="requests"), count_queries(client, url, tab="delivery"))
    add(3)
    assert page_of(client, url, tab="requests").count('href="/issuing/filings/') == 4
    assert page_of(client, url, tab="delivery").count('href="/issuing/filings/') == 4
    many = (count_queries(client, url, tab="requests"), count_queries(client, url, tab="delivery"))
    assert many == few


def test_people_without_the_issuing_role_get_403_at_the_desk(client, centre):
    filing = ready_filing(centre=centre)
    for role in (Role.CLERK, Role.APPROVER, Role.CITIZEN):
        client.force_login(make_staff(role, centre=centre) if role != Role.CITIZEN else make_staff(role))
        assert client.get(reverse("desks:issuing")).status_code == 403
        assert client.get(filing_url(filing)).status_code == 403
        assert client.post(act_url(filing, "request_issue")).status_code == 403
        assert client.get(reverse("desks:issuing_seals")).status_code == 403
    assert not IssueRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, centre):
    filing = ready_filing(centre=centre)
    response = client.get(filing_url(filing))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_clerk_membership_at_another_centre_does_not_open_that_centres_certificate_desk(
    client, centre, issuer
):
    elsewhere = ServiceCentreFactory()
    make_staff(Role.CLERK, centre=elsewhere, username=issuer.username)  # the same person, a clerk there
    filing = ready_filing(centre=elsewhere)
    client.force_login(issuer)
    assert filing.number not in page_of(client, reverse("desks:issuing"))
    assert client.get(filing_url(filing)).status_code == 404
    client.post(act_url(filing, "request_issue"))
    assert not IssueRequest.objects.exists()


# --- one filing ------------------------------------------------------------------------------------


def test_the_filing_page_previews_each_document_with_its_seal(client, centre, issuer):
    filing = ready_filing(centre=centre, departments=2)
    client.force_login(issuer)
    page = page_of(client, filing_url(filing))
    assert page.count('data-testid="preview-document"') == 2
    for case in filing.cases.select_related("department", "item"):
        seal = case.department.seals.get()
        assert f'<dd data-testid="preview-seal">{seal.name}</dd>' in page
        assert case.item.name in page
    assert 'role="alert"' not in page  # nothing stands in the way
    assert MASKED in page and PERSON.id_number not in page
    assert not IssuedDocument.objects.exists()  # a preview numbers nothing


def test_a_suspended_seal_shows_as_a_problem_in_the_preview(client, centre, issuer):
    filing = ready_filing(centre=centre)
    seal = filing.cases.get().department.seals.get()
    services.set_seal_status(
        seal_id=seal.pk, actor=keeper_for(filing), status=SealStatus.SUSPENDED, reason="送检"
    )
    client.force_login(issuer)
    page = page_of(client, filing_url(filing))
    assert 'role="alert"' in page and seal.name in page


def test_another_centres_filing_is_not_found_at_this_desk(client, issuer):
    filing = ready_filing()
    client.force_login(issuer)
    assert client.get(filing_url(filing)).status_code == 404
    assert client.post(act_url(filing, "request_issue")).status_code == 404
    assert not IssueRequest.objects.exists()


def test_an_unknown_action_is_refused(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    client.force_login(issuer)
    response = client.post(act_url(filing, "delete_everything"), follow=True)
    assert response.redirect_chain == [(filing_url(filing), 302)]
    [message] = messages_on(response.content.decode())
    assert "Action" in message and "delete_everything" in message  # the field, and what it said
    assert not IssueRequest.objects.exists()
    assert client.get(act_url(filing, "request_issue")).status_code == 405


# --- the actions follow the state ------------------------------------------------------------------


def test_the_actions_shown_follow_the_filings_state_and_the_users_role(client, english, centre, issuer):
    filing = ready_filing(centre=centre, departments=2)
    keeper = keeper_for(filing)
    client.force_login(issuer)
    assert actions_on(page_of(client, filing_url(filing))) == {"request_issue"}

    asked = client.post(act_url(filing, "request_issue"), {"note": "请尽快"}, follow=True)
    [pending] = IssueRequest.objects.filter(filing=filing, state=RequestState.PENDING)
    assert pending.requested_by == issuer and pending.note == "请尽快"
    page = asked.content.decode()
    assert actions_on(page) == {"cancel_request"}  # the issuer cannot confirm their own request
    assert 'data-testid="pending-request"' in page and "请尽快" in page
    assert any("seal keeper" in m for m in messages_on(page))

    client.force_login(keeper)
    page = page_of(client, filing_url(filing))
    assert actions_on(page) == {"confirm_issue", "cancel_request"}
    assert f'name="request" value="{pending.pk}"' in page

    confirmed = client.post(act_url(filing, "confirm_issue"), {"request": pending.pk}, follow=True)
    page = confirmed.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.ISSUED
    documents = list(IssuedDocument.objects.filter(filing=filing))
    assert len(documents) == 2
    assert actions_on(page) == set()  # custody of the seals is not the hand-over: that is the issuer's
    assert 'data-testid="preview"' not in page
    for document in documents:
        assert f'<td data-testid="document-number">{document.number}</td>' in page
        assert reverse("document-pdf", args=[document.pk]) in page
    assert all(d.issued_by == issuer and d.confirmed_by == keeper for d in documents)

    client.force_login(issuer)
    assert actions_on(page_of(client, filing_url(filing))) == {"hand_over", "post"}
    handed = client.post(
        act_url(filing, "hand_over"),
        {"recipient_name": PERSON.name, "recipient_id_number": PERSON.id_number},
        follow=True,
    )
    page = handed.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.CLOSED
    assert actions_on(page) == set() and "panel actions" not in page
    assert 'data-testid="delivery"' in page and PERSON.name in page
    delivery = Delivery.objects.get(filing=filing)
    assert (delivery.method, delivery.recipient_role, delivery.delivered_by) == (
        "handover",
        "applicant",
        issuer,
    )
    # The full number is kept in the delivery record, never shown on the page.
    assert PERSON.id_number not in page


def test_the_issuer_may_cancel_their_request_and_ask_again(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    client.force_login(issuer)
    client.post(act_url(filing, "request_issue"))
    pending = IssueRequest.objects.get()
    page = client.post(
        act_url(filing, "cancel_request"), {"request": pending.pk, "reason": "材料有误"}, follow=True
    ).content.decode()
    pending.refresh_from_db()
    assert pending.state == RequestState.CANCELLED and pending.note == "材料有误"
    assert actions_on(page) == {"request_issue"}


def test_another_issuer_sees_neither_confirm_nor_cancel_and_cannot_cancel(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    pending = services.request_issue(filing_id=filing.pk, actor=issuer)
    client.force_login(make_staff(Role.ISSUER, centre=centre))
    page = page_of(client, filing_url(filing))
    assert actions_on(page) == set() and 'data-testid="pending-request"' in page
    crafted = client.post(act_url(filing, "cancel_request"), {"request": pending.pk}, follow=True)
    [message] = messages_on(crafted.content.decode())
    assert "Only the issuer who asked or a seal keeper" in message
    assert IssueRequest.objects.get().state == RequestState.PENDING


def test_confirming_a_stale_request_says_so_and_issues_nothing(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    first = services.request_issue(filing_id=filing.pk, actor=issuer)
    services.cancel_request(request_id=first.pk, actor=issuer)
    current = services.request_issue(filing_id=filing.pk, actor=issuer)
    client.force_login(keeper_for(filing))
    response = client.post(act_url(filing, "confirm_issue"), {"request": first.pk}, follow=True)
    assert response.redirect_chain == [(filing_url(filing), 302)]
    [message] = messages_on(response.content.decode())
    assert "no longer pending" in message
    assert not IssuedDocument.objects.exists() and not SealUse.objects.exists()
    assert IssueRequest.objects.get(pk=current.pk).state == RequestState.PENDING
    assert Filing.objects.get(pk=filing.pk).state == FilingState.READY_FOR_ISSUE


def test_confirming_with_nothing_pending_says_so(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    client.force_login(keeper_for(filing))
    response = client.post(act_url(filing, "confirm_issue"), {"request": "1"}, follow=True)
    assert any("no longer pending" in m for m in messages_on(response.content.decode()))
    assert not IssuedDocument.objects.exists()


def test_the_issuer_cannot_confirm_their_own_request_even_by_crafting_the_post(
    client, english, centre, issuer
):
    # The issuer is a seal keeper too: the role alone would let them confirm, dual control does not.
    make_staff(Role.SEAL_KEEPER, centre=centre, username=issuer.username)
    filing = ready_filing(centre=centre)
    client.force_login(issuer)
    client.post(act_url(filing, "request_issue"))
    pending = IssueRequest.objects.get()
    assert "confirm_issue" not in actions_on(page_of(client, filing_url(filing)))
    response = client.post(act_url(filing, "confirm_issue"), {"request": pending.pk}, follow=True)
    [message] = messages_on(response.content.decode())
    assert "Dual control" in message
    assert not IssuedDocument.objects.exists() and not ElectronicCertificate.objects.exists()
    assert IssueRequest.objects.get().state == RequestState.PENDING
    assert Filing.objects.get(pk=filing.pk).state == FilingState.READY_FOR_ISSUE


def test_an_issuer_without_the_seal_keepers_role_cannot_confirm_by_crafting_the_post(
    client, english, centre, issuer
):
    filing = ready_filing(centre=centre)
    pending = services.request_issue(filing_id=filing.pk, actor=issuer)
    client.force_login(make_staff(Role.ISSUER, centre=centre))
    response = client.post(act_url(filing, "confirm_issue"), {"request": pending.pk}, follow=True)
    assert messages_on(response.content.decode())
    assert not IssuedDocument.objects.exists()
    assert IssueRequest.objects.get().state == RequestState.PENDING


def test_handing_over_to_a_stranger_names_the_rule_and_keeps_the_filing_issued(
    client, english, centre, issuer
):
    filing = ready_filing(centre=centre)
    issue(filing, issuer=issuer)
    client.force_login(issuer)
    response = client.post(
        act_url(filing, "hand_over"),
        {"recipient_name": "赵六", "recipient_id_number": STRANGER_ID},
        follow=True,
    )
    [message] = messages_on(response.content.decode())
    assert "neither the applicant nor the agent" in message
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED
    assert not Delivery.objects.exists()
    assert actions_on(response.content.decode()) == {"hand_over", "post"}


def test_handing_over_with_an_invalid_id_number_is_refused(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    issue(filing, issuer=issuer)
    client.force_login(issuer)
    response = client.post(
        act_url(filing, "hand_over"),
        {"recipient_name": PERSON.name, "recipient_id_number": "110105194912310021"},
        follow=True,
    )
    assert messages_on(response.content.decode())
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED


def test_posting_closes_the_filing_and_shows_the_parcel(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    issue(filing, issuer=issuer)
    client.force_login(issuer)
    parcel = {
        "recipient_name": "张三",
        "phone": "13812343210",
        "address": "测试市测试路1号",
        "carrier": "中国邮政EMS",
        "tracking_number": "EA123456789CN",
    }
    missing = client.post(act_url(filing, "post"), {**parcel, "tracking_number": ""}, follow=True)
    assert messages_on(missing.content.decode())
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED
    page = client.post(act_url(filing, "post"), parcel, follow=True).content.decode()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.CLOSED
    assert "EA123456789CN" in page and actions_on(page) == set()


# --- query counts ----------------------------------------------------------------------------------


def test_the_filing_page_reads_the_same_number_of_queries_for_1_and_for_3_departments(client, centre, issuer):
    small = ready_filing(centre=centre, departments=1)
    big = ready_filing(centre=centre, departments=3)
    client.force_login(issuer)
    counts = (count_queries(client, filing_url(small)), count_queries(client, filing_url(big)))
    assert counts[0] == counts[1], counts


def test_the_issued_filing_page_reads_the_same_number_of_queries_for_1_and_for_3_departments(
    client, centre, issuer
):
    small = ready_filing(centre=centre, departments=1)
    big = ready_filing(centre=centre, departments=3)
    issue(small, issuer=issuer)
    issue(big, issuer=issuer)
    client.force_login(issuer)
    counts = (count_queries(client, filing_url(small)), count_queries(client, filing_url(big)))
    assert counts[0] == counts[1], counts
