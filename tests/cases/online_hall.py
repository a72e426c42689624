"""A small online hall for the tests of the citizen's side of a filing: a centre with one item asking
for an identity card (required), a business licence (required, replaceable by the e-certificate
营业执照), a lease (容缺后补) and a photo (optional); a citizen 张三 with a verified identity, and the
company 示范餐饮 he may act for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation, User, Window
from apps.accounts.roles import Role
from apps.cases import online
from apps.cases.codes import MaterialStatus
from apps.catalogue.codes import MaterialForm, Necessity
from apps.catalogue.services import ItemChildren
from apps.licences.models import ElectronicCertificate, LicenceType
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, MINIMAL_PDF, PERSON, comprehensive_window
from tests.factories.catalogue import MaterialFactory, make_item


def requirement(material, necessity=Necessity.REQUIRED, *, e_certificate=False):
    return {
        "material": material,
        "original_count": 1,
        "copy_count": 0,
        "necessity": necessity,
        "form": MaterialForm.PAPER,
        "e_certificate_accepted": e_certificate,
    }


@dataclass
class Hall:
    centre: object
    item: object
    id_card: object
    licence: object
    lease: object
    photo: object
    licence_type: LicenceType
    window: Window
    clerk: User
    citizen: User

    def citizen_account(self, username: str, *, id_number: str, name: str) -> User:
        return make_staff(Role.CITIZEN, username=username, id_number=id_number, full_name=name)

    def authorise(self, user, *, kind=AuthorisationKind.LEGAL_REPRESENTATIVE, valid_until=None, **dates):
        return OrganisationAuthorisation.objects.create(
            user=user,
            organisation_name=COMPANY.name,
            credit_code=COMPANY.id_number,
            kind=kind,
            valid_from=dates.get("valid_from", dt.date(2020, 1, 1)),
            valid_until=valid_until,
        )

    def verify(self, authorisation: OrganisationAuthorisation) -> OrganisationAuthorisation:
        """The hall's clerk checks the authorisation against its letter at the window: from then on
        its account reads the organisation's filings made by others."""
        from apps.citizens.services import verify_authorisation

        return verify_authorisation(authorisation_id=authorisation.pk, actor=self.clerk, window=self.window)

    def certificate(self, holder_code: str, number: str = "BL-2024-1", **dates) -> ElectronicCertificate:
        return ElectronicCertificate.objects.create(
            identifier=f"1.2.156.3005.2.BL.ISSUER.{number}.001.X",
            licence_type=self.licence_type,
            number=number,
            holder_name="示范",
            holder_code=holder_code,
            issuer="示范市市场监督管理局",
            issued_on=dt.date(2024, 1, 5),
            valid_from=dates.get("valid_from", dt.date(2024, 1, 5)),
            valid_until=dates.get("valid_until"),
        )

    def draft(self, citizen=None, **kwargs):
        return online.start_online_filing(
            citizen=citizen or self.citizen, centre=self.centre, item_ids=[self.item.pk], **kwargs
        )


def make_hall() -> Hall:
    centre = ServiceCentreFactory()
    licence_type = LicenceType.objects.create(code="BL", name="营业执照")
    id_card = MaterialFactory(name="身份证")
    licence = MaterialFactory(name="营业执照", licence_type=licence_type)
    lease = MaterialFactory(name="租赁合同")
    photo = MaterialFactory(name="门头照片")
    item = make_item(
        department=DepartmentFactory(centre=centre),
        children=ItemChildren(
            materials=[
                requirement(id_card),
                requirement(licence, e_certificate=True),
                requirement(lease, Necessity.DEFERRABLE),
                requirement(photo, Necessity.OPTIONAL),
            ],
            steps=[{"name": "受理"}, {"name": "审查"}, {"name": "决定"}],
        ),
    )
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    citizen = make_staff(Role.CITIZEN, username="zhangsan", id_number=PERSON.id_number, full_name=PERSON.name)
    citizen.phone = PERSON.phone
    citizen.save(update_fields=["phone"])
    return Hall(centre, item, id_card, licence, lease, photo, licence_type, window, clerk, citizen)


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def upload(filing, material, actor):
    from apps.cases import services

    return services.attach_upload(filing_id=filing.pk, material_id=material.pk, file=pdf(), actor=actor)


def ready(hall: Hall, filing, actor=None):
    """Everything required handed in (files) and the declaration made: ready to submit."""
    actor = actor or hall.citizen
    for material in (hall.id_card, hall.licence):
        if not filing.checklist.filter(material=material, status="e_certificate").exists():
            upload(filing, material, actor)
    online.declare(filing_id=filing.pk, actor=actor)
    return filing


def submittable(filing, citizen):
    """Any online draft made ready to submit as the wizard would: a file for each required material
    that has none and is not replaced by an e-certificate, then the declaration. For tests that only
    need a submitted filing: ``services.submit_online`` right after."""
    from apps.cases import services

    for material_id in [e.material_id for e in online.missing_for_submit(filing)]:
        services.attach_upload(filing_id=filing.pk, material_id=material_id, file=pdf(), actor=citizen)
    online.declare(filing_id=filing.pk, actor=citizen)
    return filing


# --- the window's and the back office's answers, through their services ---


def submitted(hall: Hall, filing, actor=None):
    from apps.cases import services

    ready(hall, filing, actor)
    services.submit_online(filing_id=filing.pk, actor=actor or hall.citizen)
    return filing


def taken(hall: Hall, filing):
    from apps.cases import services

    services.start_pre_review(filing_id=filing.pk, actor=hall.clerk, window=hall.window)
    return filing


def returned(hall: Hall, filing, materials=None):
    """一次性告知 for ``materials`` (the licence by default) and whatever else is outstanding."""
    from apps.cases import services

    records = [
        services.MaterialRecord(m.pk, MaterialStatus.ELECTRONIC)
        for m in (hall.id_card, hall.licence)
        if m not in (materials or [hall.licence])
        and not filing.checklist.filter(material=m, status=MaterialStatus.E_CERTIFICATE).exists()
    ]
    if records:
        services.record_materials(filing_id=filing.pk, records=records, actor=hall.clerk, window=hall.window)
    outstanding = filing.checklist.exclude(
        status__in=[MaterialStatus.ELECTRONIC, MaterialStatus.E_CERTIFICATE]
    ).exclude(necessity=Necessity.OPTIONAL)
    services.return_for_completion(
        filing_id=filing.pk,
        corrections=[{"material": e.material_id, "reason": "请补充"} for e in outstanding],
        actor=hall.clerk,
        window=hall.window,
    )
    filing.refresh_from_db()
    return filing


def accepted(hall: Hall, filing, *, deficiency_until=None):
    """受理 (every material received electronically), or 容缺受理 with the lease to follow."""
    from apps.cases import services

    records = [
        services.MaterialRecord(m.pk, MaterialStatus.ELECTRONIC)
        for m in (hall.id_card, hall.licence, hall.lease)
        if not (deficiency_until and m == hall.lease)
        and not filing.checklist.filter(material=m, status=MaterialStatus.E_CERTIFICATE).exists()
    ]
    acting = {"filing_id": filing.pk, "actor": hall.clerk, "window": hall.window, "materials": records}
    if deficiency_until:
        services.accept_with_deficiency(commitment_date=deficiency_until, **acting)
    else:
        services.accept(**acting)
    filing.refresh_from_db()
    return filing


def corrected(hall: Hall, filing, approver):
    """The back office asks for a correction of the filing's case."""
    from apps.cases.review import services as review

    case = filing.cases.get()
    review.claim(case_id=case.pk, actor=approver)
    return review.request_correction(
        case_id=case.pk, actor=approver, items=[{"material": None, "what": "补充门头照片"}]
    )
