"""The outbox: messages written with their events, delivered by channel with their idempotency key,
retried with backoff, never lost."""

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail

from apps.notifications.models import Channel, MessageTemplate, Outbox, OutboxState, SiteMessage
from apps.notifications.services import Recipient, backoff, deliver_due, notify, render
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def recorded_sms(settings, tmp_path):
    settings.HALL_SMS_GATEWAY = "apps.notifications.channels.RecordingSmsGateway"
    settings.HALL_SMS_RECORD_FILE = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


def sms_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_one_row_per_channel_delivered_with_its_key(recorded_sms):
    MessageTemplate.objects.update_or_create(
        event="decided",
        language="zh-hans",
        defaults={"subject": "审批结果", "body": "{{ filing_number }}：{{ outcome }}"},
    )
    user = UserFactory()
    rows = notify(
        "decided",
        [Recipient(user_id=user.pk, phone="13812343210", email="zhang@example.cn")],
        context={"filing_number": "F-1", "outcome": "准予许可"},
        concerns="cases.filing:1",
    )
    assert sorted(r.channel for r in rows) == [Channel.EMAIL, Channel.SITE, Channel.SMS]
    run = deliver_due()
    assert (run.sent, run.retried, run.failed) == (3, 0, 0)
    assert set(Outbox.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    site = SiteMessage.objects.get(user=user)
    assert (site.subject, site.body) == ("审批结果", "F-1：准予许可")
    sms = Outbox.objects.get(channel=Channel.SMS)
    assert sms_lines(recorded_sms) == [
        {"key": str(sms.key), "phone": "13812343210", "text": "【审批结果】F-1：准予许可"}
    ]
    email = Outbox.objects.get(channel=Channel.EMAIL)
    [message] = mail.outbox
    assert message.extra_headers["X-Hall-Idempotency-Key"] == str(email.key)
    assert deliver_due().sent == 0  # nothing left


def test_a_repeated_delivery_of_an_in_site_message_does_not_duplicate_it():
    from apps.notifications import channels

    user = UserFactory()
    [row] = notify("decided", [Recipient(user_id=user.pk)], context={})
    for _ in range(2):
        channels.send_site(key=row.key, user_id=user.pk, subject="s", body="b")
    assert SiteMessage.objects.filter(user=user).count() == 1


def test_a_failing_gateway_is_retried_with_backoff_until_it_delivers(settings, recorded_sms):
    settings.HALL_SMS_GATEWAY = "tests.notifications.gateways.FlakySmsGateway"
    [row] = notify("decided", [Recipient(phone="13812343210")], context={})
    start = dt.datetime(2030, 1, 7, 2, 0, tzinfo=dt.UTC)  # after the row was written
    with time_machine.travel(start, tick=False):
        assert deliver_due().retried == 1
        row.refresh_from_db()
        assert (row.state, row.attempts, row.next_attempt_at) == (OutboxState.PENDING, 1, start + backoff(1))
        assert deliver_due().sent == 0  # not due yet
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert deliver_due().retried == 1
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        assert deliver_due().sent == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxState.SENT, 3)
    assert [line["key"] for line in sms_lines(recorded_sms)] == [str(row.key)]


def test_attempts_exhausted_mark_the_message_failed(settings):
    settings.HALL_SMS_GATEWAY = "tests.notifications.gateways.FlakySmsGateway"
    settings.HALL_NOTIFY_MAX_ATTEMPTS = 2
    [row] = notify("decided", [Recipient(phone="13900001111")], context={})
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC), tick=False):
        deliver_due()
    with time_machine.travel(dt.datetime(2030, 1, 2, tzinfo=dt.UTC), tick=False):
        assert deliver_due().failed == 1
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED and "unavailable" in row.last_error


def test_templates_are_editable_and_english_is_there_too():
    assert render("accepted", "en", {"filing_number": "F-9", "due_on": "2026-10-09"})[1] == (
        "Your filing F-9 has been accepted; it will be decided by 2026-10-09."
    )
    template = MessageTemplate.objects.get(event="accepted", language="zh-hans")
    template.body = "受理了：{{ filing_number }}"
    template.save()
    assert render("accepted", "zh-hans", {"filing_number": "F-9"})[1] == "受理了：F-9"
