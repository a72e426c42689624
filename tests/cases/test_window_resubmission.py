"""一次性告知 answered at the window: the clerk links a new filing to the returned one it answers
(``open_filing(resubmission_of=...)``), on the intake desk's new-filing form and in the filings API. The
link is what lets the first-time pass rate leave a resubmission out of the first decisions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.cases import services
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from tests.factories import make_staff
from tests.factories.cases import COMPANY, PERSON, accept_filing, at_window, make_filing, window_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return window_hall()


def returned(filing):
    material = filing.checklist.get().material_id
    services.return_for_completion(
        **at_window(filing),
        filing_id=filing.pk,
        corrections=[{"material": material, "reason": "身份证已过期"}],
    )
    filing.refresh_from_db()
    return filing


def open_at(hall, **kwargs):
    centre, item, _material, window, clerk = hall
    kwargs.setdefault("applicant", PERSON)
    return services.open_filing(centre=centre, window=window, actor=clerk, item_ids=[item.pk], **kwargs)


def refusal(hall, **kwargs) -> str:
    before = Filing.objects.count()
    with pytest.raises(ValidationError) as caught:
        open_at(hall, **kwargs)
    assert Filing.objects.count() == before  # nothing opened
    assert list(caught.value.message_dict) == ["resubmission_of"]
    return caught.value.message_dict["resubmission_of"][0]


def steps(filing) -> list[str]:
    return list(
        TransitionLog.objects.filter(content_type__model="filing", object_id=str(filing.pk))
        .order_by("pk")
        .values_list("transition", flat=True)
    )


def test_the_window_links_a_new_filing_to_the_returned_one_it_answers(hall):
    first = returned(make_filing(items=[hall[1]], window=hall[3], clerk=hall[4]))
    again = open_at(hall, resubmission_of=first)
    again.refresh_from_db()
    assert again.resubmission_of == first
    assert again.channel == "window"
    assert steps(again) == ["open", "resubmission"]
    assert steps(first)[-1] == "resubmitted"
    log = TransitionLog.objects.get(transition="resubmitted")
    assert log.context["resubmission"] == again.number
    assert TransitionLog.objects.get(transition="resubmission").context["of"] == first.number


def test_a_filing_without_the_link_stays_unlinked(hall):
    returned(make_filing(items=[hall[1]], window=hall[3], clerk=hall[4]))
    assert open_at(hall).resubmission_of is None


def test_a_returned_filing_is_answered_once(hall):
    first = returned(make_filing(items=[hall[1]], window=hall[3], clerk=hall[4]))
    made = open_at(hall, resubmission_of=first)
    message = refusal(hall, resubmission_of=first)
    assert first.number in message and made.number in message


def test_only_a_filing_returned_for_completion_is_answered(hall):
    draft = make_filing(items=[hall[1]], window=hall[3], clerk=hall[4])
    assert draft.number in refusal(hall, resubmission_of=draft)
    accepted = accept_filing(make_filing(items=[hall[1]], window=hall[3], clerk=hall[4]))
    assert accepted.state == FilingState.ACCEPTED
    assert accepted.number in refusal(hall, resubmission_of=accepted)


def test_the_returned_filing_is_the_same_applicants(hall):
    first = returned(make_filing(items=[hall[1]], window=hall[3], clerk=hall[4]))
    assert first.number in refusal(hall, resubmission_of=first, applicant=COMPANY)
    assert not first.resubmissions.exists()


def test_the_returned_filing_is_of_the_same_centre_and_its_number_is_not_told(hall):
    elsewhere = returned(make_filing())  # another centre, the same applicant
    message = refusal(hall, resubmission_of=elsewhere)
    assert elsewhere.number not in message


# --- the intake desk's new-filing form ---------------------------------------------------------------


def person(**extra):
    return {
        "applicant_kind": "person",
        "applicant_name": PERSON.name,
        "applicant_id_number": PERSON.id_number,
        "applicant_phone": PERSON.phone,
        **extra,
    }


def test_the_desk_offers_the_applicants_returned_filings_and_links_the_one_chosen(client, hall):
    centre, item, _material, window, clerk = hall
    first = returned(make_filing(items=[item], window=window, clerk=clerk))
    other_applicant = returned(make_filing(items=[item], window=window, clerk=clerk, applicant=COMPANY))
    client.force_login(clerk)
    typed = client.get(
        reverse("desks:intake_check_identity"),
        {"applicant_kind": "person", "applicant_id_number": PERSON.id_number.lower()},
    ).content.decode()
    assert first.number in typed and 'hx-swap-oob="true"' in typed
    assert other_applicant.number not in typed
    response = client.post(
        reverse("desks:intake_new"), {"item": item.pk, **person(resubmission_of=first.number)}
    )
    made = Filing.objects.get(resubmission_of=first)
    assert response.status_code == 302 and response.url == reverse("desks:intake_filing", args=[made.pk])
    # The new filing's page names the one it answers.
    page = client.get(response.url).content.decode()
    assert 'data-testid="answers-filing"' in page and first.number in page
    # Answered: no longer offered.
    typed = client.get(
        reverse("desks:intake_check_identity"),
        {"applicant_kind": "person", "applicant_id_number": PERSON.id_number},
    ).content.decode()
    assert first.number not in typed


def test_the_desk_shows_the_refusal_on_the_field(client, hall, english):
    centre, item, _material, window, clerk = hall
    first = returned(make_filing(items=[item], window=window, clerk=clerk))
    elsewhere = returned(make_filing())
    client.force_login(clerk)
    url = reverse("desks:intake_new")
    for number, said in (
        ("NO-SUCH-NUMBER", "No filing of this service centre has this number."),
        (elsewhere.number, "No filing of this service centre has this number."),
    ):
        page = client.post(url, {"item": item.pk, **person(resubmission_of=number)})
        assert page.status_code == 200
        assert said in page.content.decode()
    page = client.post(
        url,
        {
            "item": item.pk,
            **person(
                applicant_id_number=COMPANY.id_number,
                applicant_kind="organisation",
                legal_representative="李四",
                resubmission_of=first.number,
            ),
        },
    )
    assert "another applicant" in page.content.decode()
    assert not Filing.objects.filter(resubmission_of__isnull=False).exists()
    # The page offers the applicant's returned filing once the identity is known (a page re-shown).
    page = client.post(url, {"item": item.pk, **person(resubmission_of="NO-SUCH-NUMBER")}).content.decode()
    assert f'<option value="{first.number}">' in page


# --- the filings API ----------------------------------------------------------------------------------


def test_the_api_links_a_window_filing_and_names_the_field_when_it_cannot(client, hall):
    centre, item, _material, window, clerk = hall
    first = returned(make_filing(items=[item], window=window, clerk=clerk))
    client.force_login(clerk)
    body = {"items": [item.pk], **person(resubmission_of=first.pk)}
    created = client.post(reverse("filing-list"), body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["resubmission_of"] == first.pk
    again = client.post(reverse("filing-list"), body, content_type="application/json")
    assert again.status_code == 400
    assert first.number in again.json()["resubmission_of"][0]
    missing = client.post(
        reverse("filing-list"), {**body, "resubmission_of": 10**9}, content_type="application/json"
    )
    assert missing.status_code == 400 and "resubmission_of" in missing.json()
    assert Filing.objects.filter(resubmission_of=first).count() == 1


def test_a_citizen_cannot_link_through_the_window_field(client, hall):
    first = returned(make_filing(items=[hall[1]], window=hall[3], clerk=hall[4]))
    citizen = make_staff(Role.CITIZEN, full_name=PERSON.name, id_number=PERSON.id_number)
    client.force_login(citizen)
    made = client.post(
        reverse("filing-list"),
        {"items": [hall[1].pk], "centre": hall[0].pk, "resubmission_of": first.pk},
        content_type="application/json",
    )
    # An online draft ignores it: the citizen answers a notice with ``resubmit`` (files carried over).
    assert made.status_code == 201, made.json()
    assert made.json()["resubmission_of"] is None
