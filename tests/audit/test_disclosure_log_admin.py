"""Lookups in the disclosure log: an auditor finds who looked a person up by their whole identity
number; the list shows it masked."""

import pytest
from django.urls import reverse

from apps.audit.services import record_lookup
from tests.factories import UserFactory, make_staff
from tests.factories.cases import PERSON

pytestmark = pytest.mark.django_db
MASKED = "110105********002X"


def test_an_auditor_finds_the_lookups_of_a_person_by_their_whole_number(client):
    clerk = make_staff("clerk")
    record_lookup(what="holder_certificates", purpose="intake", viewer=clerk, looked_up=PERSON.id_number)
    record_lookup(what="holder_certificates", purpose="intake", viewer=clerk, looked_up="91350100M000100Y43")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:audit_disclosurelog_changelist")
    page = client.get(changelist, {"q": PERSON.id_number}).content.decode()
    assert f'<td class="field-looked_up_masked">{MASKED}</td>' in page  # shown masked
    assert "913501" not in page  # the other lookup is not listed
    fragment = client.get(changelist, {"q": PERSON.id_number[:10]}).content.decode()
    assert MASKED not in fragment  # a fragment of a number finds nobody
