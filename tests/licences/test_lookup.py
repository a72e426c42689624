"""The e-certificate library lookup (电子证照库): a holder's certificates that stand today."""

import datetime as dt

import pytest

from apps.licences.lookup import valid_certificates
from apps.licences.models import CertificateStatus, ElectronicCertificate, LicenceType

pytestmark = pytest.mark.django_db
HOLDER = "91350100M000100Y43"
TODAY = dt.date(2026, 9, 24)


def certificate(licence, number, holder=HOLDER, **fields):
    values = {"valid_from": dt.date(2026, 1, 1), "issued_on": dt.date(2026, 1, 1), **fields}
    return ElectronicCertificate.objects.create(
        identifier=f"1.2.156.3005.2.{licence.code}.I.{number}.001.X",
        licence_type=licence,
        number=number,
        holder_name="示范餐饮有限公司",
        holder_code=holder,
        issuer="示范市市场监督管理局",
        **values,
    )


def test_only_valid_started_unexpired_certificates_of_the_holder_count():
    business, food = (
        LicenceType.objects.create(code="BL", name="营业执照"),
        LicenceType.objects.create(code="FB", name="食品经营许可证"),
    )
    certificate(business, "BL-1")
    certificate(food, "FB-1", valid_until=dt.date(2031, 1, 1))
    certificate(food, "FB-0", valid_until=dt.date(2026, 9, 23))  # expired yesterday
    certificate(food, "FB-2", valid_from=dt.date(2026, 10, 1))  # not started
    certificate(business, "BL-9", status=CertificateStatus.REVOKED)
    certificate(business, "BL-X", holder="91350100M000200Y49")  # someone else's
    held = valid_certificates(HOLDER.lower(), on=TODAY)
    assert [(c.type_name, c.number) for c in held] == [("营业执照", "BL-1"), ("食品经营许可证", "FB-1")]
    assert valid_certificates("", on=TODAY) == []
