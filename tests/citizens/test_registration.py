"""Registration, login by SMS code and password reset by SMS code: the services, the pages and the API."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import RealNameLevel, User
from apps.accounts.permissions import Perm
from apps.citizens import services
from apps.citizens.models import CodePurpose
from tests.citizens.conftest import last_code, resident_id, texts
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

PHONE = "13900139000"
NEW_PASSWORD = "Lanting#2026xu"


def _register(code, **overrides):
    fields = {
        "full_name": "李四",
        "id_number": resident_id(7),
        "phone": PHONE,
        "code": code,
        "password": PASSWORD,
        "client_ip": "203.0.113.9",
    }
    return services.register(**{**fields, **overrides})


def test_registration_makes_a_self_declared_citizen_account(send):
    user = _register(send(PHONE, CodePurpose.REGISTER))
    user.refresh_from_db()
    assert (user.username, user.phone, user.full_name) == (PHONE, PHONE, "李四")
    assert user.real_name_level == RealNameLevel.DECLARED
    assert user.has_perm(Perm.USE_CITIZEN_PORTAL)
    assert user.check_password(PASSWORD)
    assert not user.memberships.exists()


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        (resident_id(7)[:17] + ("0" if resident_id(7)[17] != "0" else "1"), "resident_id_checksum"),
        ("35010219901332" + "0071", "resident_id_birth_date"),  # 13th month
        ("35010221000101" + "0071", "resident_id_birth_date"),  # born in the future
        ("3501021990030", "resident_id_format"),
    ],
)
def test_a_bad_resident_id_is_refused_and_the_code_is_not_spent(send, id_number, code):
    sms = send(PHONE, CodePurpose.REGISTER)
    with pytest.raises(ValidationError) as refused:
        _register(sms, id_number=id_number)
    assert "id_number" in refused.value.message_dict
    assert not User.objects.filter(phone=PHONE).exists()
    _register(sms)  # the code is still good once the number is right


def test_a_wrong_code_registers_nothing(send):
    code = send(PHONE, CodePurpose.REGISTER)
    with pytest.raises(ValidationError) as refused:
        _register(f"{(int(code) + 1) % 10**6:06d}")
    assert list(refused.value.message_dict) == ["code"]
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_code_for_another_number_does_not_register_this_one(send):
    code = send("13900139001", CodePurpose.REGISTER)
    with pytest.raises(ValidationError):
        _register(code)


def test_a_weak_password_and_a_known_number_or_id_are_refused(send):
    code = send(PHONE, CodePurpose.REGISTER)
    with pytest.raises(ValidationError) as refused:
        _register(code, password="12345678")
    assert "password" in refused.value.message_dict
    _register(code)
    with pytest.raises(ValidationError) as again:
        send(PHONE, CodePurpose.REGISTER)
    assert "phone" in again.value.message_dict
    code = send("13900139002", CodePurpose.REGISTER)
    with pytest.raises(ValidationError) as same_id:
        _register(code, phone="13900139002")
    assert "id_number" in same_id.value.message_dict


def _citizen(send):
    return _register(send(PHONE, CodePurpose.REGISTER))


def test_a_login_code_logs_the_citizen_in_once(send):
    user = _citizen(send)
    code = send(PHONE, CodePurpose.LOGIN)
    assert services.login_with_code(phone=PHONE, code=code) == user
    with pytest.raises(ValidationError):
        services.login_with_code(phone=PHONE, code=code)


def test_no_login_code_goes_to_a_number_without_a_citizen_account(
    sms_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_code(phone=PHONE, purpose=CodePurpose.LOGIN)
    assert texts(sms_file) == []


def test_a_password_reset_by_code(send):
    user = _citizen(send)
    code = send(PHONE, CodePurpose.RESET)
    with pytest.raises(ValidationError) as weak:
        services.reset_password(phone=PHONE, code=code, password="password")
    assert "password" in weak.value.message_dict
    services.reset_password(phone=PHONE, code=code, password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_code_expires_after_five_minutes(send):
    _citizen(send)
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        code = send(PHONE, CodePurpose.RESET)
        traveller.shift(dt.timedelta(minutes=5, seconds=1))
        with pytest.raises(ValidationError):
            services.reset_password(phone=PHONE, code=code, password=NEW_PASSWORD)


# --- the pages --------------------------------------------------------------------------------------


def test_the_registration_page_sends_a_code_then_registers_and_logs_in(
    client, sms_file, django_capture_on_commit_callbacks
):
    url = reverse("citizens:register")
    form = {
        "full_name": "李四",
        "id_number": resident_id(7),
        "phone": PHONE,
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**form, "send": "1"})
    assert sent.status_code == 200
    assert "139****9000" in sent.content.decode()
    assert 'value="李四"' in sent.content.decode()  # what was typed is kept
    response = client.post(url, {**form, "code": last_code(sms_file, PHONE)})
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_registration_page_names_a_bad_id_number(client, send):
    code = send(PHONE, CodePurpose.REGISTER)
    bad = resident_id(7)[:17] + ("0" if resident_id(7)[17] != "0" else "1")
    response = client.post(
        reverse("citizens:register"),
        {
            "full_name": "李四",
            "id_number": bad,
            "phone": PHONE,
            "code": code,
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-id_number"' in response.content.decode()


def test_the_code_pages_refuse_a_sixth_send_under_the_phone_field(client, send):
    _citizen(send)
    for _ in range(4):
        send(PHONE, CodePurpose.LOGIN)
    response = client.post(reverse("citizens:login_code"), {"phone": PHONE, "send": "1"})
    assert 'data-testid="error-phone"' in response.content.decode()


def test_the_code_login_page_logs_in(client, send):
    _citizen(send)
    code = send(PHONE, CodePurpose.LOGIN)
    response = client.post(reverse("citizens:login_code"), {"phone": PHONE, "code": code})
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_reset_page_sets_the_password(client, send):
    _citizen(send)
    code = send(PHONE, CodePurpose.RESET)
    response = client.post(
        reverse("citizens:password_reset"),
        {"phone": PHONE, "code": code, "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert (
        client.post(reverse("accounts:login"), {"username": PHONE, "password": NEW_PASSWORD}).status_code
        == 302
    )


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_registers_logs_in_by_code_and_by_password(
    client, sms_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/api/v1/accounts/codes/",
            {"phone": PHONE, "purpose": "register"},
            content_type="application/json",
        )
    assert sent.status_code == 202
    body = {"full_name": "李四", "id_number": resident_id(7), "phone": PHONE, "password": PASSWORD}
    response = client.post(
        "/api/v1/accounts/register/",
        {**body, "code": last_code(sms_file, PHONE)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["real_name_level"] == "declared"
    assert resident_id(7) not in response.content.decode()
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/accounts/codes/", {"phone": PHONE, "purpose": "login"}, content_type="application/json"
        )
    login = client.post(
        "/api/v1/accounts/login/",
        {"phone": PHONE, "code": last_code(sms_file, PHONE)},
        content_type="application/json",
    )
    assert login.status_code == 200
    assert client.get("/api/v1/organisations/").status_code == 200
    client.logout()
    wrong = client.post(
        "/api/v1/accounts/login/", {"username": PHONE, "password": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == 400
    right = client.post(
        "/api/v1/accounts/login/", {"username": PHONE, "password": PASSWORD}, content_type="application/json"
    )
    assert right.status_code == 200


def test_the_api_refuses_a_sixth_send_naming_the_phone(client, send):
    for _ in range(5):
        send(PHONE, CodePurpose.REGISTER)
    response = client.post(
        "/api/v1/accounts/codes/", {"phone": PHONE, "purpose": "register"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]


def test_the_api_password_login_keeps_the_lockout(client, send, settings):
    _citizen(send)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/api/v1/accounts/login/",
            {"username": PHONE, "password": "nope"},
            content_type="application/json",
        )
    locked = client.post(
        "/api/v1/accounts/login/", {"username": PHONE, "password": PASSWORD}, content_type="application/json"
    )
    assert locked.status_code == 429  # django-axes answers a lockout, as on the login page


def test_the_api_resets_a_password(client, send):
    _citizen(send)
    code = send(PHONE, CodePurpose.RESET)
    response = client.post(
        "/api/v1/accounts/password-reset/",
        {"phone": PHONE, "code": code, "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert User.objects.get(phone=PHONE).check_password(NEW_PASSWORD)
