"""My hall (/portal/, issue 16 item 2): the account's filings with their state, the item or bundle,
the promised completion date and what to do next; drafts to resume; another citizen's filings never;
a constant number of queries however many filings there are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.cases import online, services
from apps.cases.models import Filing
from tests.cases.online_hall import make_hall, ready
from tests.factories.cases import COMPANY
from tests.portal.test_filing_page import accepted, returned, submitted, with_correction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thursday():
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):  # 10:00 in Shanghai
        yield


@pytest.fixture
def hall():
    return make_hall()


def cards(client) -> list[str]:
    """The hall's cards as their HTML, in the page's order."""
    body = client.get(reverse("portal:home")).content.decode()
    return body.split('data-testid="filing-card"')[1:]


def test_a_new_citizen_is_told_how_to_apply(client, hall):
    client.force_login(hall.citizen)
    body = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="no-filings"' in body
    assert reverse("guides:catalogue") in body


def test_each_filing_says_what_to_do_next_and_the_promised_date(client, hall):
    draft = hall.draft()
    waiting = submitted(hall)
    filing, correction = with_correction(hall)
    client.force_login(hall.citizen)
    shown = {card.split('data-number="')[1].split('"')[0]: card for card in cards(client)}
    assert set(shown) == {draft.number, waiting.number, filing.number}
    assert reverse("portal:wizard_materials", args=[draft.pk]) in shown[draft.number]
    assert 'data-tone="wait"' in shown[waiting.number]
    corrected = shown[filing.number]
    assert 'data-tone="act"' in corrected
    assert reverse("portal:filing", args=[filing.pk]) + "#corrections" in corrected
    assert f"{correction.answer_due_on:%Y-%m-%d}" in corrected
    assert f"{filing.cases.get().clock.due_on:%Y-%m-%d}" in corrected  # the promised completion date
    assert hall.item.name in corrected


def test_another_citizens_filings_are_not_listed(client, hall):
    mine = submitted(hall)
    stranger = hall.citizen_account("lisi", id_number="110105194912310029", name="李四")
    client.force_login(stranger)
    body = client.get(reverse("portal:home")).content.decode()
    assert mine.number not in body and 'data-testid="no-filings"' in body


def test_staff_are_refused_and_visitors_sent_to_log_in(client, hall):
    assert client.get(reverse("portal:home")).status_code == 302
    client.force_login(hall.clerk)
    assert client.get(reverse("portal:home")).status_code == 403


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("portal:home")).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_filings(client, hall, django_assert_max_num_queries):
    with_correction(hall)
    client.force_login(hall.citizen)
    one = _queries(client)
    hall.draft()
    submitted(hall)
    accepted(hall)
    returned(hall)
    with_correction(hall)
    assert len(cards(client)) == 6
    with django_assert_max_num_queries(one):
        client.get(reverse("portal:home"))


def test_the_nav_shows_the_unread_messages(client, hall):
    import uuid

    from apps.notifications.models import SiteMessage

    for n in range(3):
        SiteMessage.objects.create(key=uuid.uuid4(), user=hall.citizen, subject=f"办件进度{n}", body="已受理")
    client.force_login(hall.citizen)
    body = client.get(reverse("portal:home")).content.decode()
    badge = body.split('data-testid="inbox-unread"')[1].split("</span>")[0]
    assert badge.endswith(">3")
    SiteMessage.objects.filter(user=hall.citizen).update(
        read_at=dt.datetime(2026, 9, 24, 3, 0, tzinfo=dt.UTC)
    )
    assert 'data-testid="inbox-unread"' not in client.get(reverse("portal:home")).content.decode()


def test_what_needs_the_applicant_comes_first(client, hall):
    waiting = submitted(hall)
    filing, _correction = with_correction(hall)
    draft = hall.draft()
    client.force_login(hall.citizen)
    order = [card.split('data-number="')[1].split('"')[0] for card in cards(client)]
    # The correction (with its date) before the draft, both before what the hall is working on.
    assert order == [filing.number, draft.number, waiting.number]


def test_an_organisations_filing_made_by_another_account_is_listed_once_a_window_verified_it(client, hall):
    authorisation = hall.authorise(hall.citizen)
    agent = hall.citizen_account("wangwu", id_number="110105194912310029", name="王五")
    hall.authorise(agent)
    filing = online.start_online_filing(
        citizen=agent, centre=hall.centre, item_ids=[hall.item.pk], organisation_code=COMPANY.id_number
    )
    ready(hall, filing, agent)
    services.submit_online(filing_id=filing.pk, actor=agent)
    client.force_login(hall.citizen)
    # Self-declared (anyone may type the company's code): not listed, and its page a 404.
    assert cards(client) == []
    assert client.get(reverse("portal:filing", args=[filing.pk])).status_code == 404
    hall.verify(authorisation)
    [card] = cards(client)
    assert filing.number in card and COMPANY.name in card
    assert client.get(reverse("portal:filing", args=[filing.pk])).status_code == 200


def test_documents_ready_for_issue_ask_for_the_delivery_choice(client, hall):
    from tests.factories.certificates import ready_filing

    filing = ready_filing()
    Filing.objects.filter(pk=filing.pk).update(citizen=hall.citizen)  # filed by this account
    client.force_login(hall.citizen)
    [card] = cards(client)
    assert 'data-tone="act"' in card
    assert reverse("portal:delivery", args=[filing.pk]) in card


def test_the_count_of_filings_to_act_on_spans_every_page(client, hall, monkeypatch):
    from apps.portal import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    for _ in range(3):
        hall.draft()
    submitted(hall)
    client.force_login(hall.citizen)
    body = client.get(reverse("portal:home")).content.decode()
    assert body.count('data-testid="filing-card"') == 2 and "?page=2" in body
    told = body.split('data-testid="needs-action">')[1].split("</p>")[0]
    assert re.search(r"(?<!\d)3(?!\d)", told), told  # three drafts to finish, over both pages
