"""The 办结 message (``closed``, in-site and by SMS) ends with the filing's rating link (好差评), marked
as reached by SMS; a template an admin has edited is left as it is."""

import datetime as dt
import importlib
from urllib.parse import urlsplit

import pytest
import time_machine
from django.apps import apps
from django.urls import resolve

from apps.accounts.roles import Role
from apps.cases.rating_links import read_token
from apps.certificates import services
from apps.notifications.models import Channel, MessageTemplate, Outbox
from apps.notifications.services import render
from tests.factories import make_staff
from tests.factories.cases import PERSON
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db
BASE = "https://hall.example.gov.cn"
migration = importlib.import_module("apps.notifications.migrations.0008_closed_message_rating_link")


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.HALL_PUBLIC_BASE_URL = BASE


def closed_sms(filing, language="zh-hans") -> str:
    row = Outbox.objects.get(event="closed", channel=Channel.SMS, subject_ref=f"cases.filing:{filing.pk}")
    return render("closed", language, row.context)[1]


def closed_filing():
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        filing = ready_filing()
        issue(filing)
        services.hand_over(
            filing_id=filing.pk,
            actor=make_staff(Role.ISSUER, centre=filing.centre),
            recipient_name="张三",
            recipient_id_number=PERSON.id_number,
        )
    return filing


def test_the_closed_sms_ends_with_the_filings_rating_link_marked_as_sms():
    filing = closed_filing()
    text = closed_sms(filing)
    assert "电子证照已归集" in text and "欢迎对本次服务进行评价：" in text
    url = text.rsplit("：", 1)[1]
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE and parts.query == "via=sms"
    match = resolve(parts.path)
    assert match.view_name == "feedback:rate" and read_token(match.kwargs["token"]) == filing.pk
    assert f"Please rate our service: {url}" in closed_sms(filing, "en")


def test_a_closed_template_an_admin_edited_keeps_its_wording():
    edited = "您的申请 {{ filing_number }} 已办结，谢谢。"
    MessageTemplate.objects.filter(event="closed", language="zh-hans").update(body=edited)
    migration.reword(apps, None)
    assert MessageTemplate.objects.get(event="closed", language="zh-hans").body == edited
    # and one as 0005 left it gains the link, undone by the reverse
    MessageTemplate.objects.filter(event="closed", language="zh-hans").update(body=migration.CLOSED_ZH)
    migration.reword(apps, None)
    assert MessageTemplate.objects.get(event="closed", language="zh-hans").body.endswith("{% endif %}")
    assert "rating_url" in MessageTemplate.objects.get(event="closed", language="zh-hans").body
    migration.restore(apps, None)
    assert MessageTemplate.objects.get(event="closed", language="zh-hans").body == migration.CLOSED_ZH
