"""Actions that change no state graph are in the transition log too, with who, when and from which
address: password changes, catalogue edits (admin and API), and each step a supervisor takes."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.cases.models import Escalation
from apps.cases.sweeps import run_all
from apps.catalogue.models import Bundle, ServiceItem
from tests.factories import DepartmentFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import make_case
from tests.factories.catalogue import admin_item_form, make_item

pytestmark = pytest.mark.django_db
HERE = "192.0.2.41"
NOON = dt.datetime(2026, 9, 29, 4, 0, tzinfo=dt.UTC)


def entries(subject, event=None):
    found = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    )
    return list(found.filter(transition=event) if event else found)


# --- password changes -------------------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_a_password_change_is_logged_with_who_when_and_where(client):
    user = make_staff(Role.CLERK)
    before = entries(user)  # making the clerk logged the role assignment
    client.force_login(user)
    change = reverse("accounts:password_change")
    refused = {"old_password": "not-it", "new_password1": "Mixed#Case2027", "new_password2": "Mixed#Case2027"}
    assert client.post(change, refused, REMOTE_ADDR=HERE).status_code == 200
    assert entries(user) == before  # nothing changed, nothing logged
    done = {"old_password": PASSWORD, "new_password1": "Mixed#Case2027", "new_password2": "Mixed#Case2027"}
    assert client.post(change, done, REMOTE_ADDR=HERE).status_code == 302
    [entry] = [logged for logged in entries(user) if logged not in before]
    assert (entry.transition, entry.actor, entry.client_ip, entry.at) == (
        "password_changed",
        user,
        HERE,
        NOON,
    )
    assert "Mixed#Case2027" not in str(entry.context) + entry.comment


@time_machine.travel(NOON, tick=False)
def test_an_administrator_setting_a_password_is_logged_with_who_set_it(admin_client, admin_user):
    clerk = make_staff(Role.CLERK)
    before = entries(clerk)  # making the clerk logged the role assignment
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    body = {"password1": "Mixed#Case2027", "password2": "Mixed#Case2027", "usable_password": "true"}
    assert admin_client.post(url, body, REMOTE_ADDR=HERE).status_code == 302
    [entry] = [logged for logged in entries(clerk) if logged not in before]
    assert (entry.transition, entry.actor, entry.client_ip) == ("password_set_by_admin", admin_user, HERE)


# --- catalogue edits ----------------------------------------------------------------------------------


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def catalogue_admin(client, department):
    user = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre)
    client.force_login(user)
    return user


def admin_form(department) -> dict:
    return admin_item_form(department=department)


def test_a_draft_added_and_edited_in_the_admin_is_logged(client, catalogue_admin, department):
    form = admin_form(department)
    assert client.post(reverse("admin:catalogue_serviceitem_add"), form, REMOTE_ADDR=HERE).status_code == 302
    item = ServiceItem.objects.get(name="后台新增事项")
    [created] = entries(item, "draft_created")
    assert (created.actor, created.client_ip, created.context["code"]) == (
        catalogue_admin,
        HERE,
        item.lineage.code,
    )

    form.update(name="后台改名事项", promised_limit_days=8, implementation_code=item.implementation_code)
    change = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = client.post(change, form, REMOTE_ADDR="192.0.2.42")
    assert response.status_code == 302, [str(e) for e in response.context["errors"]]
    [edited] = entries(item, "draft_edited")
    assert (edited.actor, edited.client_ip) == (catalogue_admin, "192.0.2.42")
    assert edited.context["changed"] == ["name", "promised_limit_days"]
    assert (edited.from_state, edited.to_state) == ("draft", "draft")


def test_a_new_version_started_in_the_admin_is_logged(client, catalogue_admin, department):
    item = make_item(department=department)
    client.post(reverse("admin:catalogue_item_new_version", args=[item.pk]), REMOTE_ADDR=HERE)
    draft = ServiceItem.objects.get(lineage=item.lineage, version=2)
    [started] = entries(draft, "version_started")
    assert (started.actor, started.client_ip, started.context["from_version"]) == (catalogue_admin, HERE, 1)


def test_catalogue_edits_through_the_api_are_logged(client, catalogue_admin, department):
    draft = make_item(department=department, publish_it=False)
    response = client.patch(
        reverse("catalogue-item-detail", args=[draft.pk]),
        {"conditions": "新的条件。"},
        content_type="application/json",
        REMOTE_ADDR=HERE,
    )
    assert response.status_code == 200, response.content
    [edited] = entries(draft, "draft_edited")
    assert (edited.actor, edited.client_ip, edited.context) == (
        catalogue_admin,
        HERE,
        {"changed": ["conditions"], "lists_replaced": False},
    )

    published = make_item(department=department)
    response = client.post(
        reverse("catalogue-item-new-version", args=[published.pk]),
        {"change_note": "调整材料"},
        content_type="application/json",
        REMOTE_ADDR=HERE,
    )
    assert response.status_code == 201, response.content
    [started] = entries(ServiceItem.objects.get(pk=response.json()["id"]), "version_started")
    assert (started.actor, started.client_ip, started.comment) == (catalogue_admin, HERE, "调整材料")


def test_bundle_edits_are_logged_in_the_admin_and_the_api(client, catalogue_admin, department):
    item = make_item(department=department)
    response = client.post(
        reverse("catalogue-bundle-list"),
        {
            "code": "B901",
            "name": "开办餐馆一件事",
            "centre": department.centre.pk,
            "promised_limit_days": 10,  # no less than its item's, no more than its legal limit
            "items": [item.lineage.code],
        },
        content_type="application/json",
        REMOTE_ADDR=HERE,
    )
    assert response.status_code == 201, response.content
    bundle = Bundle.objects.get(code="B901")
    [created] = entries(bundle, "bundle_created")
    assert (created.actor, created.client_ip, created.context["items"]) == (
        catalogue_admin,
        HERE,
        [item.lineage.code],
    )
    response = client.patch(
        reverse("catalogue-bundle-detail", args=["B901"]),
        {"promised_limit_days": 15},
        content_type="application/json",
        REMOTE_ADDR=HERE,
    )
    assert response.status_code == 200, response.content
    [edited] = entries(bundle, "bundle_edited")
    assert (edited.client_ip, edited.context["changed"]) == (HERE, ["promised_limit_days"])


# --- supervisors' steps -------------------------------------------------------------------------------


def test_each_step_of_a_supervisor_is_logged_with_the_address(client):
    department = DepartmentFactory()
    supervisor = make_staff(Role.SUPERVISOR, centre=department.centre, department=department)
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        case = make_case(department=department, promised_limit_days=1)
    with time_machine.travel(dt.datetime(2026, 9, 29, 1, 0), tick=False):
        run_all()
    escalation = Escalation.objects.get(case=case)
    client.force_login(supervisor)
    url = "/supervision/escalations/{}/{}/"
    client.post(url.format(escalation.pk, "acknowledge"), {"note": "已督促"}, REMOTE_ADDR=HERE)
    client.post(url.format(escalation.pk, "resolve"), {"note": "已办结"}, REMOTE_ADDR="192.0.2.43")
    steps = [
        (e.transition, e.actor, e.client_ip, e.comment)
        for e in entries(case)
        if e.transition.startswith("escalation_")
    ]
    assert steps == [
        ("escalation_acknowledged", supervisor, HERE, "已督促"),
        ("escalation_resolved", supervisor, "192.0.2.43", "已办结"),
    ]
