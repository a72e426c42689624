"""An online filing is opened from a citizen's account only: a staff account with an identity number
(a clerk filing for themselves) is refused by the service, not only by the API."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.cases.models import Filing
from tests.factories import make_staff
from tests.factories.cases import PERSON, make_item, online_filing

pytestmark = pytest.mark.django_db


def test_a_staff_account_does_not_file_online():
    item = make_item()
    centre = item.lineage.centre
    clerk = make_staff(Role.CLERK, centre=centre, id_number=PERSON.id_number, full_name=PERSON.name)
    with pytest.raises(PermissionDenied):
        online_filing(citizen=clerk, centre=centre, items=[item])
    assert not Filing.objects.exists()
    assign_role(user=clerk, role=Role.CITIZEN)  # a citizen's account as well: files online as any citizen
    citizen = User.objects.get(pk=clerk.pk)  # permissions are read once per user object
    assert online_filing(citizen=citizen, centre=centre, items=[item]).citizen == citizen
