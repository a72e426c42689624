"""An organisation's filings and a citizen account that declared it acts for it: anyone may type any
company's credit code and upload any letter, so a self-declared authorisation lets the account file
for the company, but never read the company's other filings (made at a window or by another
account). Once a window clerk has verified the authorisation against the letter, they show — on the
portal's filing page, the API, my hall and ``?mine`` alike. The account's own filing for the company
shows either way."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.models import AuthorisationKind
from tests.cases.online_hall import accepted, make_hall, submitted
from tests.factories.cases import COMPANY, make_filing

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 10, 0)


def numbers_in_my_hall(client) -> set[str]:
    body = client.get(reverse("portal:home")).content.decode()
    return {
        card.split('data-number="')[1].split('"')[0] for card in body.split('data-testid="filing-card"')[1:]
    }


def numbers_of_mine(client) -> set[str]:
    response = client.get(reverse("filing-list"), {"mine": "1"})
    assert response.status_code == 200
    return {row["number"] for row in response.json()["results"]}


def seen(client, filing) -> tuple[int, int]:
    """The portal's filing page and the API's detail, as status codes."""
    return (
        client.get(reverse("portal:filing", args=[filing.pk])).status_code,
        client.get(reverse("filing-detail", args=[filing.pk])).status_code,
    )


@time_machine.travel(TODAY, tick=False)
def test_a_self_declared_authorisation_shows_only_the_account_s_own_filings_until_a_window_verifies_it(
    client,
):
    hall = make_hall()
    colleague = hall.citizen_account("wangwu", id_number="110105194912310038", name="王五")
    hall.verify(hall.authorise(colleague, kind=AuthorisationKind.AGENT))
    by_another_account = submitted(
        hall,
        hall.draft(colleague, organisation_code=COMPANY.id_number, legal_representative="李四"),
        colleague,
    )
    at_the_window = accepted(
        hall, make_filing(items=[hall.item], applicant=COMPANY, centre=hall.centre, window=hall.window)
    )
    authorisation = hall.authorise(hall.citizen)  # typed in by the account: self-declared
    own_for_the_company = submitted(
        hall, hall.draft(organisation_code=COMPANY.id_number, legal_representative="李四")
    )
    client.force_login(hall.citizen)

    for filing in (by_another_account, at_the_window):
        assert seen(client, filing) == (404, 404)
    assert numbers_in_my_hall(client) == {own_for_the_company.number}
    assert numbers_of_mine(client) == {own_for_the_company.number}
    assert seen(client, own_for_the_company) == (200, 200)

    hall.verify(authorisation)
    for filing in (by_another_account, at_the_window, own_for_the_company):
        assert seen(client, filing) == (200, 200)
    everyone = {by_another_account.number, at_the_window.number, own_for_the_company.number}
    assert numbers_in_my_hall(client) == everyone
    assert numbers_of_mine(client) == everyone


@time_machine.travel(TODAY, tick=False)
def test_the_account_s_own_filing_for_the_company_shows_whatever_becomes_of_the_authorisation(client):
    hall = make_hall()
    authorisation = hall.authorise(hall.citizen)
    own = submitted(hall, hall.draft(organisation_code=COMPANY.id_number, legal_representative="李四"))
    authorisation.revoked_at = dt.datetime(2026, 9, 24, 9, 0, tzinfo=dt.UTC)
    authorisation.save(update_fields=["revoked_at"])
    client.force_login(hall.citizen)
    assert seen(client, own) == (200, 200)
    assert numbers_of_mine(client) == {own.number}
