"""The certificate desk's API: the desk's filings and their preview, dual-control issuing, the
documents and their PDFs, delivery, revocation, the e-certificate library and public verification —
with 404 for what the user may not see, 403 for what they may not do and 409 for a state moved on."""

from dataclasses import replace

import pytest
from django.urls import reverse

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.certificates import numbering, services
from apps.certificates.models import (
    Delivery,
    IssuedDocument,
    IssueRequest,
    RequestState,
    Seal,
    SealStatus,
    VerificationLog,
)
from apps.certificates.verification import VerificationThrottle
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, PERSON, accept_filing, make_filing
from tests.factories.certificates import certificate_item, issue, keeper_for, ready_filing

pytestmark = pytest.mark.django_db

MASKED = "110105********002X"
STRANGER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")
PARCEL_FIELDS = {"recipient_name", "phone", "address", "carrier", "tracking_number"}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def filing_url(filing, action=None) -> str:
    """/api/v1/issuing/filings/<id>/ and its actions: request/, hand-over/, post/."""
    detail = reverse("issuing-filing-detail", args=[filing.pk])
    return detail if action is None else f"{detail}{action}/"


def pdf_bytes(response) -> bytes:
    return response.getvalue()


def citizen_of(filing):
    citizen = make_staff(Role.CITIZEN)
    Filing.objects.filter(pk=filing.pk).update(citizen=citizen)
    return citizen


# --- the desk's filings ----------------------------------------------------------------------------


def test_the_desk_lists_its_ready_filings_paginated_with_masked_id_numbers(client, centre, issuer):
    ready = [ready_filing(centre=centre) for _ in range(2)]
    issued = ready_filing(centre=centre)
    issue(issued)
    ready_filing()  # another centre's
    client.force_login(issuer)
    listed = client.get(reverse("issuing-filing-list")).json()
    assert listed["count"] == 2 and {"next", "previous"} <= set(listed)
    assert [r["id"] for r in listed["results"]] == [f.pk for f in ready]
    assert {r["applicant_id_number"] for r in listed["results"]} == {MASKED}
    assert {r["state"] for r in listed["results"]} == {"ready_for_issue"}
    assert PERSON.id_number not in client.get(reverse("issuing-filing-list")).content.decode()

    issued_list = client.get(reverse("issuing-filing-list"), {"state": "issued"}).json()
    assert [(r["id"], r["state"]) for r in issued_list["results"]] == [(issued.pk, "issued")]
    # Any other state falls back to the ready list: the desk's API lists nothing else.
    other = client.get(reverse("issuing-filing-list"), {"state": "accepted"}).json()
    assert other["count"] == 2


def test_the_preview_gives_each_document_with_its_seal_and_no_problems(client, centre, issuer):
    filing = ready_filing(centre=centre, departments=2)
    client.force_login(issuer)
    preview = client.get(filing_url(filing)).json()
    assert preview["id"] == filing.pk and preview["applicant_id_number"] == MASKED
    assert preview["issued"] == []
    cases = list(filing.cases.select_related("department", "item__result_licence_type").order_by("pk"))
    assert [
        (d["case"], d["kind"], d["certificate_type"], d["seal"], d["problems"]) for d in preview["documents"]
    ] == [
        (
            c.pk,
            "certificate",
            c.item.result_licence_type.name,
            Seal.objects.get(department=c.department).name,
            [],
        )
        for c in cases
    ]
    assert {d["holder"] for d in preview["documents"]} == {PERSON.name}
    assert not IssuedDocument.objects.exists()


def test_another_centres_filing_is_a_404_and_people_without_the_desk_role_get_403(client, centre, issuer):
    filing = ready_filing(centre=centre)
    client.force_login(make_staff(Role.ISSUER))
    assert client.get(filing_url(filing)).status_code == 404
    assert post(client, filing_url(filing, "request")).status_code == 404
    assert client.get(reverse("issuing-filing-list")).json()["results"] == []
    for role in (Role.CLERK, Role.APPROVER, Role.CITIZEN):
        client.force_login(make_staff(role, centre=centre) if role != Role.CITIZEN else make_staff(role))
        assert client.get(reverse("issuing-filing-list")).status_code == 403
        assert post(client, filing_url(filing, "request")).status_code == 403
        assert client.get(reverse("issue-request-list")).status_code == 403
    client.logout()
    assert client.get(reverse("issuing-filing-list")).status_code == 403
    assert not IssueRequest.objects.exists()


# --- asking, confirming, delivering ----------------------------------------------------------------


def test_the_api_walks_a_filing_from_request_to_hand_over(client, english, centre, issuer):
    filing = ready_filing(centre=centre, departments=2)
    client.force_login(issuer)
    asked = post(client, filing_url(filing, "request"), {"note": "请确认"})
    assert asked.status_code == 201
    body = asked.json()
    assert (body["filing_id"], body["state"], body["note"], body["filing"]) == (
        filing.pk,
        "pending",
        "请确认",
        filing.number,
    )
    again = post(client, filing_url(filing, "request"))
    assert again.status_code == 409
    assert again.json()["code"] == "conflict" and "awaiting the seal keeper" in again.json()["detail"]
    assert IssueRequest.objects.filter(state=RequestState.PENDING).count() == 1

    request_id = body["id"]
    confirm = reverse("issue-request-confirm", args=[request_id])
    assert [r["id"] for r in client.get(reverse("issue-request-list")).json()["results"]] == [request_id]
    refused = post(client, confirm)
    assert refused.status_code == 403 and "Dual control" in refused.json()["detail"]
    assert not IssuedDocument.objects.exists()

    keeper = keeper_for(filing)
    client.force_login(keeper)
    confirmed = post(client, confirm)
    assert confirmed.status_code == 201
    documents = confirmed.json()
    assert len(documents) == 2
    stored = {d.pk: d for d in IssuedDocument.objects.select_related("library_entry")}
    for document in documents:
        row = stored[document["id"]]
        assert document["number"] == row.number and row.number
        assert document["identifier"] == row.library_entry.identifier
        assert document["identifier"].startswith("1.2.156.3005.2.")
        assert document["kind"] == "certificate" and document["status"] == "valid"
        assert document["pdf"] == "http://testserver" + reverse("document-pdf", args=[row.pk])
        assert (row.issued_by, row.confirmed_by) == (issuer, keeper)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED
    assert IssueRequest.objects.get(pk=request_id).state == RequestState.CONFIRMED
    assert post(client, confirm).status_code == 404  # no longer pending: not in the list of requests

    first = client.get(documents[0]["pdf"])
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first["Cache-Control"] == "private, no-store"
    content = pdf_bytes(first)
    assert content.startswith(b"%PDF")
    assert pdf_bytes(client.get(documents[0]["pdf"])) == content
    assert pdf_bytes(client.get(documents[1]["pdf"])) != content

    client.force_login(issuer)
    issued = client.get(filing_url(filing)).json()
    assert sorted(d["id"] for d in issued["issued"]) == sorted(stored)

    stranger = post(
        client,
        filing_url(filing, "hand-over"),
        {"recipient_name": "赵六", "recipient_id_number": STRANGER_ID},
    )
    assert stranger.status_code == 400 and set(stranger.json()) == {"recipient_id_number"}
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED

    handed = post(
        client,
        filing_url(filing, "hand-over"),
        {"recipient_name": PERSON.name, "recipient_id_number": PERSON.id_number},
    )
    assert handed.status_code == 201
    assert (handed.json()["method"], handed.json()["recipient_role"], handed.json()["filing"]) == (
        "handover",
        "applicant",
        filing.number,
    )
    assert Filing.objects.get(pk=filing.pk).state == FilingState.CLOSED

    twice = post(
        client,
        filing_url(filing, "hand-over"),
        {"recipient_name": PERSON.name, "recipient_id_number": PERSON.id_number},
    )
    assert twice.status_code == 409 and "delivered already" in twice.json()["detail"]
    parcel = {f: "x" for f in PARCEL_FIELDS}
    assert post(client, filing_url(filing, "post"), parcel).status_code == 409
    assert Delivery.objects.count() == 1


def test_a_keeper_may_cancel_a_request_and_the_filing_can_be_asked_again(client, centre, issuer):
    filing = ready_filing(centre=centre)
    client.force_login(issuer)
    request_id = post(client, filing_url(filing, "request")).json()["id"]
    client.force_login(keeper_for(filing))
    cancelled = post(client, reverse("issue-request-cancel", args=[request_id]), {"note": "材料有误"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    client.force_login(issuer)
    assert post(client, filing_url(filing, "request")).status_code == 201


def test_another_issuer_cannot_confirm_and_a_keeper_of_another_centre_does_not_see_the_request(
    client, english, centre, issuer
):
    filing = ready_filing(centre=centre)
    pending = services.request_issue(filing_id=filing.pk, actor=issuer)
    confirm = reverse("issue-request-confirm", args=[pending.pk])
    client.force_login(make_staff(Role.ISSUER, centre=centre))
    assert post(client, confirm).status_code == 403
    client.force_login(make_staff(Role.SEAL_KEEPER))
    assert post(client, confirm).status_code == 404
    assert not IssuedDocument.objects.exists()
    assert IssueRequest.objects.get().state == RequestState.PENDING


def test_posting_without_the_parcels_details_names_each_missing_field(client, centre, issuer):
    filing = ready_filing(centre=centre)
    issue(filing, issuer=issuer)
    client.force_login(issuer)
    missing = post(client, filing_url(filing, "post"))
    assert missing.status_code == 400 and set(missing.json()) == PARCEL_FIELDS
    blank = post(client, filing_url(filing, "post"), {f: " " for f in PARCEL_FIELDS})
    assert blank.status_code == 400 and set(blank.json()) == PARCEL_FIELDS
    partial = post(client, filing_url(filing, "post"), {"recipient_name": "张三", "phone": "13812343210"})
    assert partial.status_code == 400 and set(partial.json()) == {"address", "carrier", "tracking_number"}
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED

    posted = post(
        client,
        filing_url(filing, "post"),
        {
            "recipient_name": "张三",
            "phone": "13812343210",
            "address": "测试市测试路1号",
            "carrier": "中国邮政EMS",
            "tracking_number": "EA123456789CN",
        },
    )
    assert posted.status_code == 201 and posted.json()["tracking_number"] == "EA123456789CN"
    assert Filing.objects.get(pk=filing.pk).state == FilingState.CLOSED


def test_a_companys_documents_go_to_its_authorised_agent_only(client, centre, issuer):
    agent = replace(COMPANY, agent_name="赵六", agent_id_number=STRANGER_ID, agent_phone="13900002222")
    filing = ready_filing(centre=centre, applicant=agent)
    issue(filing, issuer=issuer)
    client.force_login(issuer)
    hand_over = filing_url(filing, "hand-over")
    wrong_name = post(client, hand_over, {"recipient_name": "赵七", "recipient_id_number": STRANGER_ID})
    assert wrong_name.status_code == 400 and set(wrong_name.json()) == {"recipient_id_number"}
    bad_number = post(client, hand_over, {"recipient_name": "赵六", "recipient_id_number": "123"})
    assert bad_number.status_code == 400 and set(bad_number.json()) == {"recipient_id_number"}
    no_name = post(client, hand_over, {"recipient_name": "", "recipient_id_number": STRANGER_ID})
    assert no_name.status_code == 400 and set(no_name.json()) == {"recipient_name"}
    assert Filing.objects.get(pk=filing.pk).state == FilingState.ISSUED

    handed = post(client, hand_over, {"recipient_name": "赵六", "recipient_id_number": STRANGER_ID.lower()})
    assert handed.status_code == 201 and handed.json()["recipient_role"] == "agent"
    assert Delivery.objects.get().recipient_id_number == STRANGER_ID


# --- what stands in the way ------------------------------------------------------------------------


def test_asking_to_issue_an_undecided_filing_is_a_409_saying_why(client, english, centre, issuer):
    department = DepartmentFactory(centre=centre)
    filing = accept_filing(make_filing(items=[certificate_item(department)], centre=centre))
    client.force_login(issuer)
    refused = post(client, filing_url(filing, "request"))
    assert refused.status_code == 409
    assert "Not every case of this filing has been decided" in refused.json()["detail"]
    assert not IssueRequest.objects.exists()


def test_asking_with_a_suspended_seal_is_a_400_naming_the_seal(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    seal = Seal.objects.get(department=filing.cases.get().department)
    services.set_seal_status(
        seal_id=seal.pk, actor=seal.custodian, status=SealStatus.SUSPENDED, reason="印章送修"
    )
    client.force_login(issuer)
    preview = client.get(filing_url(filing)).json()
    [problem] = preview["documents"][0]["problems"]
    assert seal.name in problem and preview["documents"][0]["seal"] is None
    refused = post(client, filing_url(filing, "request"))
    assert refused.status_code == 400
    [message] = refused.json()["non_field_errors"]
    assert seal.name in message and "suspended" in message
    assert not IssueRequest.objects.exists()


def test_a_seal_suspended_after_the_request_stops_the_confirmation(client, english, centre, issuer):
    filing = ready_filing(centre=centre)
    pending = services.request_issue(filing_id=filing.pk, actor=issuer)
    seal = Seal.objects.get(department=filing.cases.get().department)
    services.set_seal_status(
        seal_id=seal.pk, actor=seal.custodian, status=SealStatus.SUSPENDED, reason="遗失"
    )
    client.force_login(seal.custodian)
    refused = post(client, reverse("issue-request-confirm", args=[pending.pk]))
    assert refused.status_code == 400 and seal.name in refused.json()["non_field_errors"][0]
    assert not IssuedDocument.objects.exists()
    assert IssueRequest.objects.get().state == RequestState.PENDING


# --- who sees which document -----------------------------------------------------------------------


def test_a_citizen_sees_only_the_documents_of_their_own_filings(client, centre):
    mine, theirs = ready_filing(centre=centre), ready_filing(centre=centre)
    [my_document], [their_document] = issue(mine), issue(theirs)
    citizen = citizen_of(mine)
    citizen_of(theirs)
    client.force_login(citizen)
    listed = client.get(reverse("document-list")).json()["results"]
    assert [d["id"] for d in listed] == [my_document.pk]
    assert client.get(reverse("document-detail", args=[my_document.pk])).json()["filing"] == mine.number
    assert pdf_bytes(client.get(reverse("document-pdf", args=[my_document.pk]))).startswith(b"%PDF")
    assert client.get(reverse("document-detail", args=[their_document.pk])).status_code == 404
    assert client.get(reverse("document-pdf", args=[their_document.pk])).status_code == 404
    # Citizens do not use the desk.
    assert client.get(reverse("issuing-filing-list")).status_code == 403


def test_documents_of_another_centre_are_a_404_and_anonymous_visitors_get_403(client, centre, issuer):
    filing = ready_filing(centre=centre)
    [document] = issue(filing, issuer=issuer)
    client.force_login(issuer)
    assert [d["id"] for d in client.get(reverse("document-list")).json()["results"]] == [document.pk]

    client.force_login(make_staff(Role.ISSUER))
    assert client.get(reverse("document-list")).json()["results"] == []
    assert client.get(reverse("document-detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("document-pdf", args=[document.pk])).status_code == 404

    # A decision-maker sees their department's documents, not another department's of the same centre.
    client.force_login(make_staff(Role.DECISION_MAKER, department=DepartmentFactory(centre=centre)))
    assert client.get(reverse("document-detail", args=[document.pk])).status_code == 404
    client.force_login(make_staff(Role.DECISION_MAKER, department=document.department))
    assert client.get(reverse("document-detail", args=[document.pk])).status_code == 200

    client.logout()
    assert client.get(reverse("document-list")).status_code == 403
    assert client.get(reverse("document-detail", args=[document.pk])).status_code == 403
    assert client.get(reverse("document-pdf", args=[document.pk])).status_code == 403


# --- revocation ------------------------------------------------------------------------------------


def test_a_decision_maker_of_the_issuing_department_revokes_and_verification_says_so(
    client, english, centre, issuer
):
    filing = ready_filing(centre=centre)
    [document] = issue(filing, issuer=issuer)
    revoke = reverse("document-revoke", args=[document.pk])

    client.force_login(issuer)
    assert post(client, revoke, {"reason": "以欺骗手段取得"}).status_code == 403
    client.force_login(make_staff(Role.DECISION_MAKER, department=DepartmentFactory(centre=centre)))
    assert post(client, revoke, {"reason": "以欺骗手段取得"}).status_code == 404
    document.library_entry.refresh_from_db()
    assert document.library_entry.status == "valid"

    client.force_login(make_staff(Role.DECISION_MAKER, department=document.department))
    assert set(post(client, revoke).json()) == {"reason"}
    assert post(client, revoke, {"reason": "x", "mode": "destroy"}).status_code == 400
    revoked = post(client, revoke, {"reason": "以欺骗手段取得"})
    assert revoked.status_code == 200
    assert (revoked.json()["id"], revoked.json()["status"]) == (document.pk, "revoked")
    again = post(client, revoke, {"reason": "再次撤销"})
    assert again.status_code == 409

    client.logout()
    verified = client.get(reverse("verify-token", args=[document.verification_token]))
    assert verified.status_code == 200 and verified.json()["outcome"] == "revoked"
    assert verified.json()["certificate"]["revoked_at"]


def test_a_decision_of_denial_cannot_be_revoked(client, centre, issuer):
    from apps.cases.models import Outcome

    filing = ready_filing(centre=centre, outcome=Outcome.DENY)
    [document] = issue(filing, issuer=issuer)
    assert document.kind == "denial" and document.verification_token is None
    client.force_login(make_staff(Role.DECISION_MAKER, department=document.department))
    refused = post(client, reverse("document-revoke", args=[document.pk]), {"reason": "误发"})
    assert refused.status_code == 400
    shown = client.get(reverse("document-detail", args=[document.pk])).json()
    assert (shown["kind"], shown["status"], shown["identifier"]) == ("denial", None, None)


# --- the e-certificate library ---------------------------------------------------------------------


def test_the_library_finds_a_holders_certificates_for_staff_and_own_ones_for_a_citizen(client, centre):
    mine, theirs = ready_filing(centre=centre), ready_filing(centre=centre)
    [my_document], [their_document] = issue(mine), issue(theirs)
    citizen = citizen_of(mine)
    library = reverse("library")

    client.force_login(make_staff(Role.CLERK, centre=centre))
    found = client.get(library, {"holder_code": PERSON.id_number.lower()}).json()
    assert sorted(e["number"] for e in found["results"]) == sorted(
        [my_document.number, their_document.number]
    )
    assert {e["status"] for e in found["results"]} == {"valid"}
    assert {e["holder_code"] for e in found["results"]} == {PERSON.id_number}
    assert client.get(library).json()["results"] == []  # staff name the holder
    assert client.get(library, {"holder_code": STRANGER_ID}).json()["results"] == []

    client.force_login(citizen)
    own = client.get(library, {"holder_code": PERSON.id_number}).json()["results"]
    assert [e["number"] for e in own] == [my_document.number]
    assert [e["number"] for e in client.get(library, {"holder_code": STRANGER_ID}).json()["results"]] == [
        my_document.number
    ]

    client.logout()
    assert client.get(library, {"holder_code": PERSON.id_number}).status_code == 403


# --- public verification ---------------------------------------------------------------------------


@pytest.fixture
def certificate(centre, issuer):
    [document] = issue(ready_filing(centre=centre), issuer=issuer)
    return document


def test_verifying_a_token_needs_no_login_and_masks_the_holder(client, certificate):
    response = client.get(reverse("verify-token", args=[certificate.verification_token]))
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "valid" and body["verdict"]
    facts = body["certificate"]
    assert facts["holder"] == "张*" and facts["holder_code"] == MASKED
    assert facts["number"] == certificate.number and facts["status"] == "valid"
    page = response.content.decode()
    assert "张*" in page and PERSON.id_number not in page and PERSON.name not in page
    [logged] = VerificationLog.objects.all()
    assert (logged.method, logged.document, logged.outcome) == ("token", certificate, "valid")


def test_an_organisations_name_is_shown_in_full(client, centre, issuer):
    [document] = issue(ready_filing(centre=centre, applicant=COMPANY), issuer=issuer)
    facts = client.get(reverse("verify-token", args=[document.verification_token])).json()["certificate"]
    assert facts["holder"] == COMPANY.name and COMPANY.id_number not in str(facts)


def test_an_unknown_token_is_said_to_be_unknown(client, certificate):
    response = client.get(reverse("verify-token", args=["not-a-token-anyone-was-given"]))
    assert response.status_code == 200
    assert response.json()["outcome"] == "unknown" and response.json()["certificate"] is None
    assert VerificationLog.objects.get().outcome == "unknown"


def test_verifying_by_number_and_check_code(client, certificate):
    url = reverse("verify-number")
    code = numbering.check_code(certificate.licence_type.code, certificate.number)
    assert code == certificate.content["check_code"]
    right = client.get(url, {"number": certificate.number, "code": code.lower()})
    assert right.status_code == 200 and right.json()["outcome"] == "valid"
    assert right.json()["certificate"]["number"] == certificate.number

    wrong_code = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    wrong = client.get(url, {"number": certificate.number, "code": wrong_code})
    assert wrong.status_code == 200
    assert wrong.json()["outcome"] == "tampered" and wrong.json()["certificate"] is None
    unknown = client.get(url, {"number": certificate.number + "9", "code": code})
    assert unknown.json()["outcome"] == "unknown"

    missing = client.get(url, {"number": certificate.number})
    assert missing.status_code == 400 and set(missing.json()) == {"code"}
    assert client.get(url).status_code == 400
    assert [log.outcome for log in VerificationLog.objects.order_by("pk")] == ["valid", "tampered", "unknown"]


def test_verification_is_rate_limited_per_address_and_the_refusal_is_logged(client, monkeypatch, certificate):
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "3/min"})
    url = reverse("verify-token", args=[certificate.verification_token])
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200 and response.json()["outcome"] == "valid"
    limited = client.get(url)
    assert limited.status_code == 429
    assert limited.json()["outcome"] == "limited" and limited.json()["certificate"] is None
    assert limited.json()["verdict"]
    by_number = client.get(
        reverse("verify-number"),
        {"number": certificate.number, "code": certificate.content["check_code"]},
    )
    assert by_number.status_code == 429
    outcomes = [(log.method, log.outcome, log.document_id) for log in VerificationLog.objects.order_by("pk")]
    assert outcomes == [("token", "valid", certificate.pk)] * 3 + [
        ("token", "limited", None),
        ("number", "limited", None),
    ]
    # Another address is counted apart.
    other = client.get(url, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and other.json()["outcome"] == "valid"


def test_the_public_page_and_the_api_share_the_count(client, monkeypatch, certificate):
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "2/min"})
    token = certificate.verification_token
    assert client.get(reverse("verification:token", args=[token])).status_code == 200
    assert client.get(reverse("verify-token", args=[token])).status_code == 200
    assert client.get(reverse("verification:token", args=[token])).status_code == 429
    assert client.get(reverse("verify-token", args=[token])).status_code == 429
    assert VerificationLog.objects.filter(outcome="limited").count() == 2


def test_a_made_up_forwarded_for_header_does_not_escape_the_rate_limit(client, monkeypatch, certificate):
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "3/min"})
    url = reverse("verify-token", args=[certificate.verification_token])
    for _ in range(3):
        assert client.get(url).status_code == 200
    spoofed = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert VerificationLog.objects.order_by("pk").last().client_ip == "127.0.0.1"  # the same client
    assert spoofed.status_code == 429


def test_a_clerk_membership_at_another_centre_does_not_open_its_desk_in_the_api(client, centre, issuer):
    elsewhere = ServiceCentreFactory()
    make_staff(Role.CLERK, centre=elsewhere, username=issuer.username)
    theirs = ready_filing(centre=elsewhere)
    client.force_login(issuer)
    assert client.get(reverse("issuing-filing-list")).json()["results"] == []
    assert post(client, filing_url(theirs, "request")).status_code == 404
    assert not IssueRequest.objects.exists()


# --- the schema ------------------------------------------------------------------------------------


def test_the_api_schema_still_generates_with_the_certificate_endpoints(client):
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = response.content.decode()
    for path in (
        "/api/v1/verify/{token}/",
        "/api/v1/verify/:",
        "/api/v1/issuing/filings/{id}/request/",
        "/api/v1/issuing/requests/{id}/confirm/",
        "/api/v1/documents/{id}/pdf/",
        "/api/v1/library/",
    ):
        assert path in schema, path
