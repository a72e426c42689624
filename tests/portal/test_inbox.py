"""The online hall's inbox (消息): the list (unread first) in a constant number of queries, a message
opened is read and links to its filing, the nav's unread badge, and another's message a 404 in the
pages and the API."""

import uuid

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.notifications.models import SiteMessage
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def message(user, subject="受理通知", concerns="cases.filing:7") -> SiteMessage:
    return SiteMessage.objects.create(
        key=uuid.uuid4(), user=user, subject=subject, body="您的申请已受理。", subject_ref=concerns
    )


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN)


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def test_the_list_shows_unread_first_in_bold_and_the_badge_counts_them(logged_in, citizen):
    read = message(citizen, "已读的消息")
    read.read_at = read.created_at
    read.save()
    message(citizen, "未读的消息")
    page = logged_in.get(reverse("portal:inbox")).content.decode()
    assert page.index("未读的消息") < page.index("已读的消息")
    assert "<strong>未读的消息</strong>" in page
    assert "<strong>已读的消息</strong>" not in page
    assert 'data-testid="inbox-unread"' in page


def test_opening_a_message_marks_it_read_and_links_to_its_filing(logged_in, citizen):
    opened = message(citizen, concerns="cases.filing:7")
    response = logged_in.get(reverse("portal:inbox_message", args=[opened.pk]))
    assert response.status_code == 200
    opened.refresh_from_db()
    assert opened.read_at is not None
    assert 'data-testid="inbox-unread"' not in response.content.decode()  # the badge counts nothing now
    assert f'href="{reverse("portal:filing", args=[7])}"' in response.content.decode()


def test_the_list_runs_the_same_queries_for_one_message_as_for_many(
    logged_in, citizen, django_assert_max_num_queries
):
    message(citizen)
    with django_assert_max_num_queries(12) as one:
        logged_in.get(reverse("portal:inbox"))
    for n in range(30):
        message(citizen, f"消息{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert logged_in.get(reverse("portal:inbox")).status_code == 200


def test_another_citizens_message_is_not_found_in_the_page_and_the_api(logged_in):
    theirs = message(make_staff(Role.CITIZEN), "别人的消息")
    assert logged_in.get(reverse("portal:inbox_message", args=[theirs.pk])).status_code == 404
    assert logged_in.get(reverse("portal-inbox-detail", args=[theirs.pk])).status_code == 404
    assert logged_in.post(reverse("portal-inbox-read", args=[theirs.pk])).status_code == 404
    assert "别人的消息" not in logged_in.get(reverse("portal-inbox-list")).content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_lists_reads_and_counts(logged_in, citizen):
    first = message(citizen, concerns="cases.filing:7")
    message(citizen, concerns="")
    assert logged_in.get(reverse("portal-inbox-unread")).json() == {"unread": 2}
    listed = logged_in.get(reverse("portal-inbox-list")).json()["results"]
    assert {m["filing_id"] for m in listed} == {7, None}
    shown = logged_in.get(reverse("portal-inbox-detail", args=[first.pk])).json()
    assert shown["unread"] is True  # reading through GET does not mark it read
    read = logged_in.post(reverse("portal-inbox-read", args=[first.pk])).json()
    assert read["unread"] is False
    assert logged_in.get(reverse("portal-inbox-unread")).json() == {"unread": 1}


def test_staff_get_no_inbox_page(client):
    client.force_login(make_staff(Role.CLERK))
    assert client.get(reverse("portal:inbox")).status_code == 403
