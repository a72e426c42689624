"""The logs of logins are part of the audit trail: a superuser reads them in the admin and can neither
change nor delete them there."""

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", [AccessFailureLog, AccessLog])
def test_a_superuser_reads_the_login_logs_but_cannot_delete_or_change_them(superuser_client, model):
    entry = model.objects.create(username="zhang", ip_address="192.0.2.5", user_agent="x", path_info="/")
    name = model._meta.model_name
    listing = superuser_client.get(reverse(f"admin:axes_{name}_changelist"))
    assert listing.status_code == 200 and "192.0.2.5" in listing.content.decode()
    assert superuser_client.get(reverse(f"admin:axes_{name}_delete", args=[entry.pk])).status_code == 403
    superuser_client.post(reverse(f"admin:axes_{name}_change", args=[entry.pk]), {"username": "li"})
    superuser_client.post(
        reverse(f"admin:axes_{name}_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    entry.refresh_from_db()
    assert entry.username == "zhang"
