"""Downloads (item 5): every notice of a filing is downloadable by its applicant's account and by an
account the applicant organisation has authorised today; another citizen's notice is a 404, and so
is the organisation's once the authorisation has ended."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.models import Filing
from tests.certificates.test_delivery_choice import authorise
from tests.factories import make_staff
from tests.factories.cases import COMPANY, accept_filing, make_filing

pytestmark = pytest.mark.django_db


def accepted(citizen, **kwargs) -> Filing:
    filing = accept_filing(make_filing(**kwargs))
    Filing.objects.filter(pk=filing.pk).update(citizen=citizen)
    return filing


def pdf(client, notice):
    response = client.get(reverse("filing-notice", args=[notice.filing_id, notice.pk]))
    if response.status_code == 200:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith(b"%PDF")
    return response.status_code


def test_the_applicant_and_the_organisations_agent_download_every_notice(client):
    citizen = make_staff(Role.CITIZEN)
    own = accepted(citizen)
    agent = make_staff(Role.CITIZEN)
    authorisation = authorise(agent)
    company = accepted(make_staff(Role.CITIZEN), applicant=COMPANY)
    assert own.notices.exists() and company.notices.exists()

    client.force_login(citizen)
    assert {pdf(client, n) for n in own.notices.all()} == {200}
    assert {pdf(client, n) for n in company.notices.all()} == {404}  # not theirs

    client.force_login(agent)
    assert {pdf(client, n) for n in company.notices.all()} == {200}
    assert {pdf(client, n) for n in own.notices.all()} == {404}
    authorisation.valid_until = dt.date(2021, 1, 1)
    authorisation.save()
    assert {pdf(client, n) for n in company.notices.all()} == {404}
