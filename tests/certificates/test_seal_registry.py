"""The seal registry at the certificate desk: the centre's seals and their status, suspension and
reinstatement by a seal keeper with a reason (logged), one seal in use per department, and the use
log (用印登记) of each seal."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.certificates.models import Seal, SealStatus
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import accept_filing, make_filing
from tests.factories.certificates import certificate_item, decide_all, issue, make_seal, ready_filing

pytestmark = pytest.mark.django_db

REGISTRY = "desks:issuing_seals"


@pytest.fixture
def department(centre):
    return DepartmentFactory(centre=centre)


@pytest.fixture
def seal(department):
    return make_seal(department)


@pytest.fixture
def keeper(centre):
    return make_staff(Role.SEAL_KEEPER, centre=centre)


def status_url(seal) -> str:
    return reverse("desks:issuing_seal_status", args=[seal.pk])


def registry(client, **params) -> str:
    response = client.get(reverse(REGISTRY), params)
    assert response.status_code == 200
    return response.content.decode()


def messages_on(page: str) -> list[str]:
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', page, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", listed.group(1), re.S) if listed else []


def statuses_on(page: str) -> list[str]:
    return [s.strip() for s in re.findall(r'<td data-testid="seal-status">(.*?)</td>', page, re.S)]


def test_the_registry_lists_the_centres_seals_with_their_status(client, english, centre, seal, keeper):
    # Registered suspended: the status is protected, set only by the constructor or a transition.
    other = make_seal(DepartmentFactory(centre=centre), status=SealStatus.SUSPENDED, status_reason="印章磨损")
    elsewhere = make_seal(DepartmentFactory())
    client.force_login(keeper)
    page = registry(client)
    assert f'href="?seal={seal.pk}"' in page and seal.name in page
    assert f'href="?seal={other.pk}"' in page
    assert f'href="?seal={elsewhere.pk}"' not in page
    assert sorted(statuses_on(page)) == ["In use", "Suspended · 印章磨损"]
    assert str(seal.custodian) in page
    assert page.count('name="reason"') == 2  # a keeper may change either


def test_an_issuer_sees_the_registry_but_may_not_change_it(client, english, centre, seal):
    issuer = make_staff(Role.ISSUER, centre=centre)
    client.force_login(issuer)
    page = registry(client)
    assert seal.name in page and 'name="reason"' not in page
    refused = client.post(status_url(seal), {"reason": "遗失"})
    assert refused.status_code == 403
    seal.refresh_from_db()
    assert seal.status == SealStatus.ACTIVE and not history_of(seal).exists()


def test_people_without_the_desk_role_get_403(client, centre, seal):
    client.force_login(make_staff(Role.CLERK, centre=centre))
    assert client.get(reverse(REGISTRY)).status_code == 403
    assert client.post(status_url(seal), {"reason": "遗失"}).status_code == 403
    client.logout()
    assert client.post(status_url(seal), {"reason": "遗失"}).status_code == 302  # to the login page
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.ACTIVE


def test_a_keeper_of_another_centre_cannot_touch_this_centres_seals(client, seal):
    client.force_login(make_staff(Role.SEAL_KEEPER))
    assert client.post(status_url(seal), {"reason": "遗失"}).status_code == 404
    page = registry(client, seal=seal.pk)
    assert seal.name not in page
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.ACTIVE


def test_a_keeper_suspends_a_seal_with_a_reason_and_it_is_logged(client, english, seal, keeper):
    client.force_login(keeper)
    response = client.post(status_url(seal), {"reason": "  印章遗失，待查  "}, follow=True)
    assert response.redirect_chain == [(f"{reverse(REGISTRY)}?seal={seal.pk}", 302)]
    assert messages_on(response.content.decode()) == ["The seal is suspended."]
    seal.refresh_from_db()
    assert (seal.status, seal.status_reason) == (SealStatus.SUSPENDED, "印章遗失，待查")
    assert seal.status_changed_at is not None
    [entry] = history_of(seal)
    assert (entry.transition, entry.from_state, entry.to_state, entry.actor) == (
        "suspend",
        "active",
        "suspended",
        keeper,
    )
    assert entry.comment.strip() == "印章遗失，待查" and entry.client_ip == "127.0.0.1"
    assert statuses_on(response.content.decode()) == ["Suspended · 印章遗失，待查"]
    assert "Put back in use" in response.content.decode()


def test_suspending_without_a_reason_is_refused_and_changes_nothing(client, english, seal, keeper):
    client.force_login(keeper)
    for reason in ({}, {"reason": ""}, {"reason": "   "}):
        response = client.post(status_url(seal), reason, follow=True)
        assert messages_on(response.content.decode()) == ["Give the reason."]
    seal.refresh_from_db()
    assert seal.status == SealStatus.ACTIVE and seal.status_reason == ""
    assert not history_of(seal).exists()


def test_the_custodian_reinstates_a_suspended_seal(client, english, seal, keeper):
    client.force_login(keeper)
    client.post(status_url(seal), {"reason": "送修"}, follow=True)
    client.force_login(seal.custodian)
    response = client.post(status_url(seal), {"reason": "修复完毕"}, follow=True)
    assert messages_on(response.content.decode()) == ["The seal is in use again."]
    seal.refresh_from_db()
    assert (seal.status, seal.status_reason) == (SealStatus.ACTIVE, "修复完毕")
    assert [(e.transition, e.to_state, e.actor) for e in history_of(seal)] == [
        ("suspend", "suspended", keeper),
        ("reinstate", "active", seal.custodian),
    ]


def test_reinstating_while_another_seal_of_the_department_is_in_use_is_refused(
    client, english, department, seal, keeper
):
    client.force_login(keeper)
    client.post(status_url(seal), {"reason": "遗失"}, follow=True)
    replacement = make_seal(department)
    assert replacement.status == SealStatus.ACTIVE
    response = client.post(status_url(seal), {"reason": "找到了"}, follow=True)
    [message] = messages_on(response.content.decode())
    assert "Another seal of this department is in use" in message
    seal.refresh_from_db()
    assert (seal.status, seal.status_reason) == (SealStatus.SUSPENDED, "遗失")
    assert [e.transition for e in history_of(seal)] == ["suspend"]
    assert Seal.objects.get(pk=replacement.pk).status == SealStatus.ACTIVE

    # Suspend the replacement first: then the old seal may come back.
    client.post(status_url(replacement), {"reason": "旧章找回"})
    client.post(status_url(seal), {"reason": "找到了"})
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.ACTIVE


def test_the_use_log_shows_each_use_after_an_issue(client, english, centre, keeper):
    filing = ready_filing(centre=centre, departments=2)
    seals = list(Seal.objects.filter(department__centre=centre).order_by("pk"))
    issuer = make_staff(Role.ISSUER, centre=centre)
    client.force_login(keeper)
    assert "This seal has not been used." in registry(client, seal=seals[0].pk)

    documents = issue(filing, issuer=issuer, keeper=keeper)
    for seal in seals:
        [document] = [d for d in documents if d.seal_id == seal.pk]
        page = registry(client, seal=seal.pk)
        assert f"Uses of {seal.name}" in page
        uses = re.search(r'<table class="table" data-testid="seal-uses">.*?</table>', page, re.S).group(0)
        assert f"{document.title} {document.number}（{filing.number}）" in uses
        assert str(issuer) in uses and str(keeper) in uses
        [other] = [d for d in documents if d.seal_id != seal.pk]
        assert other.title not in uses  # the other department's certificate, sealed with its own seal


def test_the_use_log_reads_a_constant_number_of_queries(client, centre, keeper):
    filing = ready_filing(centre=centre)
    seal = Seal.objects.get(department__centre=centre)
    client.force_login(keeper)
    issue(filing, keeper=keeper)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(REGISTRY), {"seal": seal.pk}).status_code == 200
        return len(captured)

    one = queries()
    # Two more filings of the same department: the same seal, two more uses.
    for _ in range(2):
        item = certificate_item(seal.department)
        issue(decide_all(accept_filing(make_filing(items=[item], centre=centre))), keeper=keeper)
    assert seal.uses.count() == 3
    assert queries() == one


def test_a_registered_seals_impression_cannot_be_changed_in_the_admin(rf):
    from django.contrib.admin.sites import site

    seal_admin = site._registry[Seal]
    request = rf.get("/admin/")
    assert "image" not in seal_admin.get_readonly_fields(request, None)  # registering a new seal
    seal = make_seal(DepartmentFactory())
    # Documents rendered after a change would show a seal nobody confirmed: a new impression is a
    # new seal.
    assert {"image", "department"} <= set(seal_admin.get_readonly_fields(request, seal))
