"""Ratings in the admin are read-mostly: ratings and tickets are looked at, never added, changed or
deleted there; a pad may be renamed, never added or deleted, and its key's hash is not shown."""

import pytest
from django.urls import reverse

from apps.feedback.models import EvaluationPad
from tests.factories import UserFactory
from tests.factories.feedback import pad, rating, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_ratings_and_tickets_are_read_only(admin_client):
    opened = ticket(rating(level="4"))
    for model, obj in (("rating", opened.rating), ("rectificationticket", opened)):
        assert admin_client.get(reverse(f"admin:feedback_{model}_changelist")).status_code == 200
        page = admin_client.get(reverse(f"admin:feedback_{model}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert b'name="_save"' not in page.content  # nothing to save: a view only
        assert admin_client.get(reverse(f"admin:feedback_{model}_add")).status_code == 403
        assert admin_client.post(reverse(f"admin:feedback_{model}_delete", args=[obj.pk])).status_code == 403


def test_a_pad_may_be_renamed_only(admin_client):
    tablet = pad(key_hash="f" * 64)
    url = reverse("admin:feedback_evaluationpad_change", args=[tablet.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"f" * 64 not in page.content
    assert admin_client.post(url, {"name": "一号窗评价器"}).status_code == 302
    tablet.refresh_from_db()
    assert (tablet.name, tablet.key_hash) == ("一号窗评价器", "f" * 64)
    assert admin_client.get(reverse("admin:feedback_evaluationpad_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:feedback_evaluationpad_delete", args=[tablet.pk])).status_code == 403
    )
    assert EvaluationPad.objects.filter(pk=tablet.pk).exists()
