import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind, FilingState
from apps.cases.models import Filing
from apps.catalogue import services as catalogue
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import COMPANY, PERSON, make_filing
from tests.factories.catalogue import (
    BundleFactory,
    LicenceTypeFactory,
    MaterialFactory,
    default_children,
    make_item,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
def test_filing_numbers_are_implementation_code_date_and_a_gap_free_daily_serial():
    centre = ServiceCentreFactory()
    item = make_item(department=DepartmentFactory(centre=centre))
    first, second = make_filing(items=[item]), make_filing(items=[item])
    assert first.number == f"{item.implementation_code}202611230001"
    assert second.number == f"{item.implementation_code}202611230002"
    assert first.state == FilingState.DRAFT
    other_centre = make_filing()
    assert other_centre.number.endswith("202611230001")


def test_a_filing_pins_the_version_it_was_filed_under():
    item = make_item()
    filing = make_filing(items=[item])
    draft = catalogue.start_new_version(lineage_id=item.lineage_id)
    catalogue.update_draft(item_id=draft.pk, values={"promised_limit_days": 2})
    catalogue.submit_for_review(item_id=draft.pk)
    catalogue.publish(item_id=draft.pk)
    assert list(filing.items.values_list("item_id", flat=True)) == [item.pk]


def test_a_bundle_filing_asks_for_each_material_once_and_not_for_what_it_produces():
    centre = ServiceCentreFactory()
    licence = LicenceTypeFactory(name="营业执照")
    shared, business_licence = (
        MaterialFactory(name="法定代表人身份证明"),
        MaterialFactory(name="营业执照", licence_type=licence),
    )
    registration = make_item(
        department=DepartmentFactory(centre=centre),
        result_licence_type=licence,
        children=default_children([shared]),
    )
    food = make_item(
        department=DepartmentFactory(centre=centre), children=default_children([shared, business_licence])
    )
    health = make_item(
        department=DepartmentFactory(centre=centre), children=default_children([business_licence])
    )
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    catalogue.save_bundle(
        values={},
        lineage_ids=[registration.lineage_id, food.lineage_id, health.lineage_id],
        bundle_id=bundle.pk,
    )
    catalogue.publish_bundle(bundle_id=bundle.pk)
    filing = make_filing(bundle=bundle, applicant=COMPANY)
    entries = {e.material: e for e in filing.checklist.all()}
    assert set(entries) == {shared, business_licence}
    assert entries[business_licence].produced_by == registration
    assert filing.items.count() == 3


def test_only_items_the_centre_offers_can_be_filed():
    item = make_item()
    with pytest.raises(ValidationError) as exc:
        make_filing(items=[item], centre=ServiceCentreFactory())
    assert "items" in exc.value.message_dict
    draft = make_item(publish_it=False)
    with pytest.raises(ValidationError):
        make_filing(items=[draft])
    assert not Filing.objects.exists()


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        (ApplicantData(kind=ApplicantKind.PERSON, name="张三", id_number="110105194912310021"), "id_number"),
        (ApplicantData(kind=ApplicantKind.PERSON, name="张三", id_number="11010519491331002X"), "id_number"),
        (
            ApplicantData(
                kind=ApplicantKind.ORGANISATION,
                name="某公司",
                id_number="91350100M000100Y44",
                legal_representative="李四",
            ),
            "id_number",
        ),
        (
            ApplicantData(kind=ApplicantKind.ORGANISATION, name="某公司", id_number="91350100M000100Y43"),
            "legal_representative",
        ),
        (ApplicantData(kind=ApplicantKind.PERSON, name="", id_number="11010519491231002X"), "name"),
        (
            ApplicantData(
                kind=ApplicantKind.PERSON,
                name="张三",
                id_number="11010519491231002X",
                agent_name="赵六",
                agent_id_number="110105194912310021",
            ),
            "agent_id_number",
        ),
    ],
)
def test_bad_identities_are_refused_by_field_and_nothing_is_saved(applicant, field):
    with pytest.raises(ValidationError) as exc:
        make_filing(applicant=applicant)
    assert field in exc.value.message_dict
    assert not Filing.objects.exists()


def test_identity_numbers_are_normalised_and_masked():
    filing = make_filing(applicant=ApplicantData(**{**PERSON.__dict__, "id_number": "11010519491231002x"}))
    assert filing.applicant_id_number == "11010519491231002X"
    assert filing.masked_id_number == "110105********002X"
    assert filing.masked_phone == "138****3210"
