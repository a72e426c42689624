import pytest
from django.core.management import CommandError, call_command

from apps.accounts.identifiers import validate_uscc
from apps.accounts.models import Department, ServiceCentre, StaffMembership, User, Window
from apps.accounts.roles import Role
from apps.supervision.models import Anomaly, AnomalyRule

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (ServiceCentre, Department, Window, User, StaffMembership))


def test_seed_demo_is_idempotent_and_gives_one_user_per_role(settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    for role in Role:
        # Two catalogue admins at the city: one submits, the other publishes (four eyes).
        expected = 2 if role == Role.CATALOGUE_ADMIN else 1
        assert User.objects.filter(groups__name=f"role:{role}").count() == expected, role
    clerk = User.objects.get(username="clerk")
    assert clerk.check_password(settings.HALL_DEMO_PASSWORD)
    # The supervision desk's anomalies are the ones its demo planted: one burst of bulk clicking, not
    # the ratings' demo visits too (96 accepted at the window, a few seconds apart).
    assert Anomaly.objects.filter(rule=AnomalyRule.BULK_CLICKING).count() == 1


def test_demo_organisation_has_a_city_and_a_county_with_valid_department_codes():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    county = ServiceCentre.objects.get(level="4")
    assert county.parent.level == "3"
    # The county is a one-person catalogue office; the city publishes with four eyes.
    assert (county.four_eyes_publishing, county.parent.four_eyes_publishing) == (False, True)
    assert Department.objects.filter(centre=county.parent).count() == 5
    for department in Department.objects.all():
        validate_uscc(department.credit_code)
    assert Window.objects.filter(kind="issuing").exists()
    assert Window.objects.filter(kind="comprehensive").exists()


def test_seed_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_demo_citizens_online_filings_wait_for_pre_review_once():
    from apps.cases.models import Filing
    from apps.cases.selectors import awaiting_pre_review

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    city = ServiceCentre.objects.get(level="3")
    waiting = list(awaiting_pre_review(city.pk))
    assert [f.items.get().item.name for f in waiting] == ["个体工商户设立登记", "食品经营许可"]
    assert {f.citizen.username for f in waiting} == {"citizen"}
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Filing.objects.filter(citizen__username="citizen").count() == 2


def test_a_company_filing_waits_at_the_certificate_desk_once_and_can_be_issued():
    from apps.cases.codes import FilingState
    from apps.cases.models import Filing
    from apps.certificates import services
    from apps.certificates.selectors import ready_for_issue

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    issuer, keeper = User.objects.get(username="issuer"), User.objects.get(username="keeper")
    [filing] = ready_for_issue(issuer)
    assert (filing.applicant_name, filing.agent_name) == ("示范餐饮有限公司", "张三")
    # The demo's issuing rules and seals are enough to issue it, and its agent collects it.
    request = services.request_issue(filing_id=filing.pk, actor=issuer)
    [document] = services.confirm_issue(request_id=request.pk, actor=keeper)
    assert document.licence_type.name == "食品经营许可证"
    assert document.number.startswith("JY350100")
    services.hand_over(
        filing_id=filing.pk,
        actor=issuer,
        recipient_name="张三",
        recipient_id_number="11010519491231002X",
    )
    assert Filing.objects.get(pk=filing.pk).state == FilingState.CLOSED
