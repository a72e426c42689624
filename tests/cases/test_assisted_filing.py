"""Assisted filing (帮办代办): an assistant opens a filing for an applicant, uploads its materials,
submits it to the windows' pre-review queue and follows it to the end, or hands it over to another
assistant of the centre — through the services, the assistants' desk and the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases import assistance, selectors, services
from apps.cases.codes import Channel, FilingState, MaterialStatus
from apps.cases.models import Filing
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import MINIMAL_PDF, PERSON, comprehensive_window
from tests.factories.catalogue import MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db
S = FilingState


class Hall:
    def __init__(self):
        self.centre = ServiceCentreFactory()
        self.material = MaterialFactory(name="身份证")
        self.item = make_item(
            department=DepartmentFactory(centre=self.centre), children=default_children([self.material])
        )
        self.window = comprehensive_window(self.centre)
        self.clerk = make_staff(Role.CLERK, centre=self.centre, window=self.window)
        self.assistant = make_staff(Role.ASSISTANT, centre=self.centre, full_name="帮办甲")
        self.colleague = make_staff(Role.ASSISTANT, centre=self.centre, full_name="帮办乙")

    def open(self, actor=None):
        return assistance.open_assisted_filing(
            centre=self.centre, applicant=PERSON, actor=actor or self.assistant, item_ids=[self.item.pk]
        )

    def upload(self, filing, actor=None):
        return assistance.attach_assisted_upload(
            filing_id=filing.pk,
            material_id=self.material.pk,
            file=SimpleUploadedFile("id.pdf", MINIMAL_PDF, content_type="application/pdf"),
            actor=actor or self.assistant,
        )

    def submitted(self):
        filing = self.open()
        self.upload(filing)
        return assistance.submit_assisted(filing_id=filing.pk, actor=self.assistant)


@pytest.fixture
def hall():
    return Hall()


def pdf(name="id.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


# --- the services --------------------------------------------------------------------------------


def test_an_assistant_opens_an_assisted_draft_which_they_follow(hall):
    filing = hall.open()
    assert (filing.channel, filing.state, filing.assistant, filing.created_by) == (
        Channel.ASSISTED,
        S.DRAFT,
        hall.assistant,
        hall.assistant,
    )
    assert filing.window is None and filing.citizen is None
    assert [e.transition for e in history_of(filing)] == ["open"]
    assert list(assistance.assisted_queue(hall.assistant)) == [filing]
    assert not assistance.assisted_queue(hall.colleague).exists()


@pytest.mark.parametrize("who", ["clerk", "elsewhere", "citizen"])
def test_only_an_assistant_of_the_centre_opens_one(hall, who):
    actor = {
        "clerk": lambda: hall.clerk,
        "elsewhere": lambda: make_staff(Role.ASSISTANT),  # an assistant of another centre
        "citizen": lambda: make_staff(Role.CITIZEN),
    }[who]()
    with pytest.raises(PermissionDenied):
        hall.open(actor)
    assert not Filing.objects.exists()


def test_submitting_needs_every_required_material_then_joins_the_pre_review_queue(hall):
    filing = hall.open()
    with pytest.raises(ValidationError) as refused:
        assistance.submit_assisted(filing_id=filing.pk, actor=hall.assistant)
    assert "materials" in refused.value.message_dict
    assert "身份证" in refused.value.message_dict["materials"][0]

    hall.upload(filing)
    submitted = assistance.submit_assisted(filing_id=filing.pk, actor=hall.assistant)
    assert submitted.state == S.SUBMITTED and submitted.submitted_at is not None
    assert list(selectors.awaiting_pre_review(hall.centre.pk)) == [filing]
    with pytest.raises(Conflict):  # a double click
        assistance.submit_assisted(filing_id=filing.pk, actor=hall.assistant)
    with pytest.raises(Conflict):  # no more uploads once submitted
        hall.upload(filing)


def test_another_assistant_neither_uploads_to_nor_submits_a_filing_they_do_not_follow(hall):
    filing = hall.open()
    with pytest.raises(PermissionDenied):
        hall.upload(filing, actor=hall.colleague)
    hall.upload(filing)
    with pytest.raises(PermissionDenied):
        assistance.submit_assisted(filing_id=filing.pk, actor=hall.colleague)
    with pytest.raises(PermissionDenied):  # a window filing is no assistant's
        clerk_filing = services.open_filing(
            centre=hall.centre,
            applicant=PERSON,
            actor=hall.clerk,
            window=hall.window,
            item_ids=[hall.item.pk],
        )
        hall.upload(clerk_filing)


def test_a_window_pre_reviews_and_accepts_it_and_the_assistant_follows_it_on(hall):
    filing = hall.submitted()
    assert assistance.next_step(assistance.assisted_queue(hall.assistant).get()) == str(
        assistance.NEXT_STEPS[S.SUBMITTED]
    )
    services.start_pre_review(filing_id=filing.pk, actor=hall.clerk, window=hall.window)
    services.accept(
        filing_id=filing.pk,
        actor=hall.clerk,
        window=hall.window,
        materials=[services.MaterialRecord(hall.material.pk, MaterialStatus.ELECTRONIC)],
    )
    row = assistance.assisted_queue(hall.assistant).get()
    assert row.state == S.ACCEPTED
    assert row.due_on == row.cases.get().due_on
    assert assistance.next_step(row) == str(assistance.NEXT_STEPS[S.ACCEPTED])
    assert row.assistant == hall.assistant  # the window's decision leaves the assistant following it


def test_an_ended_filing_leaves_the_queue(hall):
    filing = hall.submitted()
    services.start_pre_review(filing_id=filing.pk, actor=hall.clerk, window=hall.window)
    services.refuse(
        filing_id=filing.pk,
        reasons="不符合条件",
        legal_basis="《条例》第五条",
        actor=hall.clerk,
        window=hall.window,
    )
    assert not assistance.assisted_queue(hall.assistant).exists()
    assert list(assistance.assisted_filings_of(hall.assistant)) == [filing]
    with pytest.raises(Conflict):
        assistance.hand_over(filing_id=filing.pk, to_user_id=hall.colleague.pk, actor=hall.assistant)


def test_a_hand_over_passes_the_filing_to_another_assistant_of_the_centre_and_is_logged(hall):
    filing = hall.open()
    handed = assistance.hand_over(
        filing_id=filing.pk, to_user_id=hall.colleague.pk, note="休假", actor=hall.assistant
    )
    assert handed.assistant == hall.colleague
    step = [e for e in history_of(filing) if e.transition == "hand_over"][0]
    assert (step.actor, step.comment) == (hall.assistant, "休假")
    assert (step.context["from_assistant"], step.context["to_assistant"]) == (
        hall.assistant.pk,
        hall.colleague.pk,
    )
    assert list(assistance.assisted_queue(hall.colleague)) == [filing]
    assert not assistance.assisted_queue(hall.assistant).exists()
    # The one who handed it over no longer acts on it.
    with pytest.raises(PermissionDenied):
        hall.upload(filing)
    hall.upload(filing, actor=hall.colleague)


@pytest.mark.parametrize("receiver", ["clerk", "elsewhere", "same"])
def test_a_hand_over_goes_only_to_another_assistant_of_the_centre(hall, receiver):
    filing = hall.open()
    to = {
        "clerk": lambda: hall.clerk,
        "elsewhere": lambda: make_staff(Role.ASSISTANT),
        "same": lambda: hall.assistant,
    }[receiver]()
    with pytest.raises(ValidationError):
        assistance.hand_over(filing_id=filing.pk, to_user_id=to.pk, actor=hall.assistant)
    filing.refresh_from_db()
    assert filing.assistant == hall.assistant


def test_only_its_assistant_or_a_supervisor_of_the_centre_hands_it_over(hall):
    filing = hall.open()
    with pytest.raises(PermissionDenied):
        assistance.hand_over(filing_id=filing.pk, to_user_id=hall.colleague.pk, actor=hall.colleague)
    with pytest.raises(PermissionDenied):
        assistance.hand_over(
            filing_id=filing.pk, to_user_id=hall.colleague.pk, actor=make_staff(Role.SUPERVISOR)
        )
    supervisor = make_staff(Role.SUPERVISOR, centre=hall.centre)
    assert (
        assistance.hand_over(filing_id=filing.pk, to_user_id=hall.colleague.pk, actor=supervisor).assistant
        == hall.colleague
    )


def test_the_queue_puts_the_green_channel_first_then_the_soonest_due(hall):
    plain, green, later = hall.open(), hall.open(), hall.open()
    Filing.objects.filter(pk=green.pk).update(green_channel=True, green_channel_reason="重点项目")
    assert [f.pk for f in assistance.assisted_queue(hall.assistant)] == [green.pk, plain.pk, later.pk]


# --- the desk ------------------------------------------------------------------------------------


def test_the_assistance_desk_is_the_assistants(client, hall):
    client.force_login(hall.clerk)
    assert client.get(reverse("desks:assistance_queue")).status_code == 403
    client.force_login(hall.assistant)
    page = client.get(reverse("desks:home"))
    assert page.status_code == 302 and page.url == reverse("desks:assistance_queue")


def test_the_desk_opens_uploads_submits_and_hands_over(client, hall):
    client.force_login(hall.assistant)
    found = client.get(reverse("desks:assistance_queue"), {"q": hall.item.name}).content.decode()
    new_url = f"{reverse('desks:assistance_new')}?item={hall.item.pk}"
    assert new_url.replace("&", "&amp;") in found

    response = client.post(
        new_url,
        {"applicant_kind": "person", "applicant_name": "张三", "applicant_id_number": PERSON.id_number},
    )
    filing = Filing.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "desks:assistance_filing", args=[filing.pk]
    )
    assert (filing.channel, filing.assistant) == (Channel.ASSISTED, hall.assistant)

    page = client.get(response.url).content.decode()
    assert 'data-testid="submit-assisted"' in page and "身份证" in page

    client.post(reverse("desks:assistance_submit", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.state == S.DRAFT  # refused: the ID card has no file yet

    client.post(reverse("desks:assistance_upload", args=[filing.pk, hall.material.pk]), {"file": pdf()})
    assert filing.checklist.get().uploads.count() == 1
    client.post(reverse("desks:assistance_submit", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.state == S.SUBMITTED

    response = client.post(
        reverse("desks:assistance_hand_over", args=[filing.pk]),
        {"to_user": hall.colleague.pk, "note": "明天休假"},
    )
    assert response.status_code == 302 and response.url == reverse("desks:assistance_queue")
    filing.refresh_from_db()
    assert filing.assistant == hall.colleague
    assert client.get(reverse("desks:assistance_filing", args=[filing.pk])).status_code == 404


def test_the_desk_shows_another_assistants_filing_as_not_found(client, hall):
    filing = hall.open(hall.colleague)
    client.force_login(hall.assistant)
    assert client.get(reverse("desks:assistance_filing", args=[filing.pk])).status_code == 404
    response = client.post(reverse("desks:assistance_submit", args=[filing.pk]))
    assert response.status_code == 404


def test_the_queue_page_costs_the_same_for_one_filing_or_many(client, hall, django_assert_max_num_queries):
    client.force_login(hall.assistant)
    hall.open()
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("desks:assistance_queue"))
    for _ in range(6):
        hall.open()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("desks:assistance_queue")).content.decode()
    assert page.count('data-testid="assisted-row"') == 7


# --- the API -------------------------------------------------------------------------------------


def test_the_api_creates_uploads_submits_and_hands_over(client, hall):
    client.force_login(hall.assistant)
    created = client.post(
        "/api/v1/assisted-filings/",
        {
            "items": [hall.item.pk],
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_id_number": PERSON.id_number,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["channel"], body["followed_by"], body["state"]) == (
        "assisted",
        hall.assistant.username,
        "draft",
    )
    pk = body["id"]

    refused = client.post(f"/api/v1/assisted-filings/{pk}/submit/")
    assert refused.status_code == 400

    uploaded = client.post(
        f"/api/v1/assisted-filings/{pk}/materials/{hall.material.code}/upload/", {"file": pdf()}
    )
    assert uploaded.status_code == 201, uploaded.content
    submitted = client.post(f"/api/v1/assisted-filings/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert client.post(f"/api/v1/assisted-filings/{pk}/submit/").status_code == 409

    listed = client.get("/api/v1/assisted-filings/").json()["results"]
    assert [(r["id"], r["next_step"]) for r in listed] == [(pk, str(assistance.NEXT_STEPS[S.SUBMITTED]))]

    handed = client.post(
        f"/api/v1/assisted-filings/{pk}/hand-over/",
        {"to_user": hall.colleague.pk},
        content_type="application/json",
    )
    assert handed.status_code == 200, handed.json()
    assert client.get(f"/api/v1/assisted-filings/{pk}/").status_code == 404
    assert client.get("/api/v1/assisted-filings/").json()["results"] == []


def test_the_api_is_the_assistants_and_hides_another_assistants_filings(client, hall):
    filing = hall.open(hall.colleague)
    client.force_login(hall.clerk)
    assert client.get("/api/v1/assisted-filings/").status_code == 403
    client.force_login(hall.assistant)
    assert client.get(f"/api/v1/assisted-filings/{filing.pk}/").status_code == 404
    assert client.post(f"/api/v1/assisted-filings/{filing.pk}/submit/").status_code == 404
    elsewhere = ServiceCentreFactory()
    refused = client.post(
        "/api/v1/assisted-filings/",
        {
            "centre": elsewhere.pk,
            "items": [hall.item.pk],
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_id_number": PERSON.id_number,
        },
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_the_api_list_costs_the_same_for_one_filing_or_many(client, hall, django_assert_max_num_queries):
    def taken():
        filing = hall.submitted()
        services.start_pre_review(filing_id=filing.pk, actor=hall.clerk, window=hall.window)

    client.force_login(hall.assistant)
    taken()
    with django_assert_max_num_queries(30) as one:
        client.get("/api/v1/assisted-filings/")
    for _ in range(4):
        taken()
    for query in ({}, {"all": "1"}):
        with django_assert_max_num_queries(len(one.captured_queries)):
            rows = client.get("/api/v1/assisted-filings/", query).json()["results"]
        assert [row["window"] for row in rows] == [hall.window.number] * 5


def test_the_windows_neither_see_nor_decide_an_assistants_draft_until_it_is_submitted(hall):
    draft = hall.open()
    hall.upload(draft)
    assert not selectors.filings_at_windows(hall.clerk).filter(pk=draft.pk).exists()
    with pytest.raises(Conflict, match="尚未提交至窗口"):
        services.accept(filing_id=draft.pk, actor=hall.clerk, window=hall.window)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT

    assistance.submit_assisted(filing_id=draft.pk, actor=hall.assistant)
    assert selectors.filings_at_windows(hall.clerk).filter(pk=draft.pk).exists()
