import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.roles import Role
from apps.worktime.models import CalendarDay, CalendarYear
from tests.factories import ServiceCentreFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_admin(client):
    client.force_login(make_staff(Role.CATALOGUE_ADMIN))
    return client


@time_machine.travel(dt.datetime(2026, 11, 21, 10, 0), tick=False)
def test_the_years_page_shows_counts_and_the_missing_year(calendar_admin):
    page = calendar_admin.get(reverse("admin:worktime_calendaryear_changelist")).content.decode()
    assert "2027年工作日历尚未录入" in page
    assert '<tr data-year="2026">' in page
    assert ">248<" in page


def test_the_year_view_shows_holidays_and_make_up_days(calendar_admin):
    page = calendar_admin.get(reverse("admin:worktime_year", args=[2026])).content.decode()
    assert "2026-10-10 国庆节调休上班" in page
    assert "2026-02-16 春节" in page
    assert "248" in page
    assert page.count('class="month"') == 12


def test_entering_a_year_in_the_admin(calendar_admin, django_capture_on_commit_callbacks):
    schedule = "元旦 放假 2027-01-01 至 2027-01-03\n春节 放假 2027-02-06 至 2027-02-13\n春节 上班 2027-02-20"
    with django_capture_on_commit_callbacks(execute=True):
        response = calendar_admin.post(
            reverse("admin:worktime_calendaryear_add"),
            {"year": 2027, "notice": "国办发明电〔2026〕X号", "schedule": schedule},
        )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).notice == "国办发明电〔2026〕X号"
    assert CalendarDay.objects.filter(date__year=2027).count() == 12


def test_a_contradictory_schedule_is_refused_in_the_admin_with_nothing_saved(calendar_admin):
    schedule = "元旦 放假 2027-01-01 至 2027-01-03\n元旦 上班 2027-01-04"  # a Monday
    response = calendar_admin.post(
        reverse("admin:worktime_calendaryear_add"), {"year": 2027, "schedule": schedule}
    )
    assert response.status_code == 200
    assert "2027-01-04" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_adding_a_local_closure_in_the_admin(client, django_capture_on_commit_callbacks):
    centre, elsewhere = ServiceCentreFactory(), ServiceCentreFactory()
    client.force_login(make_staff(Role.CATALOGUE_ADMIN, centre=centre))
    refused = client.post(  # roles are per centre: another centre's closures are not theirs
        reverse("admin:worktime_calendarday_add"),
        {"centre": elsewhere.pk, "date": "2026-12-28", "last": "", "name": "闭厅", "note": ""},
    )
    assert refused.status_code == 200 and "centre" in refused.context["adminform"].form.errors
    assert not CalendarDay.objects.filter(kind="closure").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:worktime_calendarday_add"),
            {"centre": centre.pk, "date": "2026-12-28", "last": "2026-12-29", "name": "搬迁闭厅", "note": ""},
        )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(centre=centre, kind="closure").count() == 2
    closure = CalendarDay.objects.filter(centre=centre).first()
    client.force_login(make_staff(Role.CATALOGUE_ADMIN, centre=elsewhere))
    delete = reverse("admin:worktime_calendarday_delete", args=[closure.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CalendarDay.objects.filter(centre=centre, kind="closure").count() == 2


@time_machine.travel(dt.datetime(2026, 11, 21, 10, 0), tick=False)
def test_the_supervision_desk_warns_about_the_missing_year(client):
    client.force_login(make_staff(Role.SUPERVISOR))
    page = client.get(reverse("desks:supervision")).content.decode()
    assert "2027年工作日历尚未录入" in page
    client.force_login(make_staff(Role.CATALOGUE_ADMIN))
    assert "2027年工作日历尚未录入" in client.get(reverse("admin:index")).content.decode()
