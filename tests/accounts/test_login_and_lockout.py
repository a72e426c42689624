import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.factories import make_staff
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LANDING = {
    Role.CLERK: "desks:intake",
    Role.APPROVER: "desks:backoffice",
    Role.DECISION_MAKER: "desks:backoffice",
    Role.ISSUER: "desks:issuing",
    Role.SEAL_KEEPER: "desks:issuing",
    Role.SUPERVISOR: "desks:supervision",
    Role.CATALOGUE_ADMIN: "desks:catalogue",
    Role.CITIZEN: "desks:portal",
}


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, follow=True)


def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("accounts:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_desk(client, role):
    user = make_staff(role)
    response = login(client, user.username)
    assert response.redirect_chain[-1][0] == reverse(LANDING[role])
    assert response.status_code == 200
    assert f'data-desk="{LANDING[role].split(":")[1]}"' in response.content.decode()


def test_wrong_password_says_so_and_stays_on_the_login_page(client):
    user = make_staff(Role.CLERK)
    response = login(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert response.redirect_chain == []
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, settings):
    user = make_staff(Role.CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "wrong-password")
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock_and_success_resets_the_count(client, settings):
    user = make_staff(Role.CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "wrong-password")
    assert login(client, user.username).redirect_chain[-1][0] == reverse("desks:intake")
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "wrong-password")
    assert login(client, user.username).redirect_chain[-1][0] == reverse("desks:intake")


def test_the_lock_of_one_account_does_not_lock_another(client, settings):
    locked, other = make_staff(Role.CLERK), make_staff(Role.CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, locked.username, "wrong-password")
    assert login(client, other.username).redirect_chain[-1][0] == reverse("desks:intake")


def test_logout_needs_post_and_ends_the_session(client):
    user = make_staff(Role.CLERK)
    login(client, user.username)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_password_change_enforces_the_complexity_rule(client):
    user = make_staff(Role.CLERK)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "onlylowercaseletters",
            "new_password2": "onlylowercaseletters",
        },
    )
    assert response.status_code == 200
    assert "至少" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Mixed#Case2027", "new_password2": "Mixed#Case2027"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mixed#Case2027")
