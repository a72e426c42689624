"""No input breaks a page: a NUL byte, an id that is not a number (or too big for one), an unknown
choice, a tampered field name, an over-long string, a JSON body nested ten thousand levels deep or a
made-up forwarded address each get a 4xx saying what is wrong — never a 500 — and every error under
/api/ is JSON.

The over-long cases hold on SQLite too (which would store the text): the refusal must come from
validation, before any database sees the value. Run this file on PostgreSQL as well, where a NUL byte
and an over-long column are database errors."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.codes import CaseState
from apps.cases.models import ChecklistEntry, Escalation, EscalationLevel, Filing, MaterialUpload
from apps.cases.review import services as review
from apps.certificates.models import IssueRequest, VerificationLog
from apps.certificates.verification import VerificationThrottle
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import accept_filing, comprehensive_window, make_filing
from tests.factories.catalogue import MaterialFactory, default_children, make_item
from tests.factories.certificates import ready_filing

pytestmark = pytest.mark.django_db

NUL = "\x00"
LONG = "长" * 10_000
HUGE = "9" * 30  # a number no id column can hold
PERSON = {
    "applicant_kind": "person",
    "applicant_name": "张三",
    "applicant_id_number": "11010519491231002X",
}


@pytest.fixture(autouse=True)
def _cheap_hashing_and_an_empty_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # verification lookups are counted per address
    yield
    cache.clear()


@pytest.fixture
def hall(db):
    """One centre with a clerk and a draft filing, an approver holding a case, a supervisor with an
    escalation, and an issuer with a filing ready for issue."""
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    material = MaterialFactory(name="身份证")
    item = make_item(department=department, children=default_children([material]))
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    filing = make_filing(items=[item], window=window, clerk=clerk)
    approver = make_staff(Role.APPROVER, department=department)
    case = accept_filing(make_filing(items=[item], window=window, clerk=clerk)).cases.get()
    review.claim(case_id=case.pk, actor=approver)
    supervisor = make_staff(Role.SUPERVISOR, centre=centre, department=department)
    escalation = Escalation.objects.create(
        case=case,
        reason="overdue",
        level=EscalationLevel.DEPARTMENT,
        department=department,
        opened_on="2026-01-05",
    )
    ready = ready_filing(centre=centre)
    issuer = make_staff(Role.ISSUER, centre=centre)
    return {
        "centre": centre,
        "item": item,
        "material": material,
        "clerk": clerk,
        "filing": filing,
        "approver": approver,
        "case": case,
        "supervisor": supervisor,
        "escalation": escalation,
        "issuer": issuer,
        "ready": ready,
        "anonymous": None,
    }


def _send(client, hall, who, method, url, data=None, *, as_json=False, **extra):
    if hall[who] is not None:
        client.force_login(hall[who])
    url = url.format(
        filing=hall["filing"].pk,
        material=hall["material"].pk,
        code=hall["material"].code,
        item=hall["item"].pk,
        case=hall["case"].pk,
        escalation=hall["escalation"].pk,
        ready=hall["ready"].pk,
    )
    if method == "get":
        return client.get(url, data or {}, **extra)
    if as_json:
        body = data if isinstance(data, (str, bytes)) else json.dumps(data or {})
        return client.post(url, body, content_type="application/json", **extra)
    return client.post(url, data or {}, **extra)


def _assert_4xx(response, url, *, status=None):
    assert 400 <= response.status_code < 500, (url, response.status_code, response.content[:300])
    if status is not None:
        assert response.status_code == status, (url, response.status_code, response.content[:300])
    if url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json"), (url, response["Content-Type"])
        body = response.json()
        assert body, url


# --- NUL bytes --------------------------------------------------------------------------------------

NUL_REQUESTS = [
    # Public pages, no login.
    ("anonymous", "get", "/verify/", {"number": NUL, "code": "ABCD"}),
    ("anonymous", "get", "/verify/", {"number": "JY1", "code": NUL}),
    ("anonymous", "get", "/verify/%00/", None),
    ("anonymous", "get", "/verify/abc%00def/", None),
    ("anonymous", "get", "/track/%00/", None),
    ("anonymous", "get", "/guide/", {"q": NUL}),
    ("anonymous", "get", "/guide/", {NUL: "1"}),
    ("anonymous", "get", "/guide/items/%00/", None),
    ("anonymous", "get", "/guide/bundles/a%00/", None),
    ("anonymous", "post", "/accounts/login/", {"username": "clerk" + NUL, "password": "x"}),
    ("anonymous", "post", "/i18n/setlang/", {"language": NUL, "next": "/"}),
    ("anonymous", "get", "/api/v1/verify/", {"number": NUL, "code": "ABCD"}),
    ("anonymous", "get", "/api/v1/verify/%00/", None),
    ("anonymous", "get", "/api/v1/catalogue/items/", {"q": NUL}),
    ("anonymous", "get", "/api/v1/catalogue/bundles/%00/", None),
    ("anonymous", "get", "/api/v1/catalogue/materials/%00/", None),
    ("anonymous", "get", "/static/css/hall%00.css", None),
    # Staff pages and API, logged in.
    ("clerk", "get", "/intake/new/", {"bundle": NUL}),
    ("clerk", "get", "/intake/search/", {"q": NUL}),
    ("clerk", "post", "/intake/filings/{filing}/materials/{material}/", {"status": "original", "note": NUL}),
    ("clerk", "get", "/api/v1/filings/", {"state": NUL}),
    ("clerk", "get", "/api/v1/filings/{filing}/materials/%00/", None),
    ("approver", "get", "/backoffice/", {"queue": NUL}),
    ("approver", "post", "/backoffice/cases/{case}/record_opinion/", {"text": "好" + NUL}),
    ("approver", "get", "/api/v1/cases/", {"channel": NUL}),
    ("supervisor", "post", "/supervision/escalations/{escalation}/acknowledge/", {"note": NUL}),
    ("issuer", "get", "/issuing/seals/", {"seal": NUL}),
    ("issuer", "get", "/api/v1/library/", {"holder_code": NUL}),
]


@pytest.mark.parametrize(("who", "method", "url", "data"), NUL_REQUESTS)
def test_a_nul_byte_in_a_path_query_or_form_is_a_400(client, hall, who, method, url, data):
    response = _send(client, hall, who, method, url, data)
    _assert_4xx(response, url, status=400)


@pytest.mark.parametrize(
    ("who", "url", "body"),
    [
        ("clerk", "/api/v1/filings/{filing}/materials/{code}/", {"status": "original", "note": "a\u0000b"}),
        ("clerk", "/api/v1/filings/", {"items": [1], "applicant_name": "张\u0000三"}),
        ("approver", "/api/v1/cases/{case}/opinions/", {"text": "ok", "\u0000": 1}),
    ],
)
def test_a_nul_character_in_a_json_body_is_a_400(client, hall, who, url, body):
    response = _send(client, hall, who, "post", url, body, as_json=True)
    _assert_4xx(response, url, status=400)


def _every_url() -> list[str]:
    """Every URL of the URL configuration (the admin's too), with "1" for each of its parameters."""
    from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = pattern.pattern
                names = getattr(route, "converters", {}) or route.regex.groupindex
                yield f"{namespace}{pattern.name}", list(names)

    urls = set()
    for name, parameters in walk(get_resolver()):
        try:
            urls.add(reverse(name, kwargs={parameter: "1" for parameter in parameters}))
        except NoReverseMatch:  # a name reused by another pattern (DRF's format suffixes): covered there
            continue
    return sorted(urls)


def test_a_nul_byte_in_the_query_of_every_url_is_a_400(client, hall):
    """Generated from the URL configuration, so that a URL added later is covered too."""
    urls = _every_url()
    assert len(urls) > 100 and "/verify/" in urls and "/api/v1/verify/" in urls
    for who in ("anonymous", "clerk"):
        if hall[who] is not None:
            client.force_login(hall[who])
        for url in urls:
            response = client.get(url, {"q": NUL})
            _assert_4xx(response, url, status=400)


def test_an_unpaired_surrogate_in_a_json_body_is_a_400(client, hall):
    client.force_login(hall["approver"])
    url = reverse("case-opinions", args=[hall["case"].pk])
    response = client.post(url, '{"text": "\\ud800"}', content_type="application/json")
    _assert_4xx(response, url, status=400)
    assert response.json()["code"] == "invalid_character"
    assert not hall["case"].opinions.exists()


def test_a_nul_byte_in_a_multipart_field_is_a_400_but_file_contents_may_hold_any_byte(client, hall):
    client.force_login(hall["clerk"])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\x00\ntrailer<<>>\n%%EOF\n"
    desk = reverse("desks:intake_upload", args=[hall["filing"].pk, hall["material"].pk])
    refused = client.post(desk, {"file": SimpleUploadedFile("a.pdf", pdf), "note": NUL})
    _assert_4xx(refused, desk, status=400)
    assert not MaterialUpload.objects.exists()
    api = reverse("filing-upload", args=[hall["filing"].pk, hall["material"].code])
    accepted = client.post(
        api, {"file": SimpleUploadedFile("a\x00.pdf", pdf, content_type="application/pdf")}
    )
    assert accepted.status_code == 201, accepted.content[:300]
    assert MaterialUpload.objects.get().original_name == "a.pdf"  # the name lost its control character


def test_a_session_cookie_with_a_nul_byte_is_ignored(client, hall):
    client.cookies["sessionid"] = NUL * 32
    response = client.get("/guide/")
    assert response.status_code == 200


def test_the_refusal_says_why_in_chinese_and_english_on_pages_and_in_json_for_the_api(client):
    page = client.get("/verify/", {"number": NUL})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert text.count("NUL") == 2  # said in Chinese, then in English (before the language is known)
    assert "which no text may contain" in text
    api = client.get("/api/v1/verify/", {"number": NUL})
    assert api.status_code == 400
    assert api.json()["code"] == "nul_character"
    assert api.json()["detail"]


# --- ids that are not numbers, or too big for one ----------------------------------------------------

ID_REQUESTS = [
    ("clerk", "get", "/intake/new/", {"item": "abc"}, None),
    ("clerk", "get", "/intake/new/", {"item": HUGE}, None),
    ("clerk", "get", "/intake/new/", {"item": "-1"}, None),
    ("clerk", "get", f"/intake/filings/{HUGE}/", None, 404),
    ("clerk", "post", f"/intake/filings/{{filing}}/materials/{HUGE}/", {"status": "original"}, None),
    ("clerk", "get", "/api/v1/filings/abc/", None, 404),
    ("clerk", "get", f"/api/v1/filings/{HUGE}/", None, 404),
    ("clerk", "get", f"/api/v1/filings/{HUGE}/uploads/1/", None, 404),
    ("clerk", "get", f"/api/v1/filings/{{filing}}/notices/{HUGE}/", None, 404),
    ("approver", "get", "/api/v1/cases/abc/", None, 404),
    ("approver", "get", "/api/v1/cases/", {"item": "abc"}, 400),
    ("approver", "get", "/api/v1/cases/", {"category": HUGE}, 400),
    ("approver", "get", "/backoffice/", {"category": HUGE}, 200),
    ("approver", "get", "/backoffice/", {"page": HUGE}, 200),
    ("approver", "get", f"/api/v1/cases/{HUGE}/correction-files/1/", None, 404),
    ("issuer", "get", "/api/v1/issuing/filings/abc/", None, 404),
    ("issuer", "get", f"/api/v1/issuing/filings/{HUGE}/", None, 404),
    ("issuer", "get", "/api/v1/issuing/requests/abc/", None, 404),
    ("issuer", "get", "/api/v1/documents/abc/", None, 404),
    ("issuer", "get", f"/issuing/filings/{{ready}}/preview/{HUGE}/", None, None),
    ("issuer", "get", "/issuing/", {"page": "abc"}, 200),
    ("anonymous", "get", "/api/v1/catalogue/items/", {"centre": "abc"}, 400),
    ("anonymous", "get", "/api/v1/catalogue/items/", {"centre": "1e999"}, 400),
    ("anonymous", "get", "/api/v1/catalogue/items/", {"visits": HUGE}, 400),
    ("anonymous", "get", "/api/v1/catalogue/items/abc/", None, 404),
    ("anonymous", "get", f"/guide/files/{HUGE}/sample/", None, 404),
    ("anonymous", "get", "/guide/", {"centre": HUGE}, 200),
]


@pytest.mark.parametrize(("who", "method", "url", "data", "status"), ID_REQUESTS)
def test_an_id_that_is_not_a_number_or_too_big_is_a_4xx(client, hall, who, method, url, data, status):
    response = _send(client, hall, who, method, url, data)
    if status == 200:
        assert response.status_code == 200, (url, response.status_code)
        return
    if status is None and response.status_code == 302:  # a desk's refusal, said on the page it returns to
        return
    _assert_4xx(response, url, status=status)


@pytest.mark.parametrize(
    ("who", "url", "body", "field"),
    [
        ("clerk", "/api/v1/filings/", {"items": ["abc"], **PERSON}, "items"),
        ("clerk", "/api/v1/filings/", {"items": [int(HUGE)], **PERSON}, "items"),
        ("clerk", "/api/v1/filings/", {"items": [1], "window": int(HUGE), **PERSON}, "window"),
        ("clerk", "/api/v1/filings/", {"items": [1], "centre": "abc", **PERSON}, "centre"),
        ("approver", "/api/v1/cases/{case}/extend/", {"days": int(HUGE), "reason": "需要"}, "days"),
    ],
)
def test_a_number_field_that_is_not_one_or_too_big_is_a_400_naming_it(client, hall, who, url, body, field):
    response = _send(client, hall, who, "post", url, body, as_json=True)
    _assert_4xx(response, url, status=400)
    assert field in response.json(), response.json()


# --- unknown choices -----------------------------------------------------------------------------

CHOICE_REQUESTS = [
    ("clerk", "/api/v1/filings/", {"items": [1], **PERSON, "applicant_kind": "alien"}, "applicant_kind"),
    ("clerk", "/api/v1/filings/{filing}/materials/{code}/", {"status": "carrier_pigeon"}, "status"),
    (
        "clerk",
        "/api/v1/filings/{filing}/materials/",
        {"materials": [{"material": "x", "status": "lost"}]},
        "materials",
    ),
    ("approver", "/api/v1/cases/{case}/decide/", {"outcome": "maybe"}, "outcome"),
    (
        "approver",
        "/api/v1/cases/{case}/special-procedure/",
        {"procedure": "magic", "reason": "x"},
        "procedure",
    ),
    ("issuer", "/api/v1/documents/1/revoke/", {"mode": "shred", "reason": "x"}, None),
]


@pytest.mark.parametrize(("who", "url", "body", "field"), CHOICE_REQUESTS)
def test_an_unknown_choice_is_a_400_naming_the_field(client, hall, who, url, body, field):
    response = _send(client, hall, who, "post", url, body, as_json=True)
    _assert_4xx(response, url)
    if field:
        assert response.status_code == 400
        assert field in response.json(), response.json()


@pytest.mark.parametrize(
    ("who", "url", "query", "field"),
    [
        ("approver", "/api/v1/cases/", {"queue": "everything"}, "queue"),
        ("approver", "/api/v1/cases/", {"channel": "carrier_pigeon"}, "channel"),
        ("anonymous", "/api/v1/catalogue/items/", {"level": "9"}, "level"),
        ("anonymous", "/api/v1/catalogue/items/", {"channel": "carrier_pigeon"}, "channel"),
    ],
)
def test_an_unknown_choice_in_a_query_is_a_400_naming_it(client, hall, who, url, query, field):
    response = _send(client, hall, who, "get", url, query)
    _assert_4xx(response, url, status=400)
    assert field in response.json(), response.json()


def test_an_unknown_channel_at_the_desk_is_never_a_500(client, hall):
    client.force_login(hall["clerk"])
    response = client.post(
        reverse("desks:intake_new"), {"item": hall["item"].pk, "channel": "carrier_pigeon", **PERSON}
    )
    assert response.status_code < 500
    assert not Filing.objects.filter(channel="carrier_pigeon").exists()


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        (
            "approver",
            "/backoffice/cases/{case}/start_special_procedure/",
            {"procedure": "magic", "reason": "x"},
        ),
        ("approver", "/backoffice/cases/{case}/propose_decision/", {"outcome": "maybe"}),
        ("approver", "/backoffice/cases/{case}/revoke/", {"mode": "shred", "reason": "x"}),
    ],
)
def test_an_unknown_choice_at_a_desk_is_refused_with_a_message(client, hall, who, url, data):
    response = _send(client, hall, who, "post", url, data)
    assert response.status_code in (302, 400, 404), response.status_code


# --- tampered desk field names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        ("clerk", "/intake/filings/{filing}/decide/return_for_completion/", {"reason_abc": "缺少"}),
        ("clerk", "/intake/filings/{filing}/decide/return_for_completion/", {f"reason_{HUGE}": "缺少"}),
        ("approver", "/backoffice/cases/{case}/request_correction/", {"what_abc": "补充"}),
        ("approver", "/backoffice/cases/{case}/request_correction/", {f"what_{HUGE}": "补充"}),
        ("approver", "/backoffice/cases/{case}/request_correction/", {"what_-1": "补充"}),
    ],
)
def test_a_tampered_desk_field_name_is_a_form_error_naming_it(client, hall, who, url, data):
    response = _send(client, hall, who, "post", url, data, follow=True)
    assert response.status_code == 200, response.status_code  # back on the desk's page, not a 4xx/500
    [name] = data
    assert name[:60] in response.content.decode()  # the message says which field was not the form's
    assert hall["case"].corrections.count() == 0
    assert Filing.objects.get(pk=hall["filing"].pk).completion_list == []


# --- over-long strings -----------------------------------------------------------------------------

LONG_API_REQUESTS = [
    ("clerk", "/api/v1/filings/", {"items": [1], **PERSON, "applicant_name": LONG}, "applicant_name"),
    ("clerk", "/api/v1/filings/{filing}/materials/{code}/", {"status": "original", "note": LONG}, "note"),
    (
        "clerk",
        "/api/v1/filings/{filing}/materials/{code}/",
        {"status": "original", "certificate_reference": LONG},
        "certificate_reference",
    ),
    (
        "clerk",
        "/api/v1/filings/{filing}/materials/",
        {"materials": [{"material": "{code}", "status": "original", "note": LONG}]},
        "materials",
    ),
    ("clerk", "/api/v1/filings/{filing}/refuse/", {"reasons": LONG, "legal_basis": "法"}, "reasons"),
    ("clerk", "/api/v1/filings/{filing}/withdraw/", {"reason": LONG}, "reason"),
    ("clerk", "/api/v1/filings/{filing}/return/", {"corrections": [{"reason": LONG}]}, "corrections"),
    ("clerk", "/api/v1/filings/{filing}/release/", {"reason": LONG}, "reason"),
    ("approver", "/api/v1/cases/{case}/opinions/", {"text": LONG}, "text"),
    (
        "approver",
        "/api/v1/cases/{case}/decide/",
        {"outcome": "approve", "holder": LONG, "scope": "x"},
        "holder",
    ),
    (
        "approver",
        "/api/v1/cases/{case}/decide/",
        {"outcome": "deny", "reasons": LONG, "legal_basis": "x"},
        "reasons",
    ),
    ("approver", "/api/v1/cases/{case}/corrections/", {"items": [{"what": LONG}]}, "items"),
    ("approver", "/api/v1/cases/{case}/release/", {"reason": LONG}, "reason"),
    ("issuer", "/api/v1/issuing/filings/{ready}/request/", {"note": LONG}, "note"),
    (
        "issuer",
        "/api/v1/issuing/filings/{ready}/hand-over/",
        {"recipient_name": LONG, "recipient_id_number": "1"},
        "recipient_name",
    ),
]


@pytest.mark.parametrize(("who", "url", "body", "field"), LONG_API_REQUESTS)
def test_an_over_long_string_in_the_api_is_a_400_naming_the_field(client, hall, who, url, body, field):
    body = json.loads(json.dumps(body).replace("{code}", hall["material"].code))
    response = _send(client, hall, who, "post", url, body, as_json=True)
    _assert_4xx(response, url, status=400)
    assert field in response.json(), response.json()
    assert LONG not in json.dumps(response.json(), ensure_ascii=False)


def test_an_over_long_search_is_a_400_in_the_api_and_ignored_on_the_public_page(client, hall):
    response = client.get("/api/v1/catalogue/items/", {"q": LONG})
    _assert_4xx(response, "/api/v1/catalogue/items/", status=400)
    assert "q" in response.json()
    assert client.get("/api/v1/verify/", {"number": LONG, "code": "ABCD"}).status_code == 400
    assert client.get("/guide/", {"q": LONG}).status_code == 200


@pytest.mark.parametrize(
    ("who", "url", "data", "unchanged"),
    [
        (
            "clerk",
            "/intake/filings/{filing}/materials/{material}/",
            {"status": "original", "note": LONG},
            lambda hall: ChecklistEntry.objects.filter(filing=hall["filing"], status="original").exists(),
        ),
        (
            "approver",
            "/backoffice/cases/{case}/approve/",
            {"holder": LONG, "scope": "经营"},
            lambda hall: hall["case"].__class__.objects.get(pk=hall["case"].pk).state != CaseState.IN_REVIEW,
        ),
        (
            "approver",
            "/backoffice/cases/{case}/record_opinion/",
            {"text": LONG},
            lambda hall: hall["case"].opinions.exists(),
        ),
        (
            "approver",
            "/backoffice/cases/{case}/release/",
            {"reason": LONG},
            lambda hall: hall["case"].__class__.objects.get(pk=hall["case"].pk).state != CaseState.IN_REVIEW,
        ),
        (
            "supervisor",
            "/supervision/escalations/{escalation}/acknowledge/",
            {"note": LONG},
            lambda hall: Escalation.objects.get(pk=hall["escalation"].pk).acknowledged_at is not None,
        ),
        (
            "issuer",
            "/issuing/filings/{ready}/request_issue/",
            {"note": LONG},
            lambda hall: IssueRequest.objects.exists(),
        ),
        (
            "issuer",
            "/issuing/filings/{ready}/hand_over/",
            {"recipient_name": LONG, "recipient_id_number": "11010519491231002X"},
            lambda hall: hall["ready"].__class__.objects.get(pk=hall["ready"].pk).state == "closed",
        ),
    ],
)
def test_an_over_long_string_at_a_desk_is_refused_naming_the_field_and_nothing_is_stored(
    client, hall, who, url, data, unchanged
):
    response = _send(client, hall, who, "post", url, data, follow=True)
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    assert LONG not in page
    assert "10000" in page and ("字符" in page or "characters" in page)  # the limit is said
    assert not unchanged(hall)


@pytest.mark.parametrize(
    ("who", "url", "body"),
    [
        ("clerk", "/api/v1/filings/{filing}/accept-with-deficiency/", {"commitment_date": "9999-12-31"}),
        ("clerk", "/api/v1/filings/{filing}/accept-with-deficiency/", {"commitment_date": "0001-01-01"}),
        (
            "approver",
            "/api/v1/cases/{case}/special-procedure/",
            {"procedure": "hearing", "reason": "听证", "planned_end_on": "9999-12-31"},
        ),
        (
            "approver",
            "/api/v1/cases/{case}/decide/",
            {"outcome": "approve", "holder": "张三", "scope": "经营", "valid_until": "9999-12-31"},
        ),
        ("approver", "/api/v1/cases/{case}/extend/", {"days": -5, "reason": "需要"}),
    ],
)
def test_dates_and_numbers_at_the_edges_of_their_range_are_never_a_500(client, hall, who, url, body):
    response = _send(client, hall, who, "post", url, body, as_json=True)
    assert response.status_code < 500, (url, response.status_code, response.content[:300])


# --- JSON bodies ------------------------------------------------------------------------------------


def test_a_json_body_nested_ten_thousand_levels_deep_is_a_400(client, hall):
    deep = "[" * 10_000 + "]" * 10_000
    for who, url in (
        ("clerk", reverse("filing-list")),
        ("approver", reverse("case-opinions", args=[hall["case"].pk])),
    ):
        client.force_login(hall[who])
        response = client.post(url, deep, content_type="application/json")
        _assert_4xx(response, url, status=400)
        assert response.json()["code"] == "nested_too_deeply"


def test_a_json_body_nested_moderately_deep_is_still_refused_past_the_limit(client, hall):
    client.force_login(hall["approver"])
    url = reverse("case-opinions", args=[hall["case"].pk])
    nested = '{"text": ' + "[" * 40 + "]" * 40 + "}"
    response = client.post(url, nested, content_type="application/json")
    _assert_4xx(response, url, status=400)
    fine = client.post(url, {"text": "同意"}, content_type="application/json")
    assert fine.status_code == 200


def test_a_json_body_over_the_size_limit_is_a_400(client, hall, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(hall["approver"])
    url = reverse("case-opinions", args=[hall["case"].pk])
    response = client.post(url, json.dumps({"text": "好" * 20_000}), content_type="application/json")
    _assert_4xx(response, url, status=400)


def test_malformed_json_is_a_400_in_json(client, hall):
    client.force_login(hall["clerk"])
    url = reverse("filing-list")
    response = client.post(url, '{"items": [1', content_type="application/json")
    _assert_4xx(response, url, status=400)
    assert response.json()["code"] == "parse_error"


# --- forwarded addresses ----------------------------------------------------------------------------


def test_a_forwarded_address_that_is_not_an_ip_is_never_a_500_nor_recorded(client, settings):
    # Behind a trusted proxy (the test client's address), whose X-Forwarded-For is believed.
    settings.HALL_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.AXES_IPWARE_PROXY_COUNT = 1
    response = client.get("/verify/", {"number": "JY1", "code": "ABCD"}, HTTP_X_FORWARDED_FOR="not-an-ip")
    assert response.status_code < 500
    api = client.get("/api/v1/verify/", {"number": "JY1", "code": "ABCD"}, HTTP_X_FORWARDED_FOR="<script>")
    assert api.status_code < 500
    import ipaddress

    for address in VerificationLog.objects.values_list("client_ip", flat=True):
        assert address is None or ipaddress.ip_address(address)


# --- the API's errors are JSON ----------------------------------------------------------------------


def test_api_errors_are_json_with_a_detail_and_a_code(client, hall):
    cases = [
        (client.get("/api/v1/no-such-thing/"), 404, "not_found"),
        (client.get("/api/v1/filings/"), 403, "not_authenticated"),
    ]
    client.force_login(hall["clerk"])
    cases += [
        (client.put("/api/v1/filings/", "{}", content_type="application/json"), 405, "method_not_allowed"),
        (client.get(f"/api/v1/filings/{hall['filing'].pk}/uploads/99999/"), 404, "not_found"),
        (client.get("/api/v1/cases/"), 403, "permission_denied"),
        (client.post("/api/v1/filings/", "{", content_type="application/json"), 400, "parse_error"),
        (client.post("/api/v1/filings/", "x", content_type="text/plain"), 415, "unsupported_media_type"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (response.status_code, response.content[:200])
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        body = response.json()
        assert body["code"] == code, body
        assert body["detail"], body


def test_the_verification_limit_is_a_json_429_in_the_api(client, monkeypatch):
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "1/min"})
    client.get("/api/v1/verify/", {"number": "JY1", "code": "ABCD"})
    response = client.get("/api/v1/verify/", {"number": "JY1", "code": "ABCD"})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")


def test_in_development_too_the_api_answers_errors_in_json_not_technical_pages(
    client, hall, settings, monkeypatch
):
    """DEBUG makes Django answer 404s and 500s with its technical pages: under /api/ they are JSON
    all the same (the schemathesis run serves the API in development mode)."""
    from apps.cases import selectors

    settings.DEBUG = True
    missing = client.get("/api/v1/no-such-thing/")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(selectors, "filings_visible_to", broken)
    client.raise_request_exception = False
    client.force_login(hall["clerk"])
    failed = client.get(f"/api/v1/filings/{hall['filing'].pk}/uploads/1/")
    assert (failed.status_code, failed.json()["code"]) == (500, "server_error")
    assert "the disk is full" not in failed.content.decode()


def test_a_host_the_hall_does_not_serve_is_a_400_in_json_under_the_api(client):
    api = client.get("/api/v1/catalogue/items/", HTTP_HOST="evil.example")
    assert api.status_code == 400
    assert api.json()["code"] == "bad_request"
    page = client.get("/guide/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


def test_pages_outside_the_api_keep_their_html_errors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unexpected_error_in_an_api_view_is_a_logged_json_500(client, hall, monkeypatch, caplog):
    from apps.cases import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "filing_detail", broken)
    client.raise_request_exception = False
    client.force_login(hall["clerk"])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(reverse("filing-detail", args=[hall["filing"].pk]))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": response.json()["detail"], "code": "server_error"}
    assert "database went away" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert record.exc_info and "database went away" in str(record.exc_info[1])


def test_an_unexpected_error_in_a_plain_view_under_the_api_is_a_json_500(client, hall, monkeypatch):
    from apps.cases import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(selectors, "filings_visible_to", broken)
    monkeypatch.setattr(selectors, "filing_detail", broken)
    client.raise_request_exception = False
    client.force_login(hall["clerk"])
    response = client.get(f"/api/v1/filings/{hall['filing'].pk}/uploads/1/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    html = client.get(reverse("desks:intake_filing", args=[hall["filing"].pk]))
    assert html.status_code == 500
    assert html["Content-Type"].startswith("text/html")
