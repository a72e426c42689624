"""Four eyes on the catalogue (四眼原则): whoever submitted a version for review does not publish it,
unless an admin turned the rule off for a one-person office (``ServiceCentre.four_eyes_publishing``).
The rule is the publish transition's permission, so the admin's button, the API and the service agree;
every publish logs which rule applied."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.catalogue import services
from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models import ServiceItem
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def submitter(department):
    return make_staff(Role.CATALOGUE_ADMIN, centre=department.centre)


@pytest.fixture
def reviewer(department):
    return make_staff(Role.CATALOGUE_ADMIN, centre=department.centre)


@pytest.fixture
def in_review(department, submitter):
    item = make_item(publish_it=False, department=department, actor=submitter)
    services.submit_for_review(item_id=item.pk, actor=submitter)
    return item


def _publish_entry(item) -> TransitionLog:
    return TransitionLog.objects.get(object_id=str(item.pk), transition="publish")


def test_the_submitter_cannot_publish_and_a_second_admin_can(in_review, submitter, reviewer):
    with pytest.raises(PermissionDenied) as exc:
        services.publish(item_id=in_review.pk, actor=submitter)
    assert "Four eyes" in str(exc.value) or "四眼" in str(exc.value)
    assert ServiceItem.objects.get(pk=in_review.pk).state == ItemState.IN_REVIEW
    published = services.publish(item_id=in_review.pk, actor=reviewer)
    assert (published.state, published.published_by) == (ItemState.PUBLISHED, reviewer)
    entry = _publish_entry(in_review)
    assert entry.context["publish_rule"] == "four_eyes"
    assert entry.context["submitted_by"] == submitter.pk


def test_a_one_person_office_may_publish_what_it_submitted_and_the_log_says_so(
    department, in_review, submitter
):
    centre = department.centre
    centre.four_eyes_publishing = False
    centre.save()
    services.publish(item_id=in_review.pk, actor=submitter)
    assert _publish_entry(in_review).context["publish_rule"] == "one_person_office"


def test_a_new_centre_requires_four_eyes(department):
    assert department.centre.four_eyes_publishing is True


def test_the_base_catalogue_always_requires_four_eyes(department):
    department.centre.four_eyes_publishing = False
    department.centre.save()
    superuser = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre, is_superuser=True)
    base = make_item(kind=ItemKind.BASE, publish_it=False, actor=superuser)
    services.submit_for_review(item_id=base.pk, actor=superuser)
    with pytest.raises(PermissionDenied):
        services.publish(item_id=base.pk, actor=superuser)


def test_the_admin_offers_publish_to_the_second_admin_only(client, in_review, submitter, reviewer):
    url = reverse("admin:catalogue_item_transition", args=[in_review.pk, "publish"])
    page = reverse("admin:catalogue_serviceitem_change", args=[in_review.pk])
    client.force_login(submitter)
    assert url not in client.get(page).content.decode()
    client.force_login(reviewer)
    assert url in client.get(page).content.decode()
    client.post(url)
    assert ServiceItem.objects.get(pk=in_review.pk).state == ItemState.PUBLISHED


def test_the_admins_publish_selected_leaves_a_refused_draft_a_draft(client, department, submitter):
    draft = make_item(publish_it=False, department=department, actor=submitter)
    client.force_login(submitter)
    client.post(
        reverse("admin:catalogue_serviceitem_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert ServiceItem.objects.get(pk=draft.pk).state == ItemState.DRAFT


def test_the_api_refuses_the_submitter(client, in_review, submitter, reviewer):
    url = reverse("catalogue-item-publish", args=[in_review.pk])
    client.force_login(submitter)
    assert client.post(url, content_type="application/json").status_code == 403
    client.force_login(reviewer)
    assert client.post(url, content_type="application/json").json()["state"] == ItemState.PUBLISHED
