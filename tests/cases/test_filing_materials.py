"""Recording the checklist: several materials at once, or with the decision itself — all or nothing,
every error named at once; and what a window transaction costs in SQL statements."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases import services
from apps.cases.codes import FilingState, MaterialStatus
from apps.cases.models import Case, Filing
from apps.catalogue import services as catalogue
from apps.catalogue.codes import MaterialForm, Necessity
from apps.catalogue.services import ItemChildren
from apps.licences.models import ElectronicCertificate, LicenceType
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, at_window, comprehensive_window, make_filing, window_clerk
from tests.factories.catalogue import BundleFactory, MaterialFactory, make_item

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 10, 0)
Record = services.MaterialRecord


def requirement(material, *, e_certificate=False):
    return {
        "material": material,
        "original_count": 1,
        "copy_count": 0,
        "necessity": Necessity.REQUIRED,
        "form": MaterialForm.PAPER,
        "e_certificate_accepted": e_certificate,
    }


def filing_of(*requirements):
    return make_filing(children=ItemChildren(materials=list(requirements), steps=[{"name": "受理"}]))


def statuses(filing):
    return dict(filing.checklist.values_list("material__name", "status"))


def test_several_materials_are_recorded_at_once():
    id_card, lease = MaterialFactory(name="身份证"), MaterialFactory(name="租赁合同")
    filing = filing_of(requirement(id_card), requirement(lease))
    services.record_materials(
        **at_window(filing),
        filing_id=filing.pk,
        records=[
            Record(id_card.pk, MaterialStatus.ORIGINAL),
            Record(lease.pk, MaterialStatus.COPY, note="复印件加盖公章"),
        ],
    )
    assert statuses(filing) == {"身份证": MaterialStatus.ORIGINAL, "租赁合同": MaterialStatus.COPY}
    assert filing.checklist.get(material=lease).note == "复印件加盖公章"


def test_one_bad_record_refuses_them_all_and_names_every_error():
    licence = LicenceType.objects.create(code="BL", name="营业执照")
    id_card = MaterialFactory(name="身份证")
    lease = MaterialFactory(name="租赁合同")
    permit = MaterialFactory(name="营业执照", licence_type=licence)
    filing = filing_of(requirement(id_card), requirement(lease), requirement(permit, e_certificate=True))
    with pytest.raises(ValidationError) as refused:
        services.record_materials(
            **at_window(filing),
            filing_id=filing.pk,
            records=[
                Record(id_card.pk, MaterialStatus.ORIGINAL),
                Record(lease.pk, MaterialStatus.E_CERTIFICATE),  # no e-certificate can stand in for it
                Record(permit.pk, MaterialStatus.E_CERTIFICATE),  # which certificate? not said
                Record(lease.pk, "stolen"),
            ],
        )
    errors = refused.value.message_dict
    assert errors["status"] == [
        "租赁合同 不能以电子证照替代。",
        "租赁合同：“stolen”不是窗口可登记的收件状态。",
    ]
    assert errors["certificate_reference"] == ["申请人在电子证照库中没有有效的营业执照。"]
    assert set(statuses(filing).values()) == {MaterialStatus.PENDING}  # nothing recorded


def test_an_e_certificate_the_applicant_holds_replaces_the_paper():
    """免证可办: the library has the applicant's valid 营业执照; naming it (or it alone) satisfies it."""
    licence = LicenceType.objects.create(code="BL", name="营业执照")
    permit = MaterialFactory(name="营业执照", licence_type=licence)
    filing = filing_of(requirement(permit, e_certificate=True))

    def certificate(number, **dates):
        return ElectronicCertificate.objects.create(
            identifier=f"1.2.156.3005.2.BL.ISSUER.{number}.001.X",
            licence_type=licence,
            number=number,
            holder_name="张三",
            holder_code=filing.applicant_id_number,
            issuer="示范市市场监督管理局",
            issued_on=dt.date(2024, 1, 5),
            valid_from=dt.date(2024, 1, 5),
            **dates,
        )

    def replace(reference=""):
        services.record_materials(
            **at_window(filing),
            filing_id=filing.pk,
            records=[Record(permit.pk, MaterialStatus.E_CERTIFICATE, certificate_reference=reference)],
        )

    certificate("BL-2020-9", valid_until=dt.date(2024, 12, 31))  # expired: not held
    with pytest.raises(ValidationError, match="没有有效的营业执照"):
        replace()
    certificate("BL-2024-1")
    with pytest.raises(ValidationError, match="BL-2020-9"):  # expired, so not one of theirs
        replace("BL-2020-9")
    replace()
    entry = filing.checklist.get(material=permit)
    assert (entry.status, entry.certificate_reference) == (MaterialStatus.E_CERTIFICATE, "BL-2024-1")


@time_machine.travel(TODAY, tick=False)
def test_accepting_with_the_checklist_records_it_in_the_same_transaction():
    id_card, lease = MaterialFactory(name="身份证"), MaterialFactory(name="租赁合同")
    filing = filing_of(requirement(id_card), requirement(lease))
    with pytest.raises(ValidationError) as refused:  # the lease is still missing
        services.accept(
            **at_window(filing),
            filing_id=filing.pk,
            materials=[Record(id_card.pk, MaterialStatus.ORIGINAL)],
        )
    assert refused.value.message_dict["checklist"] == ["租赁合同尚未提交。"]
    # The refused decision recorded nothing either: one transaction.
    assert statuses(filing) == {"身份证": MaterialStatus.PENDING, "租赁合同": MaterialStatus.PENDING}

    services.accept(
        **at_window(filing),
        filing_id=filing.pk,
        materials=[Record(id_card.pk, MaterialStatus.ORIGINAL), Record(lease.pk, MaterialStatus.ELECTRONIC)],
    )
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED
    assert statuses(filing) == {"身份证": MaterialStatus.ORIGINAL, "租赁合同": MaterialStatus.ELECTRONIC}
    notice = filing.notices.get()
    assert [r["material"] for r in notice.content["received"]] == ["身份证", "租赁合同"]


def test_the_api_records_a_list_and_names_unknown_codes(client):
    centre = ServiceCentreFactory()
    id_card = MaterialFactory(name="身份证")
    item = make_item(
        department=DepartmentFactory(centre=centre),
        children=ItemChildren(materials=[requirement(id_card)], steps=[{"name": "受理"}]),
    )
    window = comprehensive_window(centre)
    filing = make_filing(items=[item], window=window)
    client.force_login(make_staff(Role.CLERK, centre=centre, window=window))
    url = reverse("filing-materials", args=[filing.pk])
    unknown = client.post(
        url,
        {
            "materials": [
                {"material": id_card.code, "status": "original"},
                {"material": "NOPE", "status": "copy"},
            ]
        },
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "NOPE" in str(unknown.json())
    assert statuses(filing) == {"身份证": MaterialStatus.PENDING}
    empty = client.post(url, {"materials": []}, content_type="application/json")
    assert empty.status_code == 400 and "materials" in empty.json()
    done = client.post(
        url,
        {"materials": [{"material": id_card.code, "status": "original"}]},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["checklist"][0]["status"] == "original"


def _bundle_of(n: int):
    centre = ServiceCentreFactory()
    items = [make_item(department=DepartmentFactory(centre=centre)) for _ in range(n)]
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    return bundle


def _window_transaction(*, bundle=None, items=None) -> tuple[int, int]:
    """Statements to open a filing and to accept it with its checklist (warm caches)."""
    centre = bundle.centre if bundle else items[0].lineage.centre
    window = comprehensive_window(centre)
    clerk = window_clerk(window)
    with CaptureQueriesContext(connection) as opening:
        filing = services.open_filing(
            centre=centre,
            applicant=COMPANY,
            item_ids=[i.pk for i in items] if items else None,
            bundle=bundle,
            actor=clerk,
            window=window,
        )
    received = [Record(e.material_id, MaterialStatus.ORIGINAL) for e in filing.checklist.all()]
    with CaptureQueriesContext(connection) as accepting:
        services.accept(filing_id=filing.pk, actor=clerk, window=window, materials=received)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ACCEPTED
    return _statements(opening), _statements(accepting)


def _statements(captured) -> int:
    # The test runs inside a transaction, so each service's atomic() is a savepoint here; in a hall
    # it is the transaction itself (BEGIN/COMMIT, which are not statements of ours either).
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


@time_machine.travel(TODAY, tick=False)
def test_a_window_transaction_costs_the_same_statements_for_one_item_or_a_bundle_of_three():
    single = make_item(department=DepartmentFactory())
    _window_transaction(items=[single])  # warm: calendar loaded, content types cached
    one = _window_transaction(items=[make_item(department=DepartmentFactory(centre=single.lineage.centre))])
    three = _window_transaction(bundle=_bundle_of(3))
    # Opening: the clerk's windows at the centre, items, their requirements, the number, the filing,
    # its items, its checklist (+ the bundle's entries for a bundle), its first log line. Accepting:
    # lock, the clerk's windows, checklist, the checklist UPDATE, the log (with the checklist as
    # recorded), the filing, its items, the calendar version, the clocks, the cases, the notice
    # number, the notice, the SMS to the company's contact's mobile.
    assert one == (8, 13)
    assert three == (10, 13)
    assert Case.objects.count() == 1 + 1 + 3
