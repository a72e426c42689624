"""The calendar's services refuse a person who may not make the change, whoever calls them (the admin
today): a centre's closures and warning policy are its catalogue admins', a national year any catalogue
admin's; supervisors only read the calendar. ``actor=None`` is the hall itself (commands, seeds)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.roles import Role
from apps.worktime import services
from apps.worktime.models import CalendarDay, CalendarYear, WarningPolicy
from apps.worktime.services import HolidayRange
from tests.factories import ServiceCentreFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def hall():
    city, county = ServiceCentreFactory(), ServiceCentreFactory()
    return {
        "city": city,
        "county": county,
        "city_admin": make_staff(Role.CATALOGUE_ADMIN, centre=city),
        "county_admin": make_staff(Role.CATALOGUE_ADMIN, centre=county),
        "city_supervisor": make_staff(Role.SUPERVISOR, centre=city),
        "superuser": UserFactory(is_superuser=True),
    }


JUNE_3 = D(2026, 6, 3)


def close(centre, actor, day=JUNE_3):
    return services.add_closure(centre=centre, first=day, last=day, name="搬迁闭厅", actor=actor)


def test_a_closure_is_added_by_a_catalogue_admin_of_that_centre_only(hall):
    with pytest.raises(PermissionDenied):
        close(hall["city"], hall["county_admin"])
    with pytest.raises(PermissionDenied):
        close(hall["city"], hall["city_supervisor"])
    assert not CalendarDay.objects.filter(centre=hall["city"]).exists()
    close(hall["city"], hall["city_admin"])
    close(hall["county"], hall["superuser"])
    close(hall["county"], None, day=D(2026, 6, 4))  # the hall itself
    assert CalendarDay.objects.filter(source="local").count() == 3


def test_a_closure_is_removed_by_a_catalogue_admin_of_its_centre_only(hall):
    [closure] = close(hall["city"], None)
    with pytest.raises(PermissionDenied):
        services.remove_days(days=[closure], actor=hall["county_admin"])
    assert CalendarDay.objects.filter(pk=closure.pk).exists()
    services.remove_days(days=[closure], actor=hall["city_admin"])
    assert not CalendarDay.objects.filter(pk=closure.pk).exists()


def test_statutory_days_are_not_removed_by_a_person(hall):
    statutory = list(CalendarDay.objects.filter(source="statutory")[:1])
    assert statutory, "the migrations seed the statutory calendar"
    with pytest.raises(PermissionDenied):
        services.remove_days(days=statutory, actor=hall["superuser"])
    assert CalendarDay.objects.filter(pk=statutory[0].pk).exists()


def test_a_warning_policy_is_set_by_a_catalogue_admin_of_that_centre_only(hall):
    with pytest.raises(PermissionDenied):
        services.set_warning_policy(
            centre=hall["city"], yellow_working_days=3, red_working_days=1, actor=hall["county_admin"]
        )
    assert not WarningPolicy.objects.filter(centre=hall["city"]).exists()
    services.set_warning_policy(
        centre=hall["city"], yellow_working_days=3, red_working_days=1, actor=hall["city_admin"]
    )
    assert WarningPolicy.objects.filter(centre=hall["city"]).exists()


def test_a_national_year_is_entered_by_a_catalogue_admin_not_a_supervisor(hall):
    def enter(actor):
        return services.enter_year(
            year=2040, holidays=[HolidayRange("元旦", D(2040, 1, 1), D(2040, 1, 1))], workdays=[], actor=actor
        )

    with pytest.raises(PermissionDenied):
        enter(hall["city_supervisor"])
    assert not CalendarYear.objects.filter(year=2040).exists()
    enter(hall["county_admin"])  # the State Council's dates: any catalogue admin enters them
    assert CalendarYear.objects.filter(year=2040).exists()
