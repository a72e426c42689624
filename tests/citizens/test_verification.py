"""窗口核验: a clerk of the centre verifies a citizen's account against the identity card; a clerk of
another centre cannot, nor can a wrong card number verify it. The desk page finds the account by
mobile or ID number only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.models import RealNameLevel, User
from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.citizens.services import verify_real_name
from tests.citizens.conftest import resident_id
from tests.factories import make_staff
from tests.factories.cases import comprehensive_window, window_clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    user = make_staff(Role.CITIZEN, full_name="赵六", id_number=resident_id(11), phone="13700137000")
    user.real_name_level = RealNameLevel.DECLARED
    user.save()
    return user


@pytest.fixture
def window():
    return comprehensive_window()


def test_a_clerk_verifies_the_account_at_their_window(citizen, window):
    clerk = window_clerk(window)
    verify_real_name(user_id=citizen.pk, id_number=citizen.id_number.lower(), actor=clerk, window=window)
    citizen.refresh_from_db()
    assert citizen.real_name_level == RealNameLevel.VERIFIED
    assert (citizen.real_name_verified_by, citizen.real_name_verified_centre) == (clerk, window.centre)
    assert TransitionLog.objects.filter(transition="real_name_verified", object_id=str(citizen.pk)).exists()


def test_a_clerk_of_another_centre_cannot_verify(citizen, window):
    elsewhere = window_clerk(comprehensive_window())
    with pytest.raises(PermissionDenied):
        verify_real_name(user_id=citizen.pk, id_number=citizen.id_number, actor=elsewhere, window=window)
    citizen.refresh_from_db()
    assert citizen.real_name_level == RealNameLevel.DECLARED


def test_not_a_clerk_cannot_verify(citizen, window):
    supervisor = make_staff(Role.SUPERVISOR, centre=window.centre)
    with pytest.raises(PermissionDenied):
        verify_real_name(user_id=citizen.pk, id_number=citizen.id_number, actor=supervisor, window=window)


def test_a_card_with_another_number_does_not_verify(citizen, window):
    with pytest.raises(ValidationError) as refused:
        verify_real_name(
            user_id=citizen.pk, id_number=resident_id(12), actor=window_clerk(window), window=window
        )
    assert "id_number" in refused.value.message_dict
    citizen.refresh_from_db()
    assert citizen.real_name_level == RealNameLevel.DECLARED


def test_staff_accounts_are_not_verified_as_citizens(window):
    staff = make_staff(Role.APPROVER, id_number=resident_id(13))
    with pytest.raises(ValidationError):
        verify_real_name(
            user_id=staff.pk, id_number=staff.id_number, actor=window_clerk(window), window=window
        )


def test_the_desk_page_finds_by_phone_and_verifies(client, citizen, window):
    client.force_login(window_clerk(window))
    url = reverse("desks:intake_verify_citizen")
    page = client.get(url, {"q": "137 0013 7000"}).content.decode()
    assert "赵六" in page and citizen.id_number not in page  # masked
    assert 'data-testid="verify-account"' in page
    assert 'data-testid="verify-none"' in client.get(url, {"q": "1370013"}).content.decode()
    wrong = client.post(url, {"user": citizen.pk, "id_number": resident_id(12), "q": citizen.phone})
    assert 'data-testid="verify-error"' in wrong.content.decode()
    done = client.post(url, {"user": citizen.pk, "id_number": citizen.id_number})
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.real_name_level == RealNameLevel.VERIFIED


def test_the_desk_page_is_the_clerks(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("desks:intake_verify_citizen")).status_code == 403


def test_the_api_verifies_an_account_against_the_card_for_a_clerk_and_refuses_others(client):
    citizen = make_staff(Role.CITIZEN, full_name="钱七", id_number=resident_id(31), phone="13700137031")
    window = comprehensive_window()
    url = reverse("api-account-verify-real-name", args=[citizen.pk])
    client.force_login(citizen)  # a citizen never verifies, not even their own account
    assert (
        client.post(url, {"id_number": citizen.id_number}, content_type="application/json").status_code == 403
    )
    client.force_login(window_clerk(comprehensive_window()))  # another centre's window is refused
    answer = client.post(
        url, {"id_number": citizen.id_number, "window": window.pk}, content_type="application/json"
    )
    assert answer.status_code == 403
    client.force_login(window_clerk(window))
    wrong = client.post(url, {"id_number": resident_id(32)}, content_type="application/json")
    assert wrong.status_code == 400 and "id_number" in wrong.json()
    assert User.objects.get(pk=citizen.pk).real_name_level != RealNameLevel.VERIFIED
    response = client.post(url, {"id_number": citizen.id_number.lower()}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["real_name_level"] == RealNameLevel.VERIFIED
    assert response.json()["real_name_verified_centre"] == window.centre.pk
    assert citizen.id_number not in response.content.decode()  # masked
