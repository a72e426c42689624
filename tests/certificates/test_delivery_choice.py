"""The applicant's delivery choice (领取方式), made online before issue: by the applicant's own account
or an agent the organisation authorised, never by another account (404), never after issue; the
desk sees it and its post form is filled from it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from apps.accounts.models import OrganisationAuthorisation
from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases.models import Filing
from apps.certificates import services
from apps.certificates.models import DeliveryChoice, DeliveryMethod
from apps.core.errors import Conflict
from tests.factories import make_staff
from tests.factories.cases import COMPANY
from tests.factories.certificates import issue, ready_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

POST = {
    "method": DeliveryMethod.POST,
    "recipient_name": "张三",
    "phone": "13812343210",
    "address": "福建省福州市鼓楼区示范路1号",
}


def citizens_filing(citizen, **kwargs) -> Filing:
    """A filing ready for issue whose applicant's account is ``citizen`` (as one filed online is)."""
    filing = ready_filing(**kwargs)
    Filing.objects.filter(pk=filing.pk).update(citizen=citizen)
    filing.refresh_from_db()
    return filing


def authorise(user, *, credit_code=COMPANY.id_number, valid_until=None) -> OrganisationAuthorisation:
    return OrganisationAuthorisation.objects.create(
        user=user,
        organisation_name=COMPANY.name,
        credit_code=credit_code,
        kind="legal_representative",
        valid_from=dt.date(2020, 1, 1),
        valid_until=valid_until,
        verified_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),  # at a window: sees the organisation's filings
    )


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN)


def test_the_applicant_chooses_post_and_changes_their_mind_before_issue(citizen):
    filing = citizens_filing(citizen)
    choice = services.choose_delivery(filing_id=filing.pk, actor=citizen, **POST)
    assert (choice.method, choice.address, choice.chosen_by) == (
        DeliveryMethod.POST,
        POST["address"],
        citizen,
    )
    services.choose_delivery(filing_id=filing.pk, actor=citizen, method=DeliveryMethod.HANDOVER)
    choice = DeliveryChoice.objects.get(filing=filing)  # one choice a filing: the latest
    assert (choice.method, choice.address) == (DeliveryMethod.HANDOVER, "")
    assert [e.transition for e in history_of(filing) if e.transition == "choose_delivery"] == [
        "choose_delivery"
    ] * 2


def test_post_needs_the_name_phone_and_address(citizen):
    filing = citizens_filing(citizen)
    with pytest.raises(ValidationError) as refused:
        services.choose_delivery(filing_id=filing.pk, actor=citizen, method=DeliveryMethod.POST)
    assert set(refused.value.message_dict) == {"recipient_name", "phone", "address"}
    assert not DeliveryChoice.objects.exists()


def test_post_is_refused_for_an_item_handed_over_at_the_window_only(citizen):
    filing = citizens_filing(citizen)
    item = filing.items.get().item
    type(item).objects.filter(pk=item.pk).update(postal_delivery_supported=False)
    with pytest.raises(ValidationError) as refused:
        services.choose_delivery(filing_id=filing.pk, actor=citizen, **POST)
    assert item.name in str(refused.value)


def test_the_choice_is_refused_once_the_documents_are_issued(citizen):
    filing = citizens_filing(citizen)
    issue(filing)
    with pytest.raises(Conflict, match="issued"):
        services.choose_delivery(filing_id=filing.pk, actor=citizen, **POST)
    assert not DeliveryChoice.objects.exists()


def test_another_citizen_or_a_clerk_does_not_find_the_filing(citizen):
    filing = citizens_filing(citizen)
    for stranger in (make_staff(Role.CITIZEN), make_staff(Role.CLERK, centre=filing.centre)):
        with pytest.raises(Http404):
            services.choose_delivery(filing_id=filing.pk, actor=stranger, **POST)
    assert not DeliveryChoice.objects.exists()


def test_an_authorised_agent_chooses_for_the_organisation_and_an_expired_one_cannot(citizen):
    filing = citizens_filing(make_staff(Role.CITIZEN), applicant=COMPANY)
    authorise(citizen)
    assert services.choose_delivery(filing_id=filing.pk, actor=citizen, **POST).chosen_by == citizen
    lapsed = make_staff(Role.CITIZEN)
    authorise(lapsed, valid_until=dt.date(2021, 1, 1))
    with pytest.raises(Http404):
        services.choose_delivery(filing_id=filing.pk, actor=lapsed, method=DeliveryMethod.HANDOVER)
    assert DeliveryChoice.objects.get(filing=filing).method == DeliveryMethod.POST


def test_the_issuing_desk_shows_the_choice_and_prefills_its_post_form(client, citizen):
    filing = citizens_filing(citizen)
    services.choose_delivery(filing_id=filing.pk, actor=citizen, **POST)
    issue(filing)
    issuer = make_staff(Role.ISSUER, centre=filing.centre)
    client.force_login(issuer)
    page = client.get(reverse("desks:issuing_filing", args=[filing.pk])).content.decode()
    assert 'data-testid="delivery-choice"' in page
    assert POST["address"] in page
    post_form = page[page.index('data-testid="action-post"') :]
    assert post_form.startswith('data-testid="action-post" open>')
    assert f'name="address" required maxlength="300" value="{POST["address"]}"' in post_form
    assert f'name="phone" required maxlength="20" value="{POST["phone"]}"' in post_form
