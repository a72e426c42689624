"""Who reads and acts on a filing: roles are held at a centre, the window used is the clerk's own
there, and only the roles whose work needs a filing's personal data and files see them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation
from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.audit.selectors import history_of
from apps.cases import services
from apps.cases.codes import Channel, FilingState, MaterialStatus
from apps.cases.models import MaterialUpload
from apps.core.errors import Conflict
from tests.cases.online_hall import submittable
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, PERSON, at_window, comprehensive_window, make_filing, online_filing
from tests.factories.cases import MINIMAL_PDF as PDF
from tests.factories.catalogue import MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    centre = ServiceCentreFactory(name="示范市政务服务中心")
    material = MaterialFactory(name="身份证")
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children([material]))
    return centre, item, material


@pytest.fixture
def county_clerk_city_supervisor(city):
    """One person, two centres: a window clerk at the county, a supervisor at the city."""
    county_window = comprehensive_window(ServiceCentreFactory(name="示范县政务服务中心"))
    user = make_staff(Role.CLERK, centre=county_window.centre, window=county_window)
    assign_role(user=user, role=Role.SUPERVISOR, centre=city[0])
    return user, county_window


def test_a_clerk_elsewhere_who_supervises_here_cannot_see_or_act_on_this_centres_filings(
    client, city, county_clerk_city_supervisor
):
    centre, item, material = city
    user, county_window = county_clerk_city_supervisor
    filing = make_filing(items=[item])
    client.force_login(user)

    assert client.get(reverse("desks:intake_filing", args=[filing.pk])).status_code == 404
    assert client.get(reverse("filing-detail", args=[filing.pk])).status_code == 404
    assert client.post(reverse("filing-accept", args=[filing.pk])).status_code == 404
    assert client.post(reverse("desks:intake_decide", args=[filing.pk, "accept"])).status_code == 404
    assert client.get(reverse("filing-list")).json()["results"] == []

    # The services refuse it too, whichever window is offered.
    for window in (county_window, filing.window):
        with pytest.raises(PermissionDenied):
            services.accept(filing_id=filing.pk, actor=user, window=window)
        with pytest.raises(PermissionDenied):
            services.record_material(
                filing_id=filing.pk,
                material_id=material.pk,
                status=MaterialStatus.ORIGINAL,
                actor=user,
                window=window,
            )
        with pytest.raises(PermissionDenied):
            services.withdraw(filing_id=filing.pk, reason="申请人撤回", actor=user, window=window)
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT
    assert [e.transition for e in history_of(filing)] == ["open"]  # nothing after it was opened
    assert filing.checklist.get().status == MaterialStatus.PENDING


def test_a_clerk_here_acts_only_at_a_window_of_their_own_here(city):
    centre, item, _material = city
    filing = make_filing(items=[item])
    colleague_window = comprehensive_window(centre)
    elsewhere = comprehensive_window()
    for window in (colleague_window, elsewhere, None):
        with pytest.raises(ValidationError) as refused:
            services.accept(filing_id=filing.pk, actor=filing.created_by, window=window)
        assert "window" in refused.value.message_dict
    assert FilingState(filing.state) == FilingState.DRAFT


def test_the_api_acts_at_the_clerks_window_of_the_filings_centre_not_their_first(client, city):
    centre, item, material = city
    # The clerk's first window is at another centre; they also work at a window here.
    other = comprehensive_window()
    clerk = make_staff(Role.CLERK, centre=other.centre, window=other)
    here = comprehensive_window(centre)
    assign_role(user=clerk, role=Role.CLERK, centre=centre, window=here)
    filing = make_filing(items=[item], window=here, clerk=clerk)
    client.force_login(clerk)
    url = reverse("filing-material", args=[filing.pk, material.code])
    assert client.post(url, {"status": "original"}, content_type="application/json").status_code == 200
    accepted = client.post(reverse("filing-accept", args=[filing.pk]), content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["window"] == filing.window.number
    assert history_of(filing).get(transition="accept").context["window"] == filing.window.number


def test_only_the_clerk_holding_a_filing_in_pre_review_decides_or_releases_it(city):
    centre, item, material = city
    citizen = make_staff(Role.CITIZEN)
    filing = submittable(online_filing(citizen=citizen, centre=centre, items=[item]), citizen)
    services.submit_online(filing_id=filing.pk, actor=citizen)
    first_window, second_window = comprehensive_window(centre), comprehensive_window(centre)
    first = make_staff(Role.CLERK, centre=centre, window=first_window)
    second = make_staff(Role.CLERK, centre=centre, window=second_window)
    services.start_pre_review(filing_id=filing.pk, actor=first, window=first_window)

    received = [services.MaterialRecord(material.pk, MaterialStatus.ORIGINAL)]
    with pytest.raises(Conflict, match=str(first)):
        services.accept(filing_id=filing.pk, actor=second, window=second_window, materials=received)
    with pytest.raises(Conflict):
        services.refuse(
            filing_id=filing.pk, reasons="不符", legal_basis="条例", actor=second, window=second_window
        )
    with pytest.raises(Conflict):
        services.release_pre_review(filing_id=filing.pk, actor=second, window=second_window)
    with pytest.raises(Conflict):
        services.record_materials(filing_id=filing.pk, records=received, actor=second, window=second_window)
    filing.refresh_from_db()
    assert (filing.state, filing.pre_reviewer) == (FilingState.PRE_REVIEW, first)
    services.accept(filing_id=filing.pk, actor=first, window=first_window, materials=received)


def test_a_citizens_unsubmitted_draft_is_theirs_alone(client, city):
    centre, item, material = city
    citizen = make_staff(Role.CITIZEN)
    draft = online_filing(citizen=citizen, centre=centre, items=[item])
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)

    client.force_login(clerk)
    assert client.get(reverse("filing-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("desks:intake_filing", args=[draft.pk])).status_code == 404
    with pytest.raises(Conflict):
        services.accept(
            filing_id=draft.pk,
            actor=clerk,
            window=window,
            materials=[services.MaterialRecord(material.pk, MaterialStatus.ORIGINAL)],
        )
    with pytest.raises(Conflict):
        services.record_material(
            filing_id=draft.pk, material_id=material.pk, status="original", actor=clerk, window=window
        )
    draft.refresh_from_db()
    assert draft.state == FilingState.DRAFT

    # The citizen uploads to their own draft.
    client.force_login(citizen)
    upload = client.post(
        reverse("filing-upload", args=[draft.pk, material.code]),
        {"file": SimpleUploadedFile("身份证.pdf", PDF)},
    )
    assert upload.status_code == 201


def test_a_clerk_cannot_set_a_filings_channel(client, city):
    centre, item, _material = city
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    client.force_login(clerk)
    body = {
        "items": [item.pk],
        "channel": Channel.ONLINE,
        "applicant_kind": "person",
        "applicant_name": PERSON.name,
        "applicant_id_number": PERSON.id_number,
    }
    created = client.post(reverse("filing-list"), body, content_type="application/json")
    assert created.status_code == 201 and created.json()["channel"] == Channel.WINDOW
    client.post(
        f"{reverse('desks:intake_new')}?item={item.pk}",
        {**body, "item": item.pk, "applicant_kind": "person"},
    )
    assert {f.channel for f in centre.filing_set.all()} == {Channel.WINDOW}


def test_an_online_filing_is_in_the_accounts_own_name_or_an_authorised_organisations(client, city):
    centre, item, _material = city
    citizen = make_staff(Role.CITIZEN, full_name=PERSON.name, id_number=PERSON.id_number)
    client.force_login(citizen)

    def file(**applicant):
        return client.post(
            reverse("filing-list"),
            {"items": [item.pk], "centre": centre.pk, **applicant},
            content_type="application/json",
        )

    someone_else = file(
        applicant_kind="person", applicant_name="李四", applicant_id_number="11010119900307803X"
    )
    assert someone_else.status_code == 400 and "id_number" in someone_else.json()
    own = file(applicant_kind="person", applicant_name=PERSON.name, applicant_id_number=PERSON.id_number)
    assert own.status_code == 201 and own.json()["channel"] == Channel.ONLINE

    company = {
        "applicant_kind": "organisation",
        "applicant_name": COMPANY.name,
        "applicant_id_number": COMPANY.id_number,
        "legal_representative": COMPANY.legal_representative,
    }
    assert file(**company).status_code == 400  # not authorised for it
    OrganisationAuthorisation.objects.create(
        user=citizen,
        organisation_name=COMPANY.name,
        credit_code=COMPANY.id_number,
        kind=AuthorisationKind.AGENT,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 12, 31),
    )
    assert file(**company).status_code == 400  # the authorisation has lapsed
    OrganisationAuthorisation.objects.update(valid_until=None)
    assert file(**company).status_code == 201

    unverified = make_staff(Role.CITIZEN)
    client.force_login(unverified)
    refused = file(applicant_kind="person", applicant_name=PERSON.name, applicant_id_number=PERSON.id_number)
    assert refused.status_code == 400 and "id_number" in refused.json()


@pytest.mark.parametrize("role", [Role.SEAL_KEEPER, Role.CATALOGUE_ADMIN, Role.SUPERVISOR, Role.ISSUER])
def test_roles_whose_work_does_not_need_them_see_no_filings_and_no_uploads(client, city, role):
    centre, item, material = city
    filing = make_filing(items=[item])
    upload = services.attach_upload(
        **at_window(filing),
        filing_id=filing.pk,
        material_id=material.pk,
        file=SimpleUploadedFile("身份证.pdf", PDF),
    )
    client.force_login(make_staff(role, centre=centre))
    assert client.get(reverse("filing-list")).json()["results"] == []
    assert client.get(reverse("filing-detail", args=[filing.pk])).status_code == 404
    assert client.get(reverse("filing-upload", args=[filing.pk, upload.pk])).status_code == 404
    # The clerk of the centre does see them.
    client.force_login(filing.created_by)
    assert client.get(reverse("filing-upload", args=[filing.pk, upload.pk])).status_code == 200
    assert MaterialUpload.objects.count() == 1


def test_every_step_at_the_window_is_logged_with_who_where_and_from_which_address(client, city):
    centre, item, material = city
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    client.force_login(clerk)
    client.post(
        f"{reverse('desks:intake_new')}?item={item.pk}",
        {
            "item": item.pk,
            "applicant_kind": "person",
            "applicant_name": PERSON.name,
            "applicant_id_number": PERSON.id_number,
        },
        REMOTE_ADDR="10.20.30.40",
    )
    filing = centre.filing_set.get()
    client.post(
        reverse("desks:intake_upload", args=[filing.pk, material.pk]),
        {"file": SimpleUploadedFile("身份证.pdf", PDF)},
        REMOTE_ADDR="10.20.30.40",
    )
    opened, uploaded = history_of(filing).order_by("pk")
    assert (opened.transition, opened.actor, opened.client_ip, opened.context["window"]) == (
        "open",
        clerk,
        "10.20.30.40",
        window.number,
    )
    assert (uploaded.transition, uploaded.actor, uploaded.client_ip) == ("upload", clerk, "10.20.30.40")
    assert uploaded.context["upload"] == filing.checklist.get().uploads.get().pk
    client.post(
        reverse("desks:intake_material", args=[filing.pk, material.pk]),
        {"status": MaterialStatus.COPY},
        REMOTE_ADDR="10.20.30.40",
    )
    step = history_of(filing).get(transition="record_materials")
    assert (step.actor, step.client_ip, step.context["window"]) == (
        filing.created_by,
        "10.20.30.40",
        filing.window.number,
    )
    assert step.context["materials"] == [{"material": material.pk, "status": MaterialStatus.COPY}]
