"""免证可办 with certificates the hall issued itself: the desk's issue writes the e-certificate
library, and the next filing of the same holder hands that certificate in without paper."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.accounts.roles import Role
from apps.cases import services as intake
from apps.cases.codes import FilingState, MaterialStatus
from apps.certificates import services
from apps.licences.lookup import valid_certificates
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, accept_filing, at_window, make_filing
from tests.factories.catalogue import MaterialFactory, checklist, make_item, requirement
from tests.factories.certificates import certificate_item, decide_all, issue, issuing_rule, make_seal

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)
LATER = dt.datetime(2026, 10, 15, 2, 0)
Record = intake.MaterialRecord
PARCEL = {
    "recipient_name": "王五",
    "phone": "13900001111",
    "address": "福建省福州市鼓楼区示范路1号",
    "carrier": "中国邮政EMS",
    "tracking_number": "1234567890123",
}


@pytest.fixture
def world():
    """A centre where 食品经营许可证 is issued by one department and accepted by another, which lets the
    certificate stand in for the paper copy it otherwise asks for."""
    centre = ServiceCentreFactory()
    issuing, accepting = DepartmentFactory(centre=centre), DepartmentFactory(centre=centre)
    make_seal(issuing)
    rule = issuing_rule()
    first_item = certificate_item(issuing, rule=rule, postal_delivery_supported=True)
    permit = MaterialFactory(name=rule.licence_type.name, licence_type=rule.licence_type)
    id_card = MaterialFactory(name="营业执照副本")
    second_item = make_item(
        department=accepting,
        children=checklist(requirement(permit, e_certificate_accepted=True), requirement(id_card)),
    )
    return centre, rule.licence_type, first_item, second_item, permit, id_card


def issued_and_posted(centre, item):
    with time_machine.travel(TODAY, tick=False):
        filing = decide_all(accept_filing(make_filing(items=[item], centre=centre, applicant=COMPANY)))
        [document] = issue(filing)
        services.post(filing_id=filing.pk, actor=make_staff(Role.ISSUER, centre=filing.centre), **PARCEL)
    filing.refresh_from_db()
    assert filing.state == FilingState.CLOSED
    return document


@time_machine.travel(LATER, tick=False)
def test_a_certificate_the_desk_issued_replaces_the_paper_in_the_next_filing(world):
    centre, licence_type, first_item, second_item, permit, id_card = world
    document = issued_and_posted(centre, first_item)

    [held] = valid_certificates(COMPANY.id_number)
    assert (held.licence_type_id, held.type_name) == (licence_type.pk, licence_type.name)
    assert (held.number, held.identifier) == (document.number, document.library_entry.identifier)
    assert held.holder_name == COMPANY.name
    assert held.valid_until == dt.date(2031, 9, 23)

    filing = make_filing(items=[second_item], centre=centre, applicant=COMPANY)
    [entry] = filing.checklist.filter(material=permit)
    assert entry.replaceable_by == licence_type
    intake.accept(
        **at_window(filing),
        filing_id=filing.pk,
        materials=[
            Record(permit.pk, MaterialStatus.E_CERTIFICATE),
            Record(id_card.pk, MaterialStatus.ORIGINAL),
        ],
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED
    entry.refresh_from_db()
    assert (entry.status, entry.certificate_reference) == (MaterialStatus.E_CERTIFICATE, document.number)


@time_machine.travel(LATER, tick=False)
def test_the_issued_certificate_may_be_named_by_its_identifier(world):
    centre, _type, first_item, second_item, permit, _id_card = world
    document = issued_and_posted(centre, first_item)
    filing = make_filing(items=[second_item], centre=centre, applicant=COMPANY)
    entry = intake.record_material(
        **at_window(filing),
        filing_id=filing.pk,
        material_id=permit.pk,
        status=MaterialStatus.E_CERTIFICATE,
        certificate_reference=document.library_entry.identifier,
    )
    entry.refresh_from_db()
    assert entry.certificate_reference == document.number


@time_machine.travel(LATER, tick=False)
def test_a_revoked_certificate_no_longer_replaces_the_paper(world):
    centre, _type, first_item, second_item, permit, _id_card = world
    document = issued_and_posted(centre, first_item)
    boss = make_staff(Role.DECISION_MAKER, department=document.department)
    services.revoke(document_id=document.pk, actor=boss, reason="以欺骗手段取得许可")
    assert valid_certificates(COMPANY.id_number) == []

    filing = make_filing(items=[second_item], centre=centre, applicant=COMPANY)
    with pytest.raises(ValidationError) as refused:
        intake.record_material(
            **at_window(filing),
            filing_id=filing.pk,
            material_id=permit.pk,
            status=MaterialStatus.E_CERTIFICATE,
        )
    assert "certificate_reference" in refused.value.message_dict
    assert filing.checklist.get(material=permit).status == MaterialStatus.PENDING


@time_machine.travel(LATER, tick=False)
def test_another_holders_certificate_does_not_count(world):
    centre, _type, first_item, second_item, permit, _id_card = world
    issued_and_posted(centre, first_item)
    filing = make_filing(items=[second_item], centre=centre)  # 张三, not the company
    with pytest.raises(ValidationError):
        intake.record_material(
            **at_window(filing),
            filing_id=filing.pk,
            material_id=permit.pk,
            status=MaterialStatus.E_CERTIFICATE,
        )
    assert filing.checklist.get(material=permit).status == MaterialStatus.PENDING


@time_machine.travel(LATER, tick=False)
def test_the_intake_desk_offers_the_holders_certificates_of_the_type_to_pick_from(world, client):
    centre, licence_type, first_item, second_item, permit, id_card = world
    first = issued_and_posted(centre, first_item)
    second = issued_and_posted(centre, first_item)  # the company holds two of that type now
    filing = make_filing(items=[second_item], centre=centre, applicant=COMPANY)
    client.force_login(filing.created_by)  # the clerk at the filing's window

    page = client.get(f"/intake/filings/{filing.pk}/").content.decode()

    # The replaceable row offers both numbers in a choice; the other row offers none.
    assert page.count('data-testid="held-certificates"') == 1
    assert f'<option value="{first.number}"' in page and f'<option value="{second.number}"' in page
    client.post(
        f"/intake/filings/{filing.pk}/materials/{permit.pk}/",
        {"status": MaterialStatus.E_CERTIFICATE, "certificate_reference": second.number},
    )
    entry = filing.checklist.get(material=permit)
    assert (entry.status, entry.certificate_reference) == (MaterialStatus.E_CERTIFICATE, second.number)
