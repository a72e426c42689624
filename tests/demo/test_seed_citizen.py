"""The demo's online hall (issue 16): 张三 verified at a window, the legal representative of a
restaurant company whose property deed the e-certificate library holds, so that filing the
我要开饭店 bundle for it online offers the deed in place of the premises' proof."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.identifiers import validate_uscc
from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation, RealNameLevel, User
from apps.accounts.selectors import authorisations_of
from apps.cases.codes import MaterialStatus
from apps.catalogue.models import Bundle
from apps.demo.seeding.citizens import PREMISES_DEED, RESTAURANT
from apps.licences.lookup import valid_certificates
from apps.licences.models import ElectronicCertificate

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_citizen_is_verified_and_represents_a_restaurant_once():
    seed()
    seed()
    citizen = User.objects.get(username="citizen")
    assert (citizen.full_name, citizen.phone) == ("张三", "13812343210")
    assert citizen.real_name_level == RealNameLevel.VERIFIED
    assert citizen.real_name_verified_by.username == "clerk"
    assert citizen.real_name_verified_centre.name == "示范市政务服务中心"
    validate_uscc(RESTAURANT["credit_code"])
    [authorisation] = authorisations_of(citizen, timezone.localdate()).filter(
        credit_code=RESTAURANT["credit_code"]
    )
    assert (authorisation.organisation_name, authorisation.kind) == (
        RESTAURANT["name"],
        AuthorisationKind.LEGAL_REPRESENTATIVE,
    )
    assert OrganisationAuthorisation.objects.filter(credit_code=RESTAURANT["credit_code"]).count() == 1
    [deed] = valid_certificates(RESTAURANT["credit_code"])
    assert (deed.type_name, deed.number) == ("不动产权证书", PREMISES_DEED["number"])
    assert ElectronicCertificate.objects.filter(holder_code=RESTAURANT["credit_code"]).count() == 1


def test_the_restaurant_bundle_filed_online_for_the_company_uses_its_deed():
    from apps.cases.online import start_online_filing

    seed()
    citizen = User.objects.get(username="citizen")
    bundle = Bundle.objects.get(name="我要开饭店")
    filing = start_online_filing(
        citizen=citizen,
        centre=bundle.centre,
        bundle=bundle,
        organisation_code=RESTAURANT["credit_code"],
    )
    assert (filing.applicant_name, filing.legal_representative) == (RESTAURANT["name"], "张三")
    premises = filing.checklist.get(material__code="premises")
    assert (premises.status, premises.certificate_reference) == (
        MaterialStatus.E_CERTIFICATE,
        PREMISES_DEED["number"],
    )
    # The only one: the business licence is the bundle's own result, nothing else is held.
    assert filing.checklist.filter(status=MaterialStatus.E_CERTIFICATE).count() == 1


def test_with_the_recording_sms_gateway_the_demo_says_where_codes_go(settings, tmp_path):
    settings.HALL_SMS_GATEWAY = "apps.notifications.channels.RecordingSmsGateway"
    settings.HALL_SMS_RECORD_FILE = str(tmp_path / "sms.jsonl")
    assert f"SMS codes are written to {tmp_path / 'sms.jsonl'}." in seed()
