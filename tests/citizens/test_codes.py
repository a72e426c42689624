"""SMS codes: delivered at once through the outbox to the SMS gateway, 5 minutes, one use, 6 wrong
guesses block the number for 30 minutes, at most 5 sends per number an hour (refusal names ``phone``)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.citizens import codes
from apps.citizens.codes import check_code, send_code
from apps.citizens.models import CodePurpose, PhoneCode
from apps.notifications.models import Channel, Outbox, OutboxState
from tests.citizens.conftest import last_code, texts

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def test_a_code_reaches_the_gateway_once_committed_and_only_its_hash_is_stored(
    sms_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_code(phone=PHONE, purpose=CodePurpose.REGISTER, client_ip="203.0.113.5")
    [text] = texts(sms_file)
    code = last_code(sms_file, PHONE)
    assert text["phone"] == PHONE
    assert len(code) == 6
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and row.expires_at - row.created_at == dt.timedelta(minutes=5)
    # SMS only: a code never lands in anyone's in-site inbox.
    outbox = Outbox.objects.get()
    assert (outbox.channel, outbox.state, outbox.user_id) == (Channel.SMS, OutboxState.SENT, None)


def test_the_sms_is_not_sent_before_the_transaction_commits(sms_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_code(phone=PHONE, purpose=CodePurpose.LOGIN)
    assert texts(sms_file) == []
    assert len(callbacks) == 1


def test_a_code_is_good_once(send):
    code = send(PHONE, CodePurpose.REGISTER)
    check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=code)
    with pytest.raises(ValidationError) as refused:
        check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=code)
    assert "code" in refused.value.message_dict


def test_a_code_is_for_its_purpose_only(send):
    code = send(PHONE, CodePurpose.REGISTER)
    with pytest.raises(ValidationError):
        check_code(phone=PHONE, purpose=CodePurpose.RESET, code=code)


def test_a_code_expires_after_five_minutes(send):
    with time_machine.travel(START, tick=False) as traveller:
        code = send(PHONE, CodePurpose.REGISTER)
        traveller.shift(dt.timedelta(minutes=4, seconds=59))
        check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=code)  # still good
        code = send(PHONE, CodePurpose.REGISTER)
        traveller.shift(dt.timedelta(minutes=5, seconds=1))
        with pytest.raises(ValidationError) as refused:
            check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=code)
    assert refused.value.error_dict["code"][0].code == "code_expired"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_six_wrong_guesses_block_the_number_for_thirty_minutes(send):
    with time_machine.travel(START, tick=False) as traveller:
        code = send(PHONE, CodePurpose.REGISTER)
        for _ in range(5):
            with pytest.raises(ValidationError):
                check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=_wrong(code))
        with pytest.raises(ValidationError) as sixth:
            check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=_wrong(code))
        assert sixth.value.error_dict["code"][0].code == "code_blocked"
        until = timezone.localtime(START + dt.timedelta(minutes=30)).strftime("%H:%M")
        assert until in sixth.value.message_dict["code"][0]
        # Blocked: the right code is refused now, and no new code is sent.
        with pytest.raises(ValidationError):
            check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=code)
        with pytest.raises(ValidationError) as no_send:
            send_code(phone=PHONE, purpose=CodePurpose.REGISTER)
        assert "phone" in no_send.value.message_dict
        traveller.shift(dt.timedelta(minutes=29))
        with pytest.raises(ValidationError):
            send_code(phone=PHONE, purpose=CodePurpose.REGISTER)
        traveller.shift(dt.timedelta(minutes=1, seconds=1))
        code = send(PHONE, CodePurpose.REGISTER)
        check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=code)


def test_five_wrong_guesses_then_the_right_code_is_accepted(send):
    code = send(PHONE, CodePurpose.REGISTER)
    for _ in range(5):
        with pytest.raises(ValidationError):
            check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=_wrong(code))
    check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=code)


def test_the_count_of_wrong_guesses_survives_the_refusal(send):
    """The refusal is raised after the count is saved: a caller's rollback cannot undo it."""
    code = send(PHONE, CodePurpose.REGISTER)
    with pytest.raises(ValidationError):
        check_code(phone=PHONE, purpose=CodePurpose.REGISTER, code=_wrong(code))
    assert PhoneCode.objects.get().failed_attempts == 1


def test_more_than_five_sends_per_number_an_hour_are_refused_naming_the_phone(send):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(codes.SENDS_PER_NUMBER):
            send(PHONE, CodePurpose.REGISTER)
            traveller.shift(dt.timedelta(minutes=5))
        with pytest.raises(ValidationError) as refused:
            send_code(phone=PHONE, purpose=CodePurpose.REGISTER)
        assert list(refused.value.message_dict) == ["phone"]
        assert PhoneCode.objects.count() == codes.SENDS_PER_NUMBER
        # An hour after the first, one more may go.
        traveller.shift(dt.timedelta(minutes=36))
        send(PHONE, CodePurpose.REGISTER)


def test_one_address_cannot_text_many_numbers(send, monkeypatch):
    monkeypatch.setattr(codes, "SENDS_PER_ADDRESS", 3)
    for n in range(3):
        send(f"1380013800{n}", CodePurpose.REGISTER, client_ip="198.51.100.7")
    with pytest.raises(ValidationError) as refused:
        send_code(phone="13800138009", purpose=CodePurpose.REGISTER, client_ip="198.51.100.7")
    assert "phone" in refused.value.message_dict


@pytest.mark.parametrize("phone", ["", "12345", "010-12345678", "2380013800a"])
def test_a_code_goes_only_to_a_mobile_number(phone, sms_file):
    with pytest.raises(ValidationError) as refused:
        send_code(phone=phone, purpose=CodePurpose.REGISTER)
    assert "phone" in refused.value.message_dict
    assert texts(sms_file) == []
