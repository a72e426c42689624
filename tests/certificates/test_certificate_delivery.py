"""Delivering a filing's documents (送达): handed over at the window to the applicant or the agent
authorised on the filing, whose identity card the issuer checked, or posted free of charge — all
documents together, and the filing is closed (办结)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind, FilingState
from apps.catalogue import services as catalogue
from apps.certificates import services
from apps.certificates.models import Delivery, DeliveryMethod, IssuedDocument, RecipientRole
from apps.core.errors import Conflict
from apps.notifications.models import Outbox
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, PERSON, accept_filing, make_filing
from tests.factories.catalogue import BundleFactory
from tests.factories.certificates import certificate_item, decide_all, issue, make_seal, ready_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

TODAY = dt.datetime(2026, 9, 24, 2, 0)


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


AGENT_ID = resident_id("35010219850612301")
STRANGER_ID = resident_id("35010219900307456")
WITH_AGENT = ApplicantData(
    kind=ApplicantKind.PERSON,
    name="张三",
    id_number=PERSON.id_number,
    phone=PERSON.phone,
    agent_name="赵六",
    agent_id_number=AGENT_ID,
    agent_phone="13700002222",
)
PARCEL = {
    "recipient_name": "张三",
    "phone": "13812343210",
    "address": "福建省福州市鼓楼区示范路1号",
    "carrier": "中国邮政EMS",
    "tracking_number": "1234567890123",
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def issued(**kwargs):
    filing = ready_filing(**kwargs)
    issue(filing)
    return filing


def desk(filing):
    return make_staff(Role.ISSUER, centre=filing.centre)


def unchanged(filing) -> bool:
    filing.refresh_from_db()
    return filing.state == FilingState.ISSUED and not Delivery.objects.filter(filing=filing).exists()


def test_handing_over_to_the_applicant_closes_the_filing_and_tells_them():
    filing = issued()
    issuer = desk(filing)
    delivery = services.hand_over(
        filing_id=filing.pk,
        actor=issuer,
        recipient_name=" 张三 ",
        recipient_id_number="11010519491231002x",  # typed with a small x: normalised
        client_ip="198.51.100.7",
    )
    delivery.refresh_from_db()
    assert delivery.method == DeliveryMethod.HANDOVER
    assert delivery.recipient_role == RecipientRole.APPLICANT
    assert (delivery.recipient_name, delivery.recipient_id_number) == ("张三", PERSON.id_number)
    assert delivery.delivered_by == issuer
    filing.refresh_from_db()
    assert filing.state == FilingState.CLOSED
    steps = [
        (e.transition, e.to_state) for e in history_of(filing).filter(transition__in=["deliver", "close"])
    ]
    assert steps == [("deliver", FilingState.DELIVERED), ("close", FilingState.CLOSED)]
    assert {e.client_ip for e in history_of(filing).filter(transition__in=["deliver", "close"])} == {
        "198.51.100.7"
    }
    closed = Outbox.objects.filter(event="closed", subject_ref=f"cases.filing:{filing.pk}")
    assert closed.exists()
    assert {row.address for row in closed if row.address} == {PERSON.phone}


def test_the_agent_named_on_the_filing_may_collect():
    filing = issued(applicant=WITH_AGENT)
    delivery = services.hand_over(
        filing_id=filing.pk, actor=desk(filing), recipient_name="赵六", recipient_id_number=AGENT_ID
    )
    assert delivery.recipient_role == RecipientRole.AGENT
    filing.refresh_from_db()
    assert filing.state == FilingState.CLOSED


@pytest.mark.parametrize(
    ("name", "id_number"),
    [
        ("王五", STRANGER_ID),  # nobody on the filing
        ("王五", PERSON.id_number),  # the applicant's card in someone else's hands
        ("张三", STRANGER_ID),  # the applicant's name with another card
    ],
)
def test_a_stranger_with_a_valid_card_is_refused(name, id_number):
    filing = issued(applicant=WITH_AGENT)
    with pytest.raises(ValidationError) as refused:
        services.hand_over(
            filing_id=filing.pk, actor=desk(filing), recipient_name=name, recipient_id_number=id_number
        )
    assert list(refused.value.message_dict) == ["recipient_id_number"]
    assert "neither the applicant nor the agent" in refused.value.message_dict["recipient_id_number"][0]
    assert unchanged(filing)
    assert not history_of(filing).filter(transition="deliver").exists()


def test_an_identity_number_with_a_wrong_check_character_is_refused():
    filing = issued()
    wrong = PERSON.id_number[:17] + ("0" if PERSON.id_number[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        services.hand_over(
            filing_id=filing.pk, actor=desk(filing), recipient_name="张三", recipient_id_number=wrong
        )
    assert "check character" in refused.value.message_dict["recipient_id_number"][0]
    assert unchanged(filing)


def test_a_missing_name_and_card_are_both_named():
    filing = issued()
    with pytest.raises(ValidationError) as refused:
        services.hand_over(
            filing_id=filing.pk, actor=desk(filing), recipient_name=" ", recipient_id_number=""
        )
    assert set(refused.value.message_dict) == {"recipient_name", "recipient_id_number"}
    assert unchanged(filing)


def test_an_organisation_without_an_agent_on_the_filing_cannot_collect_at_the_window():
    filing = issued(applicant=COMPANY)
    representative = resident_id("35010219700101123")
    with pytest.raises(ValidationError) as refused:
        services.hand_over(
            filing_id=filing.pk,
            actor=desk(filing),
            recipient_name=COMPANY.legal_representative,
            recipient_id_number=representative,
        )
    assert "recipient_id_number" in refused.value.message_dict
    assert unchanged(filing)


def test_posting_records_the_parcel_and_closes_the_filing():
    filing = issued()
    delivery = services.post(filing_id=filing.pk, actor=desk(filing), **PARCEL)
    delivery.refresh_from_db()
    assert delivery.method == DeliveryMethod.POST
    assert delivery.recipient_role == RecipientRole.APPLICANT
    assert {name: getattr(delivery, name) for name in PARCEL} == PARCEL
    filing.refresh_from_db()
    assert filing.state == FilingState.CLOSED
    assert [e.transition for e in history_of(filing).filter(transition__in=["deliver", "close"])] == [
        "deliver",
        "close",
    ]
    assert all(e.context["method"] == "post" for e in history_of(filing).filter(transition="deliver"))


def test_a_parcel_names_each_missing_field():
    filing = issued()
    with pytest.raises(ValidationError) as refused:
        services.post(
            filing_id=filing.pk,
            actor=desk(filing),
            recipient_name="",
            phone=" ",
            address="",
            carrier=None,
            tracking_number="",
        )
    assert set(refused.value.message_dict) == set(PARCEL)
    with pytest.raises(ValidationError) as refused:
        services.post(filing_id=filing.pk, actor=desk(filing), **{**PARCEL, "tracking_number": ""})
    assert set(refused.value.message_dict) == {"tracking_number"}
    assert unchanged(filing)


def test_results_handed_over_at_the_window_only_are_not_posted():
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    make_seal(department)
    item = certificate_item(department, postal_delivery_supported=False)
    filing = decide_all(accept_filing(make_filing(items=[item], centre=centre)))
    issue(filing)
    with pytest.raises(ValidationError) as refused:
        services.post(filing_id=filing.pk, actor=desk(filing), **PARCEL)
    assert item.name in refused.value.message_dict["address"][0]
    assert unchanged(filing)


def test_documents_are_delivered_once():
    filing = issued()
    services.hand_over(
        filing_id=filing.pk,
        actor=desk(filing),
        recipient_name="张三",
        recipient_id_number=PERSON.id_number,
    )
    with pytest.raises(Conflict, match="delivered already"):
        services.post(filing_id=filing.pk, actor=desk(filing), **PARCEL)
    with pytest.raises(Conflict, match="delivered already"):
        services.hand_over(
            filing_id=filing.pk,
            actor=desk(filing),
            recipient_name="张三",
            recipient_id_number=PERSON.id_number,
        )
    assert Delivery.objects.filter(filing=filing).count() == 1
    assert history_of(filing).filter(transition="deliver").count() == 1


def test_nothing_is_delivered_before_it_is_issued():
    filing = ready_filing()
    with pytest.raises(Conflict, match="Nothing has been issued"):
        services.hand_over(
            filing_id=filing.pk,
            actor=desk(filing),
            recipient_name="张三",
            recipient_id_number=PERSON.id_number,
        )
    with pytest.raises(Conflict, match="Nothing has been issued"):
        services.post(filing_id=filing.pk, actor=desk(filing), **PARCEL)
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE
    assert not Delivery.objects.exists()


def test_a_bundle_of_two_departments_is_handed_over_in_one_delivery():
    centre = ServiceCentreFactory()
    departments = [DepartmentFactory(centre=centre) for _ in range(2)]
    for department in departments:
        make_seal(department)
    items = [certificate_item(d) for d in departments]
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    filing = decide_all(accept_filing(make_filing(bundle=bundle)))
    documents = issue(filing)
    assert {d.department_id for d in documents} == {d.pk for d in departments}

    delivery = services.hand_over(
        filing_id=filing.pk,
        actor=desk(filing),
        recipient_name="张三",
        recipient_id_number=PERSON.id_number,
    )
    assert Delivery.objects.get() == delivery and delivery.filing_id == filing.pk
    assert set(IssuedDocument.objects.values_list("filing_id", flat=True)) == {filing.pk}
    filing.refresh_from_db()
    assert filing.state == FilingState.CLOSED
    assert history_of(filing).filter(transition="deliver").count() == 1
