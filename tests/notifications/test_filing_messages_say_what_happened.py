"""The applicant's messages say what actually happened: a decided filing is not yet done (办结); a
closed one says which documents went to whom, or how they were posted, and promises e-certificates
only when a certificate was issued."""

import datetime as dt

import pytest
import time_machine

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.models import Outcome
from apps.certificates import services
from apps.certificates.models import IssuedDocument
from apps.notifications.models import Channel, Outbox
from apps.notifications.services import render
from tests.factories import make_staff
from tests.factories.cases import PERSON
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db
AGENT_ID = "35010219850612301" + resident_id_check_char("35010219850612301")
WITH_AGENT = ApplicantData(
    kind=ApplicantKind.PERSON,
    name="张三",
    id_number=PERSON.id_number,
    phone=PERSON.phone,
    agent_name="赵六",
    agent_id_number=AGENT_ID,
    agent_phone="13700002222",
)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        yield


def said(filing, event: str, language: str = "zh-hans") -> str:
    row = Outbox.objects.get(event=event, channel=Channel.SMS, subject_ref=f"cases.filing:{filing.pk}")
    subject, body = render(event, language, row.context)
    return f"【{subject}】{body}"


def test_a_decided_filing_is_not_told_it_is_done_before_anything_is_issued():
    filing = ready_filing()
    text = said(filing, "ready_for_issue")
    assert "办结" not in text
    assert "出证后将另行通知" in text
    assert "decided" in said(filing, "ready_for_issue", "en") and "collect" not in said(
        filing, "ready_for_issue", "en"
    )


def test_the_agent_collecting_a_certificate_is_named_with_the_documents():
    filing = ready_filing(applicant=WITH_AGENT)
    [document] = issue(filing)
    services.hand_over(
        filing_id=filing.pk,
        actor=make_staff(Role.ISSUER, centre=filing.centre),
        recipient_name="赵六",
        recipient_id_number=AGENT_ID,
    )
    text = said(filing, "closed")
    assert f"已办结：{document.content['title']}（{document.number}）已由代理人赵六在出证窗口领取。" in text
    assert "电子证照已归集" in text
    assert "your agent 赵六" in said(filing, "closed", "en")


def test_a_posted_denial_says_the_parcel_and_promises_no_e_certificate():
    filing = ready_filing(outcome=Outcome.DENY)
    issue(filing)
    services.post(
        filing_id=filing.pk,
        actor=make_staff(Role.ISSUER, centre=filing.centre),
        recipient_name="张三",
        phone="13812343210",
        address="福建省福州市鼓楼区示范路1号",
        carrier="中国邮政EMS",
        tracking_number="1234567890123",
    )
    denial = IssuedDocument.objects.get(filing=filing)
    text = said(filing, "closed")
    assert f"{denial.number}）已交中国邮政EMS寄出，运单号 1234567890123。" in text
    assert "电子证照" not in text
