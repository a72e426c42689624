"""Roles are per centre at the supervision desk (督办): a supervisor sees and acts on the escalations
of the department or centre where they hold the role, and nowhere else — not at another centre, not
in another department, not at a centre where the same user holds another role."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.cases.escalations import escalations_visible_to
from apps.cases.models import Escalation
from apps.cases.sweeps import run_all
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, make_case

pytestmark = pytest.mark.django_db
ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # Thursday 10:00 in Shanghai; a 1-day limit is due 9/28


@pytest.fixture
def hall():
    """An overdue case, escalated to its department, at the city and at the county."""
    city, county = ServiceCentreFactory(name="市中心"), ServiceCentreFactory(name="区中心")
    city_dept, other_city_dept = DepartmentFactory(centre=city), DepartmentFactory(centre=city)
    county_dept = DepartmentFactory(centre=county)
    with time_machine.travel(ACCEPTED, tick=False):
        city_case = make_case(department=city_dept, promised_limit_days=1, name="市级逾期事项")
        county_case = make_case(department=county_dept, promised_limit_days=1, name="区级逾期事项")
    with time_machine.travel(dt.datetime(2026, 9, 29, 1, 0), tick=False):
        run_all()
    return SimpleNamespace(
        city=city,
        county=county,
        city_dept=city_dept,
        other_city_dept=other_city_dept,
        county_dept=county_dept,
        city_case=city_case,
        county_case=county_case,
        city_escalation=Escalation.objects.get(case=city_case),
        county_escalation=Escalation.objects.get(case=county_case),
    )


def act(client, escalation, action, note="已督促"):
    return client.post(reverse("desks:supervision_act", args=[escalation.pk, action]), {"note": note})


def desk(client) -> str:
    response = client.get(reverse("desks:supervision"))
    assert response.status_code == 200
    return response.content.decode()


def untouched(escalation) -> bool:
    escalation.refresh_from_db()
    return escalation.acknowledged_at is None and escalation.resolved_at is None


def test_a_supervisor_of_another_centre_neither_sees_nor_acts_on_the_escalation(client, hall):
    client.force_login(make_staff(Role.SUPERVISOR, centre=hall.county))
    page = desk(client)
    assert hall.county_case.filing.number in page
    assert hall.city_case.filing.number not in page
    for action in ("acknowledge", "resolve"):
        assert act(client, hall.city_escalation, action).status_code == 404, action
    assert untouched(hall.city_escalation)


def test_a_supervisor_of_another_department_of_the_same_centre_neither_sees_nor_acts(client, hall):
    client.force_login(make_staff(Role.SUPERVISOR, centre=hall.city, department=hall.other_city_dept))
    assert hall.city_case.filing.number not in desk(client)
    for action in ("acknowledge", "resolve"):
        assert act(client, hall.city_escalation, action).status_code == 404, action
    assert untouched(hall.city_escalation)


def test_the_departments_and_the_centres_supervisors_act_on_it(client, hall):
    department_supervisor = make_staff(Role.SUPERVISOR, centre=hall.city, department=hall.city_dept)
    client.force_login(department_supervisor)
    assert hall.city_case.filing.number in desk(client)
    act(client, hall.city_escalation, "acknowledge", "已督促承办人")
    hall.city_escalation.refresh_from_db()
    assert hall.city_escalation.acknowledged_by == department_supervisor
    centre_supervisor = make_staff(Role.SUPERVISOR, centre=hall.city)
    client.force_login(centre_supervisor)
    act(client, hall.city_escalation, "resolve", "已办结")
    hall.city_escalation.refresh_from_db()
    assert hall.city_escalation.resolved_by == centre_supervisor


def test_a_user_with_roles_at_two_centres_supervises_only_where_they_are_a_supervisor(client, hall):
    """Supervisor at the county, clerk at the city: the city's escalations are not theirs."""
    user = make_staff(Role.SUPERVISOR, centre=hall.county)
    assign_role(user=user, role=Role.CLERK, centre=hall.city)
    client.force_login(user)
    page = desk(client)
    assert hall.city_case.filing.number not in page
    assert act(client, hall.city_escalation, "acknowledge").status_code == 404
    assert untouched(hall.city_escalation)
    act(client, hall.county_escalation, "acknowledge", "区里督促")
    hall.county_escalation.refresh_from_db()
    assert (hall.county_escalation.acknowledged_by, hall.county_escalation.acknowledgement) == (
        user,
        "区里督促",
    )
    assert set(escalations_visible_to(user)) == {hall.county_escalation}


def test_a_user_supervising_a_department_at_one_centre_and_a_whole_other_centre_sees_both_only(hall):
    user = make_staff(Role.SUPERVISOR, centre=hall.city, department=hall.other_city_dept)
    assign_role(user=user, role=Role.SUPERVISOR, centre=hall.county)
    assert set(escalations_visible_to(user)) == {hall.county_escalation}
    assign_role(user=user, role=Role.SUPERVISOR, centre=hall.city, department=hall.city_dept)
    assert set(escalations_visible_to(user)) == {hall.county_escalation, hall.city_escalation}


def test_staff_without_the_supervisor_role_are_refused_and_visitors_sent_to_log_in(client, hall):
    for role, where in (
        (Role.CLERK, {"centre": hall.city}),
        (Role.APPROVER, {"department": hall.city_dept}),
        (Role.CATALOGUE_ADMIN, {"centre": hall.city}),
    ):
        client.force_login(make_staff(role, **where))
        assert client.get(reverse("desks:supervision")).status_code == 403, role
        assert act(client, hall.city_escalation, "acknowledge").status_code == 403, role
    client.logout()
    response = act(client, hall.city_escalation, "acknowledge")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert untouched(hall.city_escalation)


def test_the_desk_shows_no_applicant_identity(client, hall):
    client.force_login(make_staff(Role.SUPERVISOR, centre=hall.city))
    page = desk(client)
    assert hall.city_case.filing.number in page
    assert PERSON.id_number not in page and PERSON.id_number[-6:] not in page
    assert PERSON.name not in page


def test_the_escalation_services_refuse_a_supervisor_of_another_centre_whatever_calls_them(hall):
    from django.core.exceptions import PermissionDenied

    from apps.cases.review import services as review

    elsewhere = make_staff(Role.SUPERVISOR, centre=hall.county)
    with pytest.raises(PermissionDenied):
        review.acknowledge_escalation(escalation_id=hall.city_escalation.pk, actor=elsewhere, note="越权")
    with pytest.raises(PermissionDenied):
        review.resolve_escalation(escalation_id=hall.city_escalation.pk, actor=elsewhere, resolution="越权")
    assert untouched(hall.city_escalation)
    here = make_staff(Role.SUPERVISOR, centre=hall.city)
    review.acknowledge_escalation(escalation_id=hall.city_escalation.pk, actor=here, note="已督促")
    assert not untouched(hall.city_escalation)
