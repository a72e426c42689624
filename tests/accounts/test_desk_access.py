import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.desks.navigation import DESKS
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_log_in(client):
    for desk in DESKS:
        response = client.get(reverse(desk.url_name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_a_clerk_sees_only_the_intake_desk_in_the_navigation_and_cannot_open_others(client):
    client.force_login(make_staff(Role.CLERK))
    page = client.get(reverse("desks:intake")).content.decode()
    assert reverse("desks:intake") in page
    for desk in DESKS:
        if desk.key == "intake":
            continue
        assert f'href="{reverse(desk.url_name)}"' not in page
        assert client.get(reverse(desk.url_name)).status_code == 403


def test_a_citizen_cannot_open_staff_desks_or_the_jobs_page(client):
    client.force_login(make_staff(Role.CITIZEN))
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("desks:intake")).status_code == 403
    assert client.get(reverse("ops:job_runs")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_user_without_a_role_gets_a_page_that_says_so(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("desks:home"))
    assert response.status_code == 200
    assert "尚未分配角色" in response.content.decode()


def test_the_desk_shows_where_the_clerk_works(client):
    from tests.factories import WindowFactory

    window = WindowFactory(number="A07")
    client.force_login(make_staff(Role.CLERK, centre=window.centre, window=window))
    page = client.get(reverse("desks:intake")).content.decode()
    assert window.centre.name in page
    assert "A07" in page


def test_the_language_switch_serves_english(client):
    client.force_login(make_staff(Role.CLERK))
    client.post(reverse("set_language"), {"language": "en", "next": "/intake/"})
    page = client.get(reverse("desks:intake")).content.decode()
    assert '<html lang="en">' in page
    assert "Intake desk" in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/intake/"})
    assert "综合受理" in client.get(reverse("desks:intake")).content.decode()


def test_an_english_browser_still_gets_chinese_until_the_switch_is_used(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page


def test_the_catalogue_desk_shows_versions_waiting_for_review(client, django_assert_max_num_queries):
    from apps.catalogue import services
    from tests.factories import DepartmentFactory
    from tests.factories.catalogue import make_item

    department = DepartmentFactory()  # the queue is of the admin's centre (roles are per centre)
    item = make_item(publish_it=False, name="待审核的事项", department=department)
    services.submit_for_review(item_id=item.pk)
    make_item(name="已发布的事项", department=department)
    client.force_login(make_staff(Role.CATALOGUE_ADMIN, centre=department.centre))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("desks:catalogue")).content.decode()
    assert "待审核的事项" in page
    assert "已发布的事项" not in page
