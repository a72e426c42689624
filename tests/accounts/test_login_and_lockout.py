import datetime as dt

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.urls import reverse

from apps.accounts.lockout import LoginLockout
from apps.accounts.roles import Role
from apps.desks.navigation import DESKS
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
    Role.ASSISTANT: "desks:assistance_queue",
    Role.CITIZEN: "portal:home",
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
    # A staff desk names itself; the citizens' online hall names its page.
    desk = next((d.key for d in DESKS if d.url_name == LANDING[role]), None)
    marker = 'data-portal-page="home"' if role == Role.CITIZEN else f'data-desk="{desk}"'
    assert marker in response.content.decode()


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


# --- login abuse: the name at an address, and an address across names -------------------------------

ATTACKER, OWNER = "192.0.2.66", "198.51.100.10"


def login_from(client, address, username, password=PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_password_spraying_from_one_address_is_locked(client, settings):
    accounts = [make_staff(Role.CLERK) for _ in range(5)]
    # A few guesses on each account, staying under the per-account limit.
    guesses = settings.HALL_LOGIN_ADDRESS_LIMIT // len(accounts)
    assert guesses < settings.AXES_FAILURE_LIMIT
    for user in accounts:
        for _ in range(guesses):
            login_from(client, ATTACKER, user.username, "Spring#2026")
    # The address is locked for every name, even with the right password …
    sixth = make_staff(Role.CLERK)
    response = login_from(client, ATTACKER, sixth.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert 'data-lock="address"' in response.content.decode()  # the page says which lock it is
    # … and nowhere else.
    assert login_from(client, OWNER, sixth.username).status_code == 302


def test_a_stranger_cannot_lock_an_account_out_by_knowing_its_name(client, settings):
    owner = make_staff(Role.CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        login_from(client, ATTACKER, owner.username, "wrong-password")
    locked = login_from(client, ATTACKER, owner.username)
    assert locked.status_code == 429  # the stranger is locked
    assert 'data-lock="account"' in locked.content.decode()
    response = login_from(client, OWNER, owner.username)
    assert response.status_code == 302  # the owner, at their own address, is not
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_owners_own_failures_lock_them_at_their_address(client, settings):
    owner = make_staff(Role.CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, OWNER, owner.username, "wrong-password")
    assert login_from(client, OWNER, owner.username).status_code == 429
    assert "_auth_user_id" not in client.session


def test_rotating_the_user_agent_does_not_reset_the_count(client, settings):
    owner = make_staff(Role.CLERK)
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": owner.username, "password": "wrong-password"},
            REMOTE_ADDR=ATTACKER,
            HTTP_USER_AGENT=f"agent/{n}",
        )
    assert login_from(client, ATTACKER, owner.username).status_code == 429


def test_logging_in_to_ones_own_account_does_not_clear_the_addresss_count(client, settings):
    sprayer = make_staff(Role.CLERK)
    victims = [make_staff(Role.CLERK) for _ in range(5)]
    guesses = settings.HALL_LOGIN_ADDRESS_LIMIT // len(victims)
    for user in victims:
        for _ in range(guesses - 1):
            login_from(client, ATTACKER, user.username, "Spring#2026")
        assert login_from(client, ATTACKER, sprayer.username).status_code == 302
        client.post(reverse("accounts:logout"))
    for user in victims:
        login_from(client, ATTACKER, user.username, "Spring#2026")
    assert login_from(client, ATTACKER, sprayer.username).status_code == 429


# --- the failure log ---------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC), tick=False)
def test_a_failed_login_stays_recorded_after_the_next_success(client):
    user = make_staff(Role.CLERK)
    login_from(client, OWNER, user.username, "wrong-password")
    assert login_from(client, OWNER, user.username).status_code == 302
    assert list(AccessFailureLog.objects.values_list("username", "ip_address", "attempt_time")) == [
        (user.username, OWNER, dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    ]


def test_the_lockout_keeps_every_failure_when_axes_would_trim_a_names_log(client, settings):
    settings.HALL_LOGIN_ADDRESS_LIMIT = 1000
    user = make_staff(Role.CLERK)
    handler = LoginLockout()
    for n in range(3):
        login_from(client, f"192.0.2.{n + 1}", user.username, "wrong-password")
    assert handler.remove_out_of_limit_failure_logs(username=user.username, limit=1) == 0
    assert AccessFailureLog.objects.filter(username=user.username).count() == 3
