"""The citizen's side of a filing through /api/v1/filings/ (a mobile app's): the same services as the
portal's pages, the same refusals, another citizen's filing a 404 on every endpoint, and answers that
are what the OpenAPI schema says."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from apps.accounts.models import AuthorisationKind
from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing, MaterialUpload
from tests.cases.online_hall import make_hall, returned, submitted, taken
from tests.factories import make_staff
from tests.factories.cases import COMPANY, MINIMAL_PDF, PERSON
from tests.hall.test_api_schema import assert_conforms

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 9, 24, 10, 0)


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def post(client, name, *args, body=None):
    return client.post(reverse(name, args=args), body or {}, content_type="application/json")


def pdf():
    return SimpleUploadedFile("身份证.pdf", MINIMAL_PDF, content_type="application/pdf")


@time_machine.travel(TODAY, tick=False)
def test_a_citizen_files_online_through_the_api(client, schema):
    hall = make_hall()
    held = hall.certificate(PERSON.id_number)
    client.force_login(hall.citizen)
    # Applicant fields sent are ignored: the account's own identity is the applicant.
    created = post(
        client,
        "filing-list",
        body={"items": [hall.item.pk], "centre": hall.centre.pk, "applicant_name": "冒名"},
    )
    assert created.status_code == 201, created.json()
    assert_conforms(schema, "/api/v1/filings/", "post", created)
    filing = created.json()
    pk = filing["id"]
    assert (filing["applicant_name"], filing["channel"], filing["state"]) == (PERSON.name, "online", "draft")

    offers = client.get(reverse("filing-e-certificate", args=[pk]))
    assert_conforms(schema, "/api/v1/filings/{id}/e-certificate/", "get", offers)
    [offer] = offers.json()
    assert (offer["material"], offer["used"]) == (hall.licence.code, held.number)
    assert [c["id"] for c in offer["certificates"]] == [held.pk]
    dropped = post(
        client, "filing-e-certificate", pk, body={"material": hall.licence.code, "certificate": None}
    )
    assert dropped.status_code == 200
    assert_conforms(schema, "/api/v1/filings/{id}/e-certificate/", "post", dropped)
    used = post(
        client, "filing-e-certificate", pk, body={"material": hall.licence.code, "certificate": held.pk}
    )
    by_code = {row["material"]: row for row in used.json()["checklist"]}
    assert by_code[hall.licence.code]["status"] == "e_certificate"

    upload_url = reverse("filing-upload", args=[pk, hall.id_card.code])
    first = client.post(upload_url, {"file": pdf()})
    assert first.status_code == 201
    removed = client.delete(reverse("filing-remove-file", args=[pk, first.json()["id"]]))
    assert removed.status_code == 204 and not MaterialUpload.objects.filter(pk=first.json()["id"]).exists()

    refused = post(client, "filing-submit", pk)
    assert refused.status_code == 400
    assert set(refused.json()) == {"declaration", "materials"} and "身份证" in refused.json()["materials"][0]
    assert client.post(upload_url, {"file": pdf()}).status_code == 201
    declared = post(client, "filing-declare", pk)
    assert declared.status_code == 200 and declared.json()["declared_at"]
    assert_conforms(schema, "/api/v1/filings/{id}/declare/", "post", declared)
    done = post(client, "filing-submit", pk)
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    again = post(client, "filing-submit", pk)  # a double click
    assert again.status_code == 409
    assert Filing.objects.get(pk=pk).state == FilingState.SUBMITTED

    timeline = client.get(reverse("filing-timeline", args=[pk]))
    assert_conforms(schema, "/api/v1/filings/{id}/timeline/", "get", timeline)
    assert [step["step"] for step in timeline.json()["steps"]] == ["open", "submit"]
    assert timeline.json()["working_days_left"] is None

    mine = client.get(reverse("filing-list"), {"mine": "1"})
    assert_conforms(schema, "/api/v1/filings/", "get", mine)
    assert [(f["id"], f["next_action"]) for f in mine.json()["results"]] == [(pk, "")]


@time_machine.travel(TODAY, tick=False)
def test_an_agent_files_for_the_organisation_while_authorised(client):
    hall = make_hall()
    authorisation = hall.authorise(hall.citizen, kind=AuthorisationKind.AGENT)
    client.force_login(hall.citizen)
    body = {
        "items": [hall.item.pk],
        "centre": hall.centre.pk,
        "organisation_code": COMPANY.id_number,
        "legal_representative": "李四",
    }
    created = post(client, "filing-list", body=body)
    assert created.status_code == 201, created.json()
    assert (created.json()["applicant_kind"], created.json()["applicant_name"]) == (
        "organisation",
        COMPANY.name,
    )
    authorisation.valid_until = dt.date(2026, 9, 23)
    authorisation.save()
    expired = post(client, "filing-list", body=body)
    assert expired.status_code == 400 and "organisation_code" in expired.json()
    assert Filing.objects.count() == 1


def test_another_citizen_gets_404_on_every_filing_endpoint(client):
    hall = make_hall()
    draft = hall.draft()
    upload = MaterialUpload.objects.create(
        entry=draft.checklist.get(material=hall.id_card),
        file=SimpleUploadedFile("身份证.pdf", MINIMAL_PDF),
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="0" * 64,
    )
    waiting = submitted(hall, hall.draft())
    back = returned(hall, taken(hall, submitted(hall, hall.draft())))
    client.force_login(make_staff(Role.CITIZEN, id_number="110105194912310038", full_name="李四"))
    for pk in (draft.pk, waiting.pk, back.pk):
        assert client.get(reverse("filing-detail", args=[pk])).status_code == 404
        assert client.get(reverse("filing-timeline", args=[pk])).status_code == 404
        assert client.get(reverse("filing-e-certificate", args=[pk])).status_code == 404
        for name, body in (
            ("filing-e-certificate", {"material": hall.licence.code, "certificate": None}),
            ("filing-declare", None),
            ("filing-submit", None),
            ("filing-resubmit", None),
            ("filing-withdraw", {"reason": "不办了"}),
        ):
            assert post(client, name, pk, body=body).status_code == 404, name
        assert client.delete(reverse("filing-detail", args=[pk])).status_code == 404
    assert client.delete(reverse("filing-remove-file", args=[draft.pk, upload.pk])).status_code == 404
    assert client.get(reverse("filing-list"), {"mine": "1"}).json()["results"] == []
    assert Filing.objects.count() == 3 and MaterialUpload.objects.filter(pk=upload.pk).exists()
    assert Filing.objects.get(pk=waiting.pk).state == FilingState.SUBMITTED


def test_the_applicant_resubmits_withdraws_and_discards_through_the_api(client, schema):
    hall = make_hall()
    back = returned(hall, taken(hall, submitted(hall, hall.draft())))
    waiting = submitted(hall, hall.draft())
    in_review = taken(hall, submitted(hall, hall.draft()))
    client.force_login(hall.citizen)

    resubmitted = post(client, "filing-resubmit", back.pk)
    assert resubmitted.status_code == 201
    assert_conforms(schema, "/api/v1/filings/{id}/resubmit/", "post", resubmitted)
    assert resubmitted.json()["resubmission_of"] == back.pk
    twice = post(client, "filing-resubmit", back.pk)
    assert twice.status_code == 409 and resubmitted.json()["number"] in twice.json()["detail"]

    assert post(client, "filing-withdraw", in_review.pk, body={"reason": "不办了"}).status_code == 409
    withdrawn = post(client, "filing-withdraw", waiting.pk, body={"reason": "不办了"})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"

    assert client.delete(reverse("filing-detail", args=[waiting.pk])).status_code == 409  # not a draft
    assert client.delete(reverse("filing-detail", args=[resubmitted.json()["id"]])).status_code == 204
    assert not Filing.objects.filter(pk=resubmitted.json()["id"]).exists()


@time_machine.travel(TODAY, tick=False)
def test_my_filings_through_the_api_cost_the_same_for_one_or_many(client):
    hall = make_hall()
    hall.draft()
    client.force_login(hall.citizen)

    def queries():
        client.get(reverse("filing-list"), {"mine": "1"})  # the session and permissions, once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("filing-list"), {"mine": "1"})
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    one, count = queries()
    assert count == 1
    for _ in range(3):
        submitted(hall, hall.draft())
    returned(hall, taken(hall, submitted(hall, hall.draft())))
    many, count = queries()
    assert count == 5 and many == one
