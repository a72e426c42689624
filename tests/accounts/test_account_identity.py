"""An account's identity number is kept as the card prints it, so a citizen who typed a lower-case x
still files online in their own name."""

import dataclasses

import pytest

from apps.accounts.roles import Role
from tests.factories import make_staff
from tests.factories.cases import PERSON, make_item, online_filing

pytestmark = pytest.mark.django_db


def test_an_identity_typed_with_a_lower_case_x_is_stored_upper_case():
    citizen = make_staff(Role.CITIZEN, id_number=" 11010519491231002x ", full_name=PERSON.name)
    citizen.refresh_from_db()
    assert citizen.id_number == "11010519491231002X"


def test_a_citizen_who_typed_a_lower_case_x_files_in_their_own_name():
    item = make_item()
    centre = item.lineage.centre
    citizen = make_staff(Role.CITIZEN, id_number="11010519491231002x", full_name=PERSON.name)
    applicant = dataclasses.replace(PERSON, id_number="11010519491231002x")
    filing = online_filing(citizen=citizen, centre=centre, items=[item], applicant=applicant)
    assert (filing.applicant_id_number, filing.citizen_id) == ("11010519491231002X", citizen.pk)
