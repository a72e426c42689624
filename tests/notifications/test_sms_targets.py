"""SMS goes to a mainland mobile number: the applicant's own (a person's), else the contact's, else
the agent's. An organisation's landline is never texted."""

import dataclasses

import pytest

from apps.accounts.roles import Role
from apps.cases.messages import tell_applicant
from apps.cases.review import services as review
from apps.notifications.models import Channel, Outbox
from apps.notifications.phones import is_mobile
from apps.notifications.services import Recipient, notify
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import COMPANY, PERSON, accept_filing, make_filing
from tests.factories.catalogue import make_item

pytestmark = pytest.mark.django_db
LANDLINE = "0591-87654321"


def texted(event: str) -> list[str]:
    return list(Outbox.objects.filter(event=event, channel=Channel.SMS).values_list("address", flat=True))


@pytest.mark.parametrize(
    ("number", "mobile"),
    [
        ("13812343210", True),
        ("+86 139-0000-1111", True),
        ("8613900001111", True),
        ("19912345678", True),
        ("12812343210", False),  # 12x is no mobile prefix
        ("1381234321", False),
        (LANDLINE, False),
        ("010 6512 3456", False),
        ("", False),
    ],
)
def test_what_is_a_mobile_number(number, mobile):
    assert is_mobile(number) is mobile


def test_a_correction_request_texts_the_contact_not_the_companys_landline():
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    company = dataclasses.replace(COMPANY, phone=LANDLINE, contact_phone="13900001111")
    item = make_item(department=department)
    filing = accept_filing(make_filing(items=[item], applicant=company))
    case = filing.cases.get()
    review.claim(case_id=case.pk, actor=approver)
    review.request_correction(case_id=case.pk, actor=approver, items=[{"material": None, "what": "补签名"}])
    assert texted("accepted") == ["13900001111"]
    assert texted("correction_requested") == ["13900001111"]


def test_the_agents_mobile_when_the_contact_has_none():
    company = dataclasses.replace(
        COMPANY,
        phone=LANDLINE,
        contact_phone="0591-88880000",
        agent_name="赵六",
        agent_id_number="11010519491231002X",
        agent_phone="13700002222",
    )
    filing = make_filing(applicant=company)
    tell_applicant(filing, "accepted", due_on="2026-10-09")
    assert texted("accepted") == ["13700002222"]


def test_a_persons_own_mobile_first_and_no_sms_without_any_mobile():
    person = dataclasses.replace(PERSON, phone="13812343210", agent_phone="13700002222")
    tell_applicant(make_filing(applicant=person), "accepted", due_on="2026-10-09")
    assert texted("accepted") == ["13812343210"]
    Outbox.objects.all().delete()
    landlines = dataclasses.replace(COMPANY, phone=LANDLINE, contact_phone="010-65123456")
    tell_applicant(make_filing(applicant=landlines), "accepted", due_on="2026-10-09")
    assert texted("accepted") == []


def test_the_outbox_never_texts_a_landline():
    rows = notify("decided", [Recipient(phone=LANDLINE, email="a@example.cn")], context={})
    assert [r.channel for r in rows] == [Channel.EMAIL]
