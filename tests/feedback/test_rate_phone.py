"""Ratings taken by the 12345 hotline, entered by a supervisor with the caller's details: the caller on
one of the filing's own numbers is the applicant (their one rating per act); another caller rates as
themselves. Only a supervisor of the filing's centre (or of the act's department there) enters them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason, RectificationTicket
from apps.feedback.models.ratings import APPLICANT, caller_key
from apps.feedback.services import rate, rate_by_phone
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import PERSON
from tests.factories.feedback import visited_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]


@pytest.fixture
def filing():
    return visited_filing()


@pytest.fixture
def supervisor(filing):
    return make_staff(Role.SUPERVISOR, centre=filing.centre)


def call(filing, actor, *, phone="13900002222", name="王先生", level=Level.SATISFIED, reason="", **kw):
    return rate_by_phone(
        filing_id=filing.pk,
        act=kw.pop("act", ActKind.WINDOW_VISIT),
        level=level,
        reason=reason,
        comment=kw.pop("comment", "来电评价"),
        caller_name=name,
        caller_phone=phone,
        actor=actor,
        **kw,
    )


def test_a_caller_on_the_applicants_number_changes_the_applicants_rating(filing, supervisor):
    first = rate(filing_id=filing.pk, act=ActKind.WINDOW_VISIT, level=Level.SATISFIED, channel=Channel.QR)
    rating = call(
        filing, supervisor, phone=f"+86 {PERSON.phone}", name=PERSON.name, level=Level.VERY_SATISFIED
    )
    assert rating.pk == first.pk
    assert (rating.rater_key, rating.channel, rating.level) == (APPLICANT, Channel.PHONE, "1")
    assert (rating.caller_name, rating.caller_phone, rating.entered_by) == (
        PERSON.name,
        PERSON.phone,
        supervisor,
    )
    assert Rating.objects.count() == 1
    step = history_of(filing).get(transition="rating_changed")
    assert (step.actor, step.context["channel"]) == (supervisor, "phone")


def test_another_caller_rates_as_themselves(filing, supervisor):
    rate(filing_id=filing.pk, act=ActKind.WINDOW_VISIT, level=Level.SATISFIED, channel=Channel.QR)
    rating = call(filing, supervisor, phone="139-0000-2222", level=Level.DISSATISFIED, reason=Reason.ATTITUDE)
    assert rating.rater_key == caller_key("13900002222")
    assert Rating.objects.filter(filing=filing).count() == 2
    assert RectificationTicket.objects.filter(rating=rating).count() == 1  # a bad call opens a ticket too
    # The same caller again: their rating changes.
    assert call(filing, supervisor, phone="13900002222", level=Level.SATISFIED).pk == rating.pk


def test_the_callers_name_and_phone_are_required(filing, supervisor):
    with pytest.raises(ValidationError) as refused:
        call(filing, supervisor, phone="12", name=" ")
    assert set(refused.value.message_dict) == {"caller_name", "caller_phone"}


def test_a_bad_rating_by_phone_needs_a_reason(filing, supervisor):
    with pytest.raises(ValidationError) as refused:
        call(filing, supervisor, level=Level.VERY_DISSATISFIED)
    assert list(refused.value.message_dict) == ["reason"]


def test_a_supervisor_of_the_acts_department_enters_it(filing):
    department = filing.items.first().item.department
    assert call(filing, make_staff(Role.SUPERVISOR, centre=filing.centre, department=department))


def test_a_supervisor_of_another_department_or_centre_does_not_see_the_filing(filing):
    for supervisor in (
        make_staff(Role.SUPERVISOR, centre=filing.centre, department=DepartmentFactory(centre=filing.centre)),
        make_staff(Role.SUPERVISOR),
    ):
        with pytest.raises(Http404):
            call(filing, supervisor)
    assert not Rating.objects.exists()


@pytest.mark.parametrize("role", [Role.CLERK, Role.APPROVER, Role.ISSUER])
def test_other_staff_do_not_enter_12345_ratings(filing, role):
    with pytest.raises(PermissionDenied):
        call(filing, make_staff(role, centre=filing.centre))
