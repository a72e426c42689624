"""The e-certificate library by holder code (identity number or credit code) is a window clerk's tool
(免证可办 at intake): every such lookup is logged as a disclosure; a citizen sees their own
certificates; anyone else is refused."""

import pytest
from django.urls import reverse

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.audit.models import DisclosureLog
from apps.cases.models import Filing
from apps.certificates.library import PURPOSE, WHAT
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db

LIBRARY = "/api/v1/library/"
CLERKS_DESK = "192.0.2.31"
STRANGER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")
NOT_FOR_LOOKUPS = [
    Role.APPROVER,
    Role.DECISION_MAKER,
    Role.ISSUER,
    Role.SEAL_KEEPER,
    Role.SUPERVISOR,
    Role.CATALOGUE_ADMIN,
]


@pytest.fixture
def issued(centre):
    """A certificate of PERSON, issued at ``centre``."""
    [document] = issue(ready_filing(centre=centre))
    return document


def lookups():
    return list(DisclosureLog.objects.values_list("viewer", "what", "purpose", "looked_up", "client_ip"))


def test_the_library_path_is_the_apis():
    assert reverse("library") == LIBRARY


def test_a_window_clerk_looks_a_holder_up_and_each_lookup_is_logged(client, issued):
    # A clerk at another centre too: the library is the same for every window.
    clerk = make_staff(Role.CLERK, centre=ServiceCentreFactory())
    client.force_login(clerk)
    found = client.get(LIBRARY, {"holder_code": PERSON.id_number.lower()}, REMOTE_ADDR=CLERKS_DESK)
    assert found.status_code == 200
    assert [(e["number"], e["holder_code"]) for e in found.json()["results"]] == [
        (issued.number, PERSON.id_number)
    ]
    assert lookups() == [(clerk.pk, WHAT, PURPOSE, PERSON.id_number, CLERKS_DESK)]
    # A lookup that finds nothing is still a lookup of that person.
    assert client.get(LIBRARY, {"holder_code": STRANGER_ID}, REMOTE_ADDR=CLERKS_DESK).json()["results"] == []
    assert lookups()[1] == (clerk.pk, WHAT, PURPOSE, STRANGER_ID, CLERKS_DESK)
    # Without a code there is nothing to look up, and nothing to log.
    assert client.get(LIBRARY).json()["results"] == []
    assert DisclosureLog.objects.count() == 2


def test_one_row_per_lookup_request_whatever_it_finds(client, centre):
    for _ in range(3):
        issue(ready_filing(centre=centre))
    client.force_login(make_staff(Role.CLERK, centre=centre))
    first = client.get(LIBRARY, {"holder_code": PERSON.id_number}).json()
    assert first["count"] == 3
    assert DisclosureLog.objects.count() == 1
    client.get(LIBRARY, {"holder_code": PERSON.id_number})
    assert DisclosureLog.objects.count() == 2


@pytest.mark.parametrize("role", NOT_FOR_LOOKUPS)
def test_other_staff_are_refused_and_see_no_identity_number(client, issued, centre, role):
    department = DepartmentFactory(centre=centre)
    client.force_login(make_staff(role, centre=centre, department=department))
    for query in ({"holder_code": PERSON.id_number}, {}):
        response = client.get(LIBRARY, query)
        assert response.status_code == 403
        assert PERSON.id_number not in response.content.decode()
    assert DisclosureLog.objects.count() == 0


def test_a_clerk_elsewhere_keeps_the_lookup_whatever_else_they_are(client, issued, centre):
    user = make_staff(Role.ISSUER, centre=centre)
    client.force_login(user)
    assert client.get(LIBRARY, {"holder_code": PERSON.id_number}).status_code == 403
    assign_role(user=user, role=Role.CLERK, centre=ServiceCentreFactory())
    found = client.get(LIBRARY, {"holder_code": PERSON.id_number}).json()["results"]
    assert [e["number"] for e in found] == [issued.number]


def test_a_citizen_sees_their_own_certificates_only_and_nothing_is_logged(client, centre, issued):
    mine = ready_filing(centre=centre)
    citizen = make_staff(Role.CITIZEN)
    Filing.objects.filter(pk=mine.pk).update(citizen=citizen)
    [my_document] = issue(mine)
    client.force_login(citizen)
    for query in ({}, {"holder_code": PERSON.id_number}, {"holder_code": STRANGER_ID}):
        results = client.get(LIBRARY, query).json()["results"]
        assert [e["number"] for e in results] == [my_document.number]  # not ``issued``, the same holder's
    assert DisclosureLog.objects.count() == 0


def test_the_anonymous_are_refused(client, issued):
    response = client.get(LIBRARY, {"holder_code": PERSON.id_number})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert DisclosureLog.objects.count() == 0
