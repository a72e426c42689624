"""The inbox: an in-site message keeps what it is about, lists unread first, is read once opened,
and is its owner's alone."""

import pytest
from django.http import Http404

from apps.notifications import inbox
from apps.notifications.models import SiteMessage
from apps.notifications.services import Recipient, deliver_due, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_in_site_message_keeps_what_its_event_concerns():
    user = UserFactory()
    notify("decided", [Recipient(user_id=user.pk)], context={}, concerns="cases.filing:12")
    deliver_due()
    message = SiteMessage.objects.get(user=user)
    assert message.subject_ref == "cases.filing:12"
    assert inbox.concerns(message) == ("cases.filing", 12)


def test_unread_first_then_newest_and_opening_marks_read_once():
    user = UserFactory()
    made = [SiteMessage.objects.create(key=k, user=user, subject=s, body="") for k, s in _keys("旧", "新")]
    new = made[1]
    assert [m.subject for m in inbox.inbox_of(user)] == ["新", "旧"]
    assert inbox.unread_count(user) == 2
    opened = inbox.open_message(message_id=new.pk, user=user)
    first_read = opened.read_at
    assert first_read is not None
    assert [m.subject for m in inbox.inbox_of(user)] == ["旧", "新"]  # the unread one first
    assert inbox.unread_count(user) == 1
    again = inbox.open_message(message_id=new.pk, user=user)
    assert again.read_at == first_read


def test_another_users_message_is_not_found_and_stays_unread():
    owner, other = UserFactory(), UserFactory()
    [(key, subject)] = _keys("他人的")
    message = SiteMessage.objects.create(key=key, user=owner, subject=subject, body="")
    with pytest.raises(Http404):
        inbox.open_message(message_id=message.pk, user=other)
    message.refresh_from_db()
    assert message.read_at is None
    assert inbox.unread_count(other) == 0


def _keys(*subjects):
    import uuid

    return [(uuid.uuid4(), s) for s in subjects]
