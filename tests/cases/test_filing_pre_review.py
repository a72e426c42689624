"""Online filings: submitted by the citizen, taken by one window for pre-review (网上预审), handed
back or decided like any window filing — through the services, the API and the clerk's desk."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases import selectors, services
from apps.cases.codes import FilingState, MaterialStatus
from apps.cases.models import Filing
from apps.core.errors import Conflict
from tests.cases.online_hall import submittable
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import comprehensive_window, online_filing
from tests.factories.catalogue import MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db
S = FilingState


@pytest.fixture
def hall():
    centre = ServiceCentreFactory()
    material = MaterialFactory(name="身份证")
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children([material]))
    windows = [comprehensive_window(centre), comprehensive_window(centre)]
    clerks = [make_staff(Role.CLERK, centre=centre, window=w) for w in windows]
    return centre, item, material, windows, clerks


def submitted_online(centre, item):
    citizen = make_staff(Role.CITIZEN)
    filing = submittable(online_filing(citizen=citizen, centre=centre, items=[item]), citizen)
    return services.submit_online(filing_id=filing.pk, actor=citizen)


def test_a_submitted_filing_is_decided_only_after_a_window_takes_it(hall):
    centre, item, material, (window, _other), (clerk, _) = hall
    filing = submitted_online(centre, item)
    assert list(selectors.awaiting_pre_review(centre.pk)) == [filing]

    with pytest.raises(Conflict, match="预审"):
        services.accept(filing_id=filing.pk, actor=clerk, window=window)
    with pytest.raises(Conflict, match="预审"):
        services.record_material(
            actor=clerk, window=window, filing_id=filing.pk, material_id=material.pk, status="original"
        )

    taken = services.start_pre_review(filing_id=filing.pk, actor=clerk, window=window)
    assert (taken.state, taken.window, taken.pre_reviewer) == (S.PRE_REVIEW, window, clerk)
    assert not selectors.awaiting_pre_review(centre.pk).exists()
    assert list(selectors.in_pre_review_by(clerk)) == [filing]

    services.accept(
        filing_id=filing.pk,
        actor=clerk,
        window=window,
        materials=[services.MaterialRecord(material.pk, MaterialStatus.ELECTRONIC)],
    )
    filing.refresh_from_db()
    assert filing.state == S.ACCEPTED and filing.cases.count() == 1
    log = list(history_of(filing).order_by("pk"))
    assert [(e.transition, e.from_state, e.to_state) for e in log] == [
        ("open", S.DRAFT, S.DRAFT),
        ("upload", S.DRAFT, S.DRAFT),
        ("declare", S.DRAFT, S.DRAFT),
        ("submit", S.DRAFT, S.SUBMITTED),
        ("start_pre_review", S.SUBMITTED, S.PRE_REVIEW),
        ("accept", S.PRE_REVIEW, S.ACCEPTED),
    ]
    assert log[4].context == {"window": window.number}


def test_one_clerk_at_a_time_and_a_release_puts_it_back_in_the_queue(hall):
    centre, item, _material, (first_window, second_window), (first, second) = hall
    filing = submitted_online(centre, item)
    services.start_pre_review(filing_id=filing.pk, actor=first, window=first_window)
    with pytest.raises(Conflict, match=str(first)):
        services.start_pre_review(filing_id=filing.pk, actor=second, window=second_window)

    with pytest.raises(Conflict, match=str(first)):  # only the clerk who took it hands it back
        services.release_pre_review(filing_id=filing.pk, actor=second, window=second_window)
    services.release_pre_review(filing_id=filing.pk, actor=first, window=first_window, reason="午休交班")
    filing.refresh_from_db()
    assert (filing.state, filing.window, filing.pre_reviewer) == (S.SUBMITTED, None, None)
    assert list(selectors.awaiting_pre_review(centre.pk)) == [filing]
    assert history_of(filing).get(transition="release_pre_review").comment == "午休交班"
    services.start_pre_review(filing_id=filing.pk, actor=second, window=second_window)
    filing.refresh_from_db()
    assert filing.pre_reviewer == second


def test_pre_review_needs_a_window_of_the_filings_centre(hall):
    centre, item, *_ = hall
    filing = submitted_online(centre, item)
    elsewhere = comprehensive_window()
    clerk = make_staff(Role.CLERK, centre=elsewhere.centre, window=elsewhere)
    with pytest.raises(PermissionDenied):  # a clerk, but of another centre
        services.start_pre_review(filing_id=filing.pk, actor=clerk, window=elsewhere)
    here = make_staff(Role.CLERK, centre=centre, window=comprehensive_window(centre))
    with pytest.raises(ValidationError) as wrong_window:  # a clerk here, at a window of another centre
        services.start_pre_review(filing_id=filing.pk, actor=here, window=elsewhere)
    assert "window" in wrong_window.value.message_dict
    with pytest.raises(ValidationError):
        services.start_pre_review(filing_id=filing.pk, actor=here, window=None)
    filing.refresh_from_db()
    assert filing.state == S.SUBMITTED


def test_the_api_takes_hands_back_and_decides_an_online_filing(client, hall):
    centre, item, material, (window, _), (clerk, other) = hall
    filing = submitted_online(centre, item)
    client.force_login(clerk)
    waiting = client.get(reverse("filing-list"), {"state": "submitted"}).json()["results"]
    assert [f["id"] for f in waiting] == [filing.pk] and waiting[0]["submitted_at"]

    early = client.post(reverse("filing-accept", args=[filing.pk]), content_type="application/json")
    assert early.status_code == 409 and "预审" in early.json()["detail"]

    taken = client.post(reverse("filing-pre-review", args=[filing.pk]), content_type="application/json")
    assert taken.status_code == 200 and taken.json()["state"] == S.PRE_REVIEW
    client.force_login(other)
    again = client.post(reverse("filing-pre-review", args=[filing.pk]), content_type="application/json")
    assert again.status_code == 409

    client.force_login(clerk)
    accepted = client.post(
        reverse("filing-accept", args=[filing.pk]), content_type="application/json"
    )  # nothing recorded yet: refused, naming the material
    assert accepted.status_code == 400 and "身份证" in str(accepted.json())
    recorded = client.post(
        reverse("filing-materials", args=[filing.pk]),
        {"materials": [{"material": material.code, "status": "electronic"}]},
        content_type="application/json",
    )
    assert recorded.status_code == 200
    assert client.post(reverse("filing-accept", args=[filing.pk])).json()["state"] == S.ACCEPTED


def test_the_desk_lists_online_filings_and_offers_pre_review_from_the_graph(client, hall):
    centre, item, material, (window, _), (clerk, _) = hall
    filing = submitted_online(centre, item)
    client.force_login(clerk)
    desk = client.get(reverse("desks:intake")).content.decode()
    assert filing.number in desk and "110105********002X" in desk

    page = client.get(reverse("desks:intake_filing", args=[filing.pk])).content.decode()
    take = reverse("desks:intake_pre_review", args=[filing.pk, "start_pre_review"])
    assert take in page
    assert reverse("desks:intake_decide", args=[filing.pk, "accept"]) not in page
    assert reverse("desks:intake_material", args=[filing.pk, material.pk]) not in page  # not editable yet

    client.post(take)
    page = client.get(reverse("desks:intake_filing", args=[filing.pk])).content.decode()
    assert take not in page
    assert reverse("desks:intake_pre_review", args=[filing.pk, "release_pre_review"]) in page
    assert reverse("desks:intake_decide", args=[filing.pk, "accept"]) in page
    assert filing.number in client.get(reverse("desks:intake")).content.decode()  # "I am pre-reviewing"

    client.post(reverse("desks:intake_all_received", args=[filing.pk]))
    client.post(reverse("desks:intake_decide", args=[filing.pk, "accept"]))
    filing.refresh_from_db()
    assert filing.state == S.ACCEPTED
    assert filing.checklist.get().status == MaterialStatus.ORIGINAL


def test_the_desk_hands_a_filing_back(client, hall):
    centre, item, _material, _windows, (clerk, _) = hall
    filing = submitted_online(centre, item)
    client.force_login(clerk)
    client.post(reverse("desks:intake_pre_review", args=[filing.pk, "start_pre_review"]))
    response = client.post(
        reverse("desks:intake_pre_review", args=[filing.pk, "release_pre_review"]), {"reason": "材料需专窗"}
    )
    assert response.url == reverse("desks:intake")
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED
