"""The demo citizen's online hall: 张三's account verified at a window, the restaurant company he is
the legal representative of, and that company's property deed in the e-certificate library.

So that the online hall can be walked at once after ``make run``: 张三 logs in (or by an SMS code, the
development SMS gateway writing it to ``HALL_SMS_RECORD_FILE``), files the 我要开饭店 bundle for his
company, and the wizard offers the company's 不动产权证书 in place of the premises' proof (免证).

Through the services, as the hall's people would: the demo clerk verifies the account at window A01,
张三 adds the company. Idempotent: each step is skipped when already done.
"""

from __future__ import annotations

import datetime as dt

from apps.accounts.models import (
    AuthorisationKind,
    OrganisationAuthorisation,
    RealNameLevel,
    ServiceCentre,
    Window,
)
from apps.accounts.roles import Role
from apps.certificates.identifiers import Identifier
from apps.demo.seeding.organisation import demo_account
from apps.licences.models import ElectronicCertificate, LicenceType

# The demo citizen (apps.demo.seeding.organisation.DEMO_USERS) and the phone his SMS codes go to.
CITIZEN_PHONE = "13812343210"
CITIZEN_ID_NUMBER = "11010519491231002X"

# A restaurant company of which 张三 is the legal representative (a valid GB 32100 code, with a valid
# GB 11714 organisation code inside, that belongs to no real body).
RESTAURANT = {"name": "示范三味餐饮有限公司", "credit_code": "91350100M000202Y20"}

# The company owns its premises: the deed is in the library, so an item asking for the premises'
# proof (经营场所使用证明, which a 不动产权证书 replaces) needs no upload.
PREMISES_DEED = {
    "type_name": "不动产权证书",
    "number": "闽（2024）示范市不动产权第0012345号",
    "issued_by": "示范市不动产登记中心",
    "authority_code": "12350100003001068F",
    "serial": "20240012345",
    "issued_on": dt.date(2024, 3, 1),
}


def seed_citizen(centre_name: str) -> dict:
    """Verify 张三 at the city's window A01, make him his company's legal representative, and put the
    company's property deed in the library. Returns what the demo's output tells the developer."""
    from apps.citizens import services as citizens

    citizen = demo_account(Role.CITIZEN)
    if citizen.phone != CITIZEN_PHONE:
        citizen.phone = CITIZEN_PHONE
        citizen.save(update_fields=["phone"])
    if citizen.real_name_level != RealNameLevel.VERIFIED:
        centre = ServiceCentre.objects.get(name=centre_name)
        citizens.verify_real_name(
            user_id=citizen.pk,
            id_number=CITIZEN_ID_NUMBER,
            actor=demo_account(Role.CLERK),
            window=Window.objects.get(centre=centre, number="A01"),
        )
    held = OrganisationAuthorisation.objects.filter(
        user=citizen, credit_code=RESTAURANT["credit_code"], revoked_at__isnull=True
    )
    if not held.exists():
        citizens.add_organisation(
            user=citizen,
            organisation_name=RESTAURANT["name"],
            credit_code=RESTAURANT["credit_code"],
            kind=AuthorisationKind.LEGAL_REPRESENTATIVE,
            valid_from=dt.date(2024, 1, 1),
        )
    deed = _premises_deed()
    return {"account": citizen, "organisation": RESTAURANT["name"], "certificate": deed}


def _premises_deed() -> ElectronicCertificate:
    deed = PREMISES_DEED
    licence_type = LicenceType.objects.get(name=deed["type_name"])
    identifier = Identifier(licence_type.code, deed["authority_code"], deed["serial"])
    certificate, _ = ElectronicCertificate.objects.get_or_create(
        licence_type=licence_type,
        number=deed["number"],
        # Keyword arguments, not a dict: a field named like a role is not a role's spelling.
        defaults=dict(
            identifier=str(identifier),
            holder_name=RESTAURANT["name"],
            holder_code=RESTAURANT["credit_code"],
            issuer=deed["issued_by"],
            issued_on=deed["issued_on"],
            valid_from=deed["issued_on"],
            valid_until=None,
        ),
    )
    return certificate
