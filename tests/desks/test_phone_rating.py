"""The supervision desk's 12345 page: a supervisor finds a filing of their centre by its number and
enters the rating a caller gave the hotline (channel phone, ``feedback.services.rate_by_phone``);
refusals are shown on the fields they concern; another centre's filing is not found; staff never
rate their own work, even through a caller's phone."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason, RectificationTicket
from apps.feedback.models.ratings import APPLICANT, caller_key
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, comprehensive_window
from tests.factories.feedback import rating, visited_filing

pytestmark = pytest.mark.django_db

URL = "/supervision/phone-ratings/"


@pytest.fixture
def english(client):
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        yield client


@pytest.fixture
def visit():
    """A filing accepted at a window by a clerk with a phone on file, and a supervisor of its centre."""
    centre = ServiceCentreFactory()
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window, phone="13600001234")
    filing = visited_filing(centre=centre, window=window, clerk=clerk)
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)
    return filing, clerk, supervisor


def entry(**fields) -> dict:
    return {
        "act": ActKind.WINDOW_VISIT,
        "caller_name": "张三",
        "caller_phone": PERSON.phone,
        "level": Level.SATISFIED,
        "reason": "",
        "comment": "",
        **fields,
    }


def post(client, filing, **fields):
    return client.post(URL, {"number": filing.number, **entry(**fields)})


def test_the_page_is_routed_as_the_plan_names_it_and_is_a_section_of_the_desk(english, visit):
    filing, _clerk, supervisor = visit
    assert reverse("desks:phone_rating") == URL
    english.force_login(supervisor)
    page = english.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in page
    assert 'data-testid="phone-rating-form"' not in page  # nothing to rate before a filing is found


def test_a_supervisor_finds_the_filing_and_enters_the_applicants_rating_by_phone(english, visit):
    filing, clerk, supervisor = visit
    english.force_login(supervisor)
    page = english.get(URL, {"number": filing.number.lower()}).content.decode()
    assert 'data-testid="act-window_visit"' in page and "Not rated" in page
    assert "张*" in page and "张三" not in page and PERSON.phone not in page  # no more than masked
    response = post(english, filing, caller_phone="138 1234 3210", comment="窗口很耐心")
    assert response.status_code == 302
    [given] = Rating.objects.all()
    assert (given.channel, given.rater_key, given.level, given.entered_by, given.staff) == (
        Channel.PHONE,
        APPLICANT,
        Level.SATISFIED,
        supervisor,
        clerk,
    )
    assert (given.caller_name, given.caller_phone, given.comment) == ("张三", PERSON.phone, "窗口很耐心")
    page = english.get(response.url).content.decode()
    assert f"12345 rating entered for filing {filing.number}" in page
    assert "Satisfied" in page and "Phone (12345)" in page  # the applicant's rating, shown on the row


def test_another_caller_rates_as_themselves_and_a_bad_rating_opens_a_ticket(english, visit):
    filing, _clerk, supervisor = visit
    applicants = rating(filing, level=Level.VERY_SATISFIED)
    english.force_login(supervisor)
    response = post(
        english, filing, caller_phone="13700007777", level=Level.DISSATISFIED, reason=Reason.WAITING
    )
    assert response.status_code == 302
    caller = Rating.objects.exclude(pk=applicants.pk).get()
    assert (caller.rater_key, caller.level) == (caller_key("13700007777"), Level.DISSATISFIED)
    applicants.refresh_from_db()
    assert applicants.level == Level.VERY_SATISFIED
    assert RectificationTicket.objects.filter(rating=caller).exists()


def test_a_bad_rating_without_a_reason_is_refused_on_the_reason_field(english, visit):
    filing, _clerk, supervisor = visit
    english.force_login(supervisor)
    response = post(english, filing, level=Level.VERY_DISSATISFIED)
    assert response.status_code == 400
    page = response.content.decode()
    reason = page.split('data-testid="field-reason"')[1].split('data-testid="field-comment"')[0]
    assert "Choose the reason" in reason
    assert not Rating.objects.exists()


def test_the_callers_name_and_phone_are_required_on_their_fields(english, visit):
    filing, _clerk, supervisor = visit
    english.force_login(supervisor)
    response = post(english, filing, caller_name=" ", caller_phone="12")
    assert response.status_code == 400
    page = response.content.decode()
    name = page.split('data-testid="field-caller_name"')[1].split('data-testid="field-caller_phone"')[0]
    phone = page.split('data-testid="field-caller_phone"')[1].split('data-testid="field-level"')[0]
    assert "Enter the caller&#x27;s name." in name
    assert "Enter the caller&#x27;s phone number." in phone
    assert not Rating.objects.exists()


def test_staff_never_rate_their_own_work_by_phone(english, visit):
    filing, clerk, supervisor = visit
    english.force_login(supervisor)
    # The clerk calls 12345 from their own phone about their own window visit.
    response = post(english, filing, caller_name="自己", caller_phone=clerk.phone)
    assert response.status_code == 400
    assert "Staff may not rate their own work." in response.content.decode()
    # A supervisor who took the acceptance themselves (a clerk at the window too) cannot enter it.
    both = make_staff(Role.CLERK, centre=filing.centre, window=filing.window)
    own = visited_filing(centre=filing.centre, window=filing.window, clerk=both)
    assign_role(user=both, role=Role.SUPERVISOR, centre=filing.centre)
    english.force_login(both)
    response = post(english, own, caller_phone="13700007777")
    assert response.status_code == 400
    assert "Staff may not rate their own work." in response.content.decode()
    assert not Rating.objects.exists()


def test_another_centres_filing_is_not_found_and_nothing_is_entered(english, visit):
    filing, _clerk, _supervisor = visit
    elsewhere = make_staff(Role.SUPERVISOR, centre=ServiceCentreFactory())
    other_department = make_staff(
        Role.SUPERVISOR, centre=filing.centre, department=DepartmentFactory(centre=filing.centre)
    )
    for supervisor in (elsewhere, other_department):
        english.force_login(supervisor)
        page = english.get(URL, {"number": filing.number}).content.decode()
        assert 'data-testid="phone-not-found"' in page and 'data-testid="phone-filing"' not in page
        assert post(english, filing).status_code == 302
    assert not Rating.objects.exists()


def test_a_department_supervisor_enters_ratings_of_their_departments_filings(english, visit):
    filing, _clerk, _supervisor = visit
    department = filing.items.get().item.department
    supervisor = make_staff(Role.SUPERVISOR, centre=filing.centre, department=department)
    english.force_login(supervisor)
    assert 'data-testid="phone-filing"' in english.get(URL, {"number": filing.number}).content.decode()
    assert post(english, filing).status_code == 302
    assert Rating.objects.get().entered_by == supervisor


def test_only_supervisors_open_the_page(client, visit):
    filing, clerk, _supervisor = visit
    client.force_login(clerk)
    assert client.get(URL, {"number": filing.number}).status_code == 403
    assert post(client, filing).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page
    assert not Rating.objects.exists()
