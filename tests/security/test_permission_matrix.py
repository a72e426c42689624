"""The permission matrix: every URL of the hall × every kind of user → what they must get.

``MATRIX`` below is the one table. Each row is one URL pattern and method (the route as the URL
configuration spells it, ``<name>`` for a path parameter), the world objects its parameters point at
(all of them the city's), and the expected outcome for each user of ``tests/security/world.py``. A
row names the users who get each outcome; everyone else gets ``rest`` (anonymous gets ``anon``).

``test_every_url_has_a_row`` reads the URL configuration: a new URL without a row, or a row whose URL
or method is gone, fails it. ``test_permission`` runs one request per (row, user).

The rules are docs/security.md's role-to-data table (the access spec). Outcomes are categories where
the business rule behind the permission may answer in more than one way:

- ``OK``: the request reached the rule: 2xx, 400 (the body is incomplete), 409 (the state moved on),
  or a desk's redirect back to its page (success or an error message alike).
- ``DONE``: it succeeded: 2xx, or a desk's redirect without an error message.
- ``REFUSED``: the object is visible but the action is not this user's: 400/403/409, or a desk's
  redirect carrying an error message.
- ``CONFLICT``: 409, or a desk's redirect with an error message.
- ``NOT_FOUND``: 404 — not allowed to see the object (another centre, department or citizen).
- ``FORBIDDEN``: 403 — a desk or action the user's roles never open.
- ``DENIED``: 403 or 404, where either is right (a role without the desk's permission, for an object
  it could not see anyway).
- ``LOGIN``: anonymous: a desk redirects to the login page; the API answers 401 or 403.
- ``HIDDEN``: a list that must not show the city's filings: 403/404, or 2xx whose body names none
  of the city's filing numbers, document numbers or seals.

Besides, no response to a user of ``NEVER_SEE_FULL_ID`` (world.py) may contain the city applicant's
full identity number (``sees_id`` exempts a user on a row where they typed it themselves).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.visits.devices import DEVICE_COOKIE, DEVICE_HEADER
from tests.security.world import NEVER_SEE_FULL_ID, PDF, USERS

pytestmark = pytest.mark.django_db

OK, DONE, REFUSED, CONFLICT = "OK", "DONE", "REFUSED", "CONFLICT"
NOT_FOUND, FORBIDDEN, DENIED, LOGIN, HIDDEN = "NOT_FOUND", "FORBIDDEN", "DENIED", "LOGIN", "HIDDEN"
RULE = (OK, FORBIDDEN)  # the object is visible; the case's graph may still refuse this user (403)
FILE = object()  # in a body: a small valid PDF, sent as multipart


class _Refs:
    """``w.f_case`` in the table: the world's value of that name, read when the request is made."""

    def __getattr__(self, name):
        return Ref(name)


@dataclass(frozen=True)
class Ref:
    name: str


w = _Refs()


@dataclass(frozen=True)
class Row:
    method: str
    route: str
    args: dict
    expect: dict  # user → tuple of acceptable outcomes
    query: dict = field(default_factory=dict)
    body: dict | None = None
    multipart: bool = False
    sees_id: frozenset = frozenset()
    label: str = ""
    device: Ref | None = None  # a hall device's key (world value), sent as the device sends it
    hides: tuple = ()  # world values no response of the row may contain, whoever asks

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.route

    @property
    def name(self) -> str:
        return f"{self.method} {self.route}{f' [{self.label}]' if self.label else ''}"


@dataclass(frozen=True)
class Skip:
    prefix: str
    reason: str


def _names(text: str) -> list[str]:
    names = text.split()
    unknown = set(names) - set(USERS)
    assert not unknown, f"unknown users in the matrix: {unknown}"
    return names


def R(
    key: str,
    *,
    ok="",
    done="",
    refused="",
    conflict="",
    not_found="",
    forbidden="",
    denied="",
    hidden="",
    rule="",
    also=None,
    rest=DENIED,
    anon=LOGIN,
    query=None,
    body=None,
    multipart=False,
    sees_id="",
    label="",
    device=None,
    hides=(),
    **args,
) -> Row:
    """One row: ``key`` is "METHOD route"; path parameters by name (``pk=w.f_case``)."""
    method, route = key.split(" ", 1)
    expect = {}
    for outcome, users in (
        (OK, ok),
        (DONE, done),
        (REFUSED, refused),
        (CONFLICT, conflict),
        (NOT_FOUND, not_found),
        (FORBIDDEN, forbidden),
        (DENIED, denied),
        (HIDDEN, hidden),
        (RULE, rule),
        *((v, k) for k, v in (also or {}).items()),
    ):
        for user in _names(users):
            assert user not in expect, f"{key}: {user} is listed twice"
            expect[user] = outcome if isinstance(outcome, tuple) else (outcome,)
    for user in USERS:
        default = anon if user == "anonymous" else rest
        expect.setdefault(user, default if isinstance(default, tuple) else (default,))
    if not label:
        label = " ".join(f"{k}={v.name if isinstance(v, Ref) else v}" for k, v in args.items())
        if device is not None:
            label = f"{label} {device.name}".strip()
    return Row(
        method,
        route,
        args,
        expect,
        query or {},
        body,
        multipart,
        frozenset(_names(sees_id)),
        label,
        device,
        tuple(hides),
    )


# --- who is who (world.py builds them) -------------------------------------------------------------
CITY_CLERKS = "clerk@city other_clerk@city"
ELSEWHERE_CLERKS = "clerk@county dual"  # a clerk, but not at the city (dual supervises the city)
ALL_CLERKS = f"{CITY_CLERKS} {ELSEWHERE_CLERKS}"
D1 = "approver@D1 decision_maker@D1"  # the case's department
OTHER_DEPARTMENTS = "approver@D2 approver@D3"
CITY_DESK = "issuer@city seal_keeper@city"  # the city's certificate desk
CATALOGUE_ADMINS = "catalogue_admin@city catalogue_admin@county"
SUPERVISORS = "supervisor@city dual"
PUBLIC = {"rest": OK, "anon": OK}
# Who sees a city filing's details, files and notices: the applicant, the centre's clerks, and the
# department with a case in it.
FILING_READERS = f"citizen {CITY_CLERKS} {D1}"
# What the window actions send: valid bodies, so that the rule, not the serializer, answers.
APPLICANT = {
    "applicant_kind": "person",
    "applicant_name": w.person_name,
    "applicant_id_number": w.person_id,
    "applicant_phone": "13812343210",
}
# What the hall's screens (display, kiosk) never show, to anyone: the called citizen's full name (masked
# 张* there) — their full ID number is checked for everyone who must never see it, as everywhere.
SCREEN_HIDES = (w.citizen_name,)
REFUSAL = {"reasons": "不属于本中心受理范围。", "legal_basis": "《中华人民共和国行政许可法》第三十二条"}

# fmt: off
MATRIX = (
    Skip("/admin/", "Django admin: staff status and model permissions, a system of its own"),
    Skip("/static/", "static files are served by the proxy, not by the URL configuration"),

    # --- accounts, public pages ----------------------------------------------------------------------
    R("GET /", **PUBLIC),  # visitors: the public home; a logged-in user lands on their desk
    R("GET /accounts/login/", **PUBLIC),
    R("POST /accounts/login/", **PUBLIC, body={}),
    R("POST /accounts/logout/", rest=(OK, LOGIN), anon=(OK, LOGIN)),  # back to the login page
    R("GET /accounts/password/", rest=OK),
    R("POST /accounts/password/", rest=OK, body={}),
    R("GET /accounts/password/done/", rest=OK),
    R("POST /i18n/setlang/", **PUBLIC, body={"language": "en", "next": "/guide/"}),
    R("GET /healthz", **PUBLIC),
    R("GET /guide/", **PUBLIC),
    R("GET /guide/items/<code>/", **PUBLIC, code=w.i1_code),
    R("GET /guide/items/<code>/result-sample/", **PUBLIC, code=w.i1_code),
    R("GET /guide/bundles/<code>/", **PUBLIC, code=w.bundle),
    R("GET /guide/files/<requirement_id>/<kind>/", **PUBLIC, requirement_id=w.requirement, kind="blank_form"),
    R("GET /track/<token>/", **PUBLIC, token=w.tracking_token),
    R("GET /track/", **PUBLIC, query={"address": w.tracking_token}),  # redirects to the tracking page
    R("GET /verify/", **PUBLIC, query={"number": w.document_number, "code": w.check_code}),
    R("GET /verify/<token>/", **PUBLIC, token=w.document_token),
    R("GET /api/v1/verify/", **PUBLIC, query={"number": w.document_number, "code": w.check_code}),
    R("GET /api/v1/verify/<token>/", **PUBLIC, token=w.document_token),
    # A rating link (好差评: a notice's or certificate's QR code, the 办结 SMS): anyone holding a genuine
    # one rates as the applicant; a forged one is a 404 for everyone.
    # The city filing's genuine link: its online pre-review was the city clerk's, who may not rate it.
    R("GET /rate/<token>/", **PUBLIC, token=w.rating_token),
    R("POST /rate/<token>/", refused="clerk@city", rest=DONE, anon=DONE, token=w.rating_token,
      body={"act": "online_pre_review", "level": "2"}),
    R("GET /api/v1/rate/<token>/", **PUBLIC, token=w.rating_token),
    R("POST /api/v1/rate/<token>/", refused="clerk@city", rest=DONE, anon=DONE, token=w.rating_token,
      body={"act": "online_pre_review", "level": "2"}),
    R("GET /rate/<token>/", rest=NOT_FOUND, anon=NOT_FOUND, token="not-a-rating-link", label="forged"),
    R("POST /rate/<token>/", rest=NOT_FOUND, anon=NOT_FOUND, token="not-a-rating-link", label="forged",
      body={"act": "online_pre_review", "level": "2"}),
    R("GET /api/v1/rate/<token>/", rest=NOT_FOUND, anon=NOT_FOUND, token="not-a-rating-link", label="forged"),
    R("POST /api/v1/rate/<token>/", rest=NOT_FOUND, anon=NOT_FOUND, token="not-a-rating-link", label="forged",
      body={"act": "online_pre_review", "level": "2"}),
    # Spec silent: the schema and its page are public in development; production asks for a login
    # (item 9, tests/hall/test_security_headers.py). Either is right here.
    R("GET /api/schema/", rest=OK, anon=(OK, LOGIN)),
    R("GET /api/docs/", rest=OK, anon=(OK, LOGIN)),
    R("GET /api/v1/me/", rest=OK),  # spec silent: one's own account and memberships
    # Spec silent: job runs are the hall's, not a centre's: supervisors and catalogue admins anywhere.
    R("GET /ops/jobs/", ok=f"{SUPERVISORS} {CATALOGUE_ADMINS}", rest=FORBIDDEN, anon=(LOGIN, FORBIDDEN)),

    # --- the desks' landing pages ----------------------------------------------------------------------
    R("GET /intake/", ok=CITY_CLERKS, hidden=ELSEWHERE_CLERKS, rest=FORBIDDEN),
    R("GET /backoffice/", ok=D1, hidden=OTHER_DEPARTMENTS, rest=FORBIDDEN),
    R("GET /issuing/", ok=CITY_DESK, hidden="issuer@county", rest=FORBIDDEN),
    R("GET /issuing/", ok=CITY_DESK, hidden="issuer@county", rest=FORBIDDEN,
      query={"tab": "requests"}, label="tab=requests"),
    R("GET /issuing/", ok=CITY_DESK, hidden="issuer@county", rest=FORBIDDEN,
      query={"tab": "delivery"}, label="tab=delivery"),
    R("GET /supervision/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /catalogue/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN),
    R("GET /portal/", ok="citizen", hidden="other_citizen", rest=FORBIDDEN),
    # A filing's page and its actions (issue 16, C1): the applicant's account only; another citizen
    # 404, staff 403. The actions are posted empty or on a filing where they cannot apply (an
    # accepted one is neither resubmitted nor discarded): refused, never done, and never a 500.
    R("GET /portal/filings/<pk>/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN, pk=w.f_case),
    R("POST /portal/filings/<pk>/corrections/<correction_pk>/answer/", refused="citizen",
      not_found="other_citizen", rest=FORBIDDEN, pk=w.f_case, correction_pk=w.correction, body={}),
    R("POST /portal/filings/<pk>/resubmit/", refused="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_case, body={}),
    R("POST /portal/filings/<pk>/withdraw/", refused="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_case, body={}),
    R("POST /portal/filings/<pk>/discard/", refused="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_case, body={}),
    # The elder-friendly switch is anyone's (a cookie on their own device).
    R("POST /portal/elder-mode/", **PUBLIC, body={"on": "1"}),

    # --- citizen accounts (issue 16, A): registration and codes are public; an organisation's
    # authorisation and its letter are its own account's (another citizen: 404) ----------------------
    R("GET /accounts/register/", **PUBLIC),  # a logged-in user is sent to their landing page
    R("POST /accounts/register/", **PUBLIC, body={}),
    R("GET /accounts/login/code/", **PUBLIC),
    R("POST /accounts/login/code/", **PUBLIC, body={}),
    R("GET /accounts/password-reset/", **PUBLIC),
    R("POST /accounts/password-reset/", **PUBLIC, body={}),
    R("POST /api/v1/accounts/codes/", **PUBLIC, body={}),
    R("POST /api/v1/accounts/register/", **PUBLIC, body={}),
    R("POST /api/v1/accounts/login/", **PUBLIC, body={}),
    R("POST /api/v1/accounts/password-reset/", **PUBLIC, body={}),
    R("GET /portal/organisations/", ok="citizen other_citizen", rest=FORBIDDEN),
    R("GET /portal/organisations/add/", ok="citizen other_citizen", rest=FORBIDDEN),
    R("POST /portal/organisations/add/", ok="citizen other_citizen", rest=FORBIDDEN, body={}),
    R("GET /portal/organisations/<pk>/letter/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.authorisation),
    R("GET /api/v1/organisations/", ok="citizen other_citizen", rest=FORBIDDEN),
    R("POST /api/v1/organisations/", ok="citizen other_citizen", rest=FORBIDDEN, body={}),
    R("GET /api/v1/organisations/<pk>/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.authorisation),
    R("GET /api/v1/organisations/<pk>/letter/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.authorisation),
    R("POST /api/v1/organisations/<pk>/revoke/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.authorisation),
    R("POST /portal/organisations/<pk>/revoke/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.authorisation),
    # --- the inbox, the wallet and the delivery choice (issue 16, D): a message, a certificate and a
    # filing's choice are their own account's (another citizen: 404); staff have no wallet ------------
    R("GET /portal/inbox/", ok="citizen", hidden="other_citizen", rest=FORBIDDEN),
    R("GET /portal/inbox/<pk>/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN, pk=w.message),
    R("GET /portal/wallet/", ok="citizen", hidden="other_citizen", rest=FORBIDDEN),
    R("GET /portal/wallet/<pk>/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN, pk=w.document),
    R("GET /portal/wallet/<pk>/qr.svg", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.document),
    R("GET /portal/wallet/<pk>/pdf/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.document),
    R("GET /portal/filings/<pk>/delivery/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_ready),
    R("POST /portal/filings/<pk>/delivery/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_ready, body={"method": "handover"}),
    R("POST /portal/filings/<pk>/delivery/", conflict="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_issued, body={"method": "handover"}, label="issued"),
    R("GET /portal/filings/<pk>/rate/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN, pk=w.f_case),
    R("POST /portal/filings/<pk>/rate/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_case, body={"act": "online_pre_review", "level": "2"}),
    # The same through the API (好差评): the account's own filing; another's 404, staff 403.
    R("GET /api/v1/filings/<pk>/ratings/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_case),
    R("POST /api/v1/filings/<pk>/ratings/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_case, body={"act": "online_pre_review", "level": "2"}),
    R("GET /api/v1/portal/inbox/", ok="citizen", rest=HIDDEN),  # staff have their own inboxes
    R("GET /api/v1/portal/inbox/<pk>/", ok="citizen", rest=NOT_FOUND, pk=w.message),
    R("POST /api/v1/portal/inbox/<pk>/read/", done="citizen", rest=NOT_FOUND, pk=w.message),
    R("GET /api/v1/portal/inbox/unread/", rest=OK),
    R("GET /api/v1/portal/wallet/", ok="citizen", hidden="other_citizen", rest=FORBIDDEN),
    R("GET /api/v1/portal/wallet/<pk>/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.document),
    R("GET /api/v1/portal/wallet/<pk>/qr/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.document),
    R("GET /api/v1/portal/wallet/<pk>/pdf/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.document),
    # Nothing chosen yet is a 404 too: the citizen may find the choice or not, in whichever order.
    R("GET /api/v1/portal/filings/<pk>/delivery/", also={"citizen": (OK, NOT_FOUND)},
      not_found="other_citizen", rest=FORBIDDEN, pk=w.f_ready),
    R("PUT /api/v1/portal/filings/<pk>/delivery/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_ready, body={"method": "handover"}),
    R("PUT /api/v1/portal/filings/<pk>/delivery/", conflict="citizen", not_found="other_citizen",
      rest=FORBIDDEN, pk=w.f_issued, body={"method": "handover"}, label="issued"),
    # --- the filing wizard (issue 16, C2): any citizen starts one; a draft's steps are its own
    # account's (another citizen: 404); staff never file online ----------------------------------------
    R("GET /portal/apply/", ok="citizen other_citizen", rest=FORBIDDEN, query={"item": w.i1}),
    R("GET /portal/apply/applicant/", ok="citizen other_citizen", rest=FORBIDDEN, query={"item": w.i1}),
    R("POST /portal/apply/applicant/", ok="citizen other_citizen", rest=FORBIDDEN, query={"item": w.i1},
      body={"applicant": "self"}),
    R("GET /portal/drafts/<pk>/materials/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_draft),
    R("POST /portal/drafts/<pk>/materials/<material_id>/upload/", done="citizen", not_found="other_citizen",
      rest=FORBIDDEN, pk=w.f_draft, material_id=w.material, body={"file": FILE}, multipart=True),
    R("POST /portal/drafts/<pk>/materials/<material_id>/e-certificate/", ok="citizen",
      not_found="other_citizen", rest=FORBIDDEN, pk=w.f_draft, material_id=w.material, body={}),
    R("POST /portal/drafts/<pk>/uploads/<upload_id>/remove/", done="citizen", not_found="other_citizen",
      rest=FORBIDDEN, pk=w.f_draft, upload_id=w.draft_upload),
    R("GET /portal/drafts/<pk>/declaration/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_draft),
    R("POST /portal/drafts/<pk>/declaration/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_draft, body={"agree": "1"}),
    R("GET /portal/drafts/<pk>/review/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_draft),
    R("POST /portal/drafts/<pk>/review/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.f_draft, body={}),
    # The window verifies a citizen's account: clerks (each at their own window's centre).
    R("GET /intake/verify-citizen/", ok=ALL_CLERKS, rest=FORBIDDEN, query={"q": "13812343210"}),
    R("POST /intake/verify-citizen/", ok=ALL_CLERKS, rest=FORBIDDEN, body={}),
    # ... and an organisation authorisation against its letter, at the clerk's own window (an
    # authorisation belongs to no centre: any centre's clerk verifies it there; citizens never).
    R("POST /api/v1/authorisations/<pk>/verify/", done=ALL_CLERKS, rest=FORBIDDEN, pk=w.authorisation,
      body={}),
    # ... and an account against the identity card (posted without the card's number: refused).
    R("POST /api/v1/accounts/<pk>/verify-real-name/", refused=ALL_CLERKS, rest=FORBIDDEN,
      pk=w.citizen_account, body={}),

    # --- the intake desk (a city filing: the city's clerks; a clerk elsewhere gets 404) --------------
    R("GET /intake/search/", ok=ALL_CLERKS, rest=FORBIDDEN, query={"q": "测试"}),
    R("GET /intake/check-identity/", ok=ALL_CLERKS, rest=FORBIDDEN,
      query={"applicant_kind": "person", "applicant_id_number": "11010519491231002X"}),
    R("GET /intake/new/", ok=CITY_CLERKS, not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, query={"item": w.i1}),
    R("POST /intake/new/", done=CITY_CLERKS, not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN,
      query={"item": w.i1}, body=APPLICANT),
    R("GET /intake/filings/<pk>/", ok=CITY_CLERKS, not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.f_pre),
    # A citizen's online draft is theirs until they submit it: no window sees it.
    R("GET /intake/filings/<pk>/", not_found=ALL_CLERKS, rest=FORBIDDEN, pk=w.f_draft),
    # In pre-review, only the clerk who took it (clerk@city) works on it.
    R("POST /intake/filings/<pk>/materials/<material_id>/", done="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.f_pre, material_id=w.material,
      body={"status": "original"}),
    R("POST /intake/filings/<pk>/materials/<material_id>/upload/", done="clerk@city",
      refused="other_clerk@city", not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.f_pre,
      material_id=w.material, body={"file": FILE}, multipart=True),
    R("POST /intake/filings/<pk>/all-received/", done="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.f_pre),
    R("POST /intake/filings/<pk>/pre-review/<action>/", done=CITY_CLERKS, not_found=ELSEWHERE_CLERKS,
      rest=FORBIDDEN, pk=w.f_sub, action="start_pre_review"),
    R("POST /intake/filings/<pk>/pre-review/<action>/", done="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.f_pre, action="release_pre_review",
      body={"reason": "材料需线下核对"}),
    R("POST /intake/filings/<pk>/decide/<decision>/", done="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.f_pre, decision="refuse", body=REFUSAL),
    R("POST /intake/filings/<pk>/decide/<decision>/", also={CITY_CLERKS: (NOT_FOUND, CONFLICT)},
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.f_draft, decision="refuse", body=REFUSAL),
    # A window's own draft: any clerk of the centre at their window.
    R("POST /intake/filings/<pk>/decide/<decision>/", done=CITY_CLERKS, not_found=ELSEWHERE_CLERKS,
      rest=FORBIDDEN, pk=w.f_win, decision="refuse", body=REFUSAL),

    # --- the approval desk ---------------------------------------------------------------------------------
    R("GET /backoffice/cases/<pk>/", ok=D1, not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.case),
    R("POST /backoffice/cases/<pk>/<action>/", ok=D1, not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN,
      pk=w.case, action="record_opinion", body={"text": "材料齐全"}),
    R("POST /backoffice/cases/<pk>/revoke/", done="decision_maker@D1", refused="approver@D1",
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.case_issued,
      body={"reason": "以欺骗手段取得", "mode": "revoke"}),

    # --- the certificate desk ------------------------------------------------------------------------------
    R("GET /issuing/filings/<pk>/", ok=CITY_DESK, not_found="issuer@county", rest=FORBIDDEN, pk=w.f_ready),
    R("GET /issuing/filings/<pk>/preview/<case_id>/", ok=CITY_DESK, not_found="issuer@county",
      rest=FORBIDDEN, pk=w.f_ready, case_id=w.case_ready),
    R("POST /issuing/filings/<pk>/<action>/", ok=CITY_DESK, not_found="issuer@county", rest=FORBIDDEN,
      pk=w.f_ready, action="request_issue"),
    # Dual control: the issuer who asked cannot confirm.
    R("POST /issuing/filings/<pk>/<action>/", done="seal_keeper@city", refused="issuer@city",
      not_found="issuer@county", rest=FORBIDDEN, pk=w.f_ready, action="confirm_issue",
      body={"request": w.issue_request}),
    R("GET /issuing/seals/", ok=CITY_DESK, hidden="issuer@county", rest=FORBIDDEN),
    R("POST /issuing/seals/<pk>/status/", done="seal_keeper@city", rest=FORBIDDEN, pk=w.seal,
      body={"reason": "印章送检"}),

    # --- the supervision desk ------------------------------------------------------------------------------
    R("POST /supervision/escalations/<pk>/<action>/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.escalation,
      action="acknowledge", body={"note": "已督促"}),
    # The rating figures (好差评统计), page, download and API: supervisors, scoped to their centre.
    R("GET /supervision/figures/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/figures/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/rating-figures/", ok=SUPERVISORS, rest=FORBIDDEN),
    # The hall figures (大厅运行统计, issue 18), page, download and API: the same, scoped alike.
    R("GET /supervision/hall-figures/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/hall-figures/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/hall-figures/", ok=SUPERVISORS, rest=FORBIDDEN),
    # 12345 ratings entered by a supervisor (the API is POST /api/v1/phone-ratings/): a number not of
    # their centre finds nothing, and a post without a filing goes back to the page.
    R("GET /supervision/phone-ratings/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("POST /supervision/phone-ratings/", ok=SUPERVISORS, rest=FORBIDDEN, body={"number": "NO-SUCH-FILING"}),
    R("POST /api/v1/phone-ratings/", refused=SUPERVISORS, rest=FORBIDDEN, body={}),
    R("POST /api/v1/phone-ratings/", not_found=SUPERVISORS, rest=FORBIDDEN, label="no such filing",
      body={"filing_number": "NO-SUCH-FILING", "act": "window_visit", "level": "2", "caller_name": "王先生",
            "caller_phone": "13900002222"}),

    # --- supervision and statistics (电子监察, issue 19): supervisors only, each cut by their scope --------
    # (department and other-centre supervisors: test_supervision_scopes.py). Figures: page, download, API.
    R("GET /supervision/work/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/work/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/work-figures/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/work-figures/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    # A bad month or an unknown table is named: the form's 400, a table not found.
    R("GET /supervision/work/", refused=SUPERVISORS, rest=FORBIDDEN, query={"month": "2026-13"},
      label="bad month"),
    R("GET /api/v1/work-figures/", refused=SUPERVISORS, rest=FORBIDDEN, query={"month": "2026-13"},
      label="bad month"),
    R("GET /supervision/work/export/", not_found=SUPERVISORS, rest=FORBIDDEN, query={"table": "nothing"},
      label="no such table"),
    R("GET /api/v1/work-figures/export/", not_found=SUPERVISORS, rest=FORBIDDEN, query={"table": "nothing"},
      label="no such table"),
    R("GET /supervision/catalogue/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/catalogue/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/catalogue-figures/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/catalogue-figures/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    # Cases at risk: the list, a case's page for its supervisors (the applicant masked), and an early
    # escalation with a note (the city's red case of D1; the other open case has one open already).
    R("GET /supervision/at-risk/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/at-risk/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/at-risk/cases/<pk>/", ok=SUPERVISORS, rest=FORBIDDEN, pk=w.case_red),
    R("POST /supervision/at-risk/cases/<pk>/escalate/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.case_red,
      body={"note": "今日到期，请当日办结。"}),
    R("POST /supervision/at-risk/cases/<pk>/escalate/", conflict=SUPERVISORS, rest=FORBIDDEN, pk=w.case,
      label="escalated already", body={"note": "请尽快办理。"}),
    R("POST /supervision/at-risk/cases/<pk>/escalate/", refused=SUPERVISORS, rest=FORBIDDEN, pk=w.case_red,
      label="no note", body={"note": ""}),
    R("GET /api/v1/cases-at-risk/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("POST /api/v1/cases/<pk>/escalate/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.case_red,
      body={"note": "今日到期，请当日办结。"}),
    R("POST /api/v1/cases/<pk>/escalate/", refused=SUPERVISORS, rest=FORBIDDEN, pk=w.case_red,
      label="no note", body={}),
    # Anomalies (the rules' findings) and the audit log: read and exported by supervisors.
    R("GET /supervision/anomalies/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/anomalies/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/anomalies/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/audit-log/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/audit-log/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/audit/transitions/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/audit/transitions/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/audit/disclosures/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /api/v1/audit/disclosures/export/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("GET /supervision/audit-log/", refused=SUPERVISORS, rest=FORBIDDEN, query={"date_from": "2026-02-30"},
      label="bad date"),
    R("GET /api/v1/audit/transitions/", refused=SUPERVISORS, rest=FORBIDDEN, query={"date_from": "x"},
      label="bad date"),

    # --- rectification tickets (整改): the department's (D1) and the supervisors' -------------------------
    R("GET /rectification/", ok=f"{D1} {SUPERVISORS}", hidden=OTHER_DEPARTMENTS, rest=FORBIDDEN),
    R("GET /rectification/summary/", ok=D1, hidden=OTHER_DEPARTMENTS, rest=FORBIDDEN),
    R("GET /rectification/<pk>/", ok=f"{D1} {SUPERVISORS}", not_found=OTHER_DEPARTMENTS, pk=w.ticket),
    R("GET /rectification/<pk>/evidence/", ok=f"{D1} {SUPERVISORS}", not_found=OTHER_DEPARTMENTS,
      pk=w.ticket_appealed),
    R("POST /rectification/<pk>/<action>/", done=D1, refused=SUPERVISORS, not_found=OTHER_DEPARTMENTS,
      pk=w.ticket, action="follow_up",
      body={"method": "phone", "followed_up_at": "2026-09-24T10:00", "note": "已回访"}),
    R("POST /rectification/<pk>/<action>/", done=SUPERVISORS, refused=D1, not_found=OTHER_DEPARTMENTS,
      pk=w.ticket_submitted, action="close", body={"note": "已核实"}),
    # API: the back office and the supervision desk only; another department's ticket is not found.
    R("GET /api/v1/rectification-tickets/", ok=f"{D1} {SUPERVISORS}", hidden=OTHER_DEPARTMENTS,
      rest=FORBIDDEN),
    R("GET /api/v1/rectification-tickets/<pk>/", ok=f"{D1} {SUPERVISORS}", not_found=OTHER_DEPARTMENTS,
      rest=FORBIDDEN, pk=w.ticket),
    R("POST /api/v1/rectification-tickets/<pk>/follow-up/", done=D1, refused=SUPERVISORS,
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket,
      body={"method": "phone", "followed_up_at": "2026-09-24T10:00:00+08:00", "note": "已回访"}),
    R("POST /api/v1/rectification-tickets/<pk>/rectification/", done=D1, refused=SUPERVISORS,
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket,
      body={"cause": "窗口不足", "measures": "增设窗口"}),
    R("POST /api/v1/rectification-tickets/<pk>/submit/", conflict=D1, refused=SUPERVISORS,
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket_submitted),
    R("POST /api/v1/rectification-tickets/<pk>/appeal/", done=D1, refused=SUPERVISORS,
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket,
      body={"reason": "非本人评价", "evidence": FILE}, multipart=True),
    R("POST /api/v1/rectification-tickets/<pk>/verify/", done=SUPERVISORS, refused=D1,
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket_submitted,
      body={"note": "已核实"}),
    R("POST /api/v1/rectification-tickets/<pk>/send-back/", done=SUPERVISORS, refused=D1,
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket_submitted,
      body={"note": "回访不完整"}),
    R("POST /api/v1/rectification-tickets/<pk>/decide-appeal/", done=SUPERVISORS, refused=D1,
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket_appealed,
      body={"uphold": False, "decision": "证据不足"}),
    R("GET /api/v1/rectification-tickets/<pk>/evidence/", ok=f"{D1} {SUPERVISORS}",
      not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.ticket_appealed),

    # --- API: filings ---------------------------------------------------------------------------------
    R("GET /api/v1/filings/", ok=FILING_READERS, rest=HIDDEN),
    # A clerk files at their own window only; a citizen in their own name only.
    R("POST /api/v1/filings/", done="citizen clerk@city",
      refused=f"other_citizen other_clerk@city {ELSEWHERE_CLERKS}", rest=FORBIDDEN,
      body={"items": [w.i1], "centre": w.city, "window": w.window_city, **APPLICANT},
      sees_id=ALL_CLERKS + " other_citizen"),
    R("GET /api/v1/filings/<pk>/", ok=FILING_READERS, rest=NOT_FOUND, pk=w.f_case),
    R("GET /api/v1/filings/<pk>/", ok="citizen", rest=NOT_FOUND, pk=w.f_draft),
    R("POST /api/v1/filings/<pk>/submit/", done="citizen", rest=NOT_FOUND, pk=w.f_draft),
    R("POST /api/v1/filings/<pk>/pre-review/", done=CITY_CLERKS, refused="citizen",
      not_found=ELSEWHERE_CLERKS, pk=w.f_sub),
    R("POST /api/v1/filings/<pk>/release/", done="clerk@city", refused="citizen other_clerk@city",
      not_found=ELSEWHERE_CLERKS, pk=w.f_pre, body={"reason": "材料需线下核对"}),
    R("POST /api/v1/filings/<pk>/materials/", done="clerk@city", refused="citizen other_clerk@city",
      not_found=ELSEWHERE_CLERKS, pk=w.f_pre,
      body={"materials": [{"material": w.material_code, "status": "original"}]}),
    R("POST /api/v1/filings/<pk>/materials/<material_code>/", done="clerk@city",
      refused="citizen other_clerk@city", not_found=ELSEWHERE_CLERKS, pk=w.f_pre,
      material_code=w.material_code, body={"status": "original"}),
    R("POST /api/v1/filings/<pk>/materials/<material_code>/upload/", done="clerk@city",
      refused="citizen other_clerk@city", not_found=ELSEWHERE_CLERKS, pk=w.f_pre,
      material_code=w.material_code, body={"file": FILE}, multipart=True),
    # The citizen uploads to their own draft; no window sees it.
    R("POST /api/v1/filings/<pk>/materials/<material_code>/upload/", done="citizen",
      not_found=ALL_CLERKS, pk=w.f_draft, material_code=w.material_code, body={"file": FILE},
      multipart=True),
    # Answered already (409) for those who may answer: the applicant, or a city clerk at their window.
    R("POST /api/v1/filings/<pk>/corrections/<correction_id>/answer/", ok=f"citizen {CITY_CLERKS}",
      refused=D1, not_found=ELSEWHERE_CLERKS, pk=w.f_case, correction_id=w.correction,
      body={"answer": "已补充"}, multipart=True),
    R("POST /api/v1/filings/<pk>/accept/", ok="clerk@city", refused="citizen other_clerk@city",
      not_found=ELSEWHERE_CLERKS, pk=w.f_pre),  # materials not recorded: 400 for the holder
    R("POST /api/v1/filings/<pk>/accept/", also={ALL_CLERKS: (NOT_FOUND, CONFLICT)}, refused="citizen",
      pk=w.f_draft),
    R("POST /api/v1/filings/<pk>/accept-with-deficiency/", ok="clerk@city",
      refused="citizen other_clerk@city", not_found=ELSEWHERE_CLERKS, pk=w.f_pre,
      body={"commitment_date": "2026-10-09"}),
    # 容缺: the material that was missing, recorded when it arrives (this filing has none missing: 409).
    R("POST /api/v1/filings/<pk>/clear-deficiency/", ok=CITY_CLERKS, refused="citizen",
      not_found=ELSEWHERE_CLERKS, pk=w.f_case, body={"material": w.material_code, "status": "original"}),
    R("POST /api/v1/filings/<pk>/return/", done="clerk@city", refused="citizen other_clerk@city",
      not_found=ELSEWHERE_CLERKS, pk=w.f_pre,
      body={"corrections": [{"material": w.material_code, "reason": "复印件不清晰"}]}),
    R("POST /api/v1/filings/<pk>/refuse/", done="clerk@city", refused="citizen other_clerk@city",
      not_found=ELSEWHERE_CLERKS, pk=w.f_pre, body=REFUSAL),
    R("POST /api/v1/filings/<pk>/refuse/", done=CITY_CLERKS, not_found=ELSEWHERE_CLERKS, pk=w.f_win,
      body=REFUSAL),
    R("POST /api/v1/filings/<pk>/withdraw/", done="clerk@city", refused="citizen other_clerk@city",
      not_found=ELSEWHERE_CLERKS, pk=w.f_pre, body={"reason": "申请人申请撤回"}),
    # --- API: the citizen's side of a filing (issue 16, B): the applicant's own account; a window sees
    # a draft only once submitted, and never edits one ---------------------------------------------------
    R("POST /api/v1/filings/<pk>/withdraw/", done="citizen", ok=CITY_CLERKS, not_found=ELSEWHERE_CLERKS,
      pk=w.f_sub, body={"reason": "不办了"}),
    R("GET /api/v1/filings/", ok="citizen", rest=HIDDEN, query={"mine": "1"}, label="mine"),
    R("DELETE /api/v1/filings/<pk>/", done="citizen", rest=NOT_FOUND, pk=w.f_draft),
    R("DELETE /api/v1/filings/<pk>/", refused=f"citizen {CITY_CLERKS}", rest=NOT_FOUND, pk=w.f_sub),
    R("GET /api/v1/filings/<pk>/e-certificate/", ok="citizen", rest=NOT_FOUND, pk=w.f_draft),
    # The applicant's certificates are the applicant's: staff look holders up at their desks (logged).
    R("GET /api/v1/filings/<pk>/e-certificate/", ok="citizen", refused=f"{CITY_CLERKS} {D1}", rest=NOT_FOUND,
      pk=w.f_case),
    R("POST /api/v1/filings/<pk>/e-certificate/", done="citizen", rest=NOT_FOUND, pk=w.f_draft,
      body={"material": w.material_code, "certificate": None}),
    R("POST /api/v1/filings/<pk>/e-certificate/", refused=f"citizen {CITY_CLERKS}", rest=NOT_FOUND,
      pk=w.f_sub, body={"material": w.material_code, "certificate": None}),
    R("DELETE /api/v1/filings/<pk>/files/<upload_id>/", done="citizen", rest=NOT_FOUND, pk=w.f_draft,
      upload_id=w.draft_upload),
    R("POST /api/v1/filings/<pk>/declare/", done="citizen", rest=NOT_FOUND, pk=w.f_draft),
    R("POST /api/v1/filings/<pk>/declare/", refused=f"citizen {CITY_CLERKS}", rest=NOT_FOUND, pk=w.f_sub),
    R("POST /api/v1/filings/<pk>/resubmit/", refused=f"citizen {CITY_CLERKS}", rest=NOT_FOUND, pk=w.f_sub),
    R("GET /api/v1/filings/<pk>/timeline/", ok=FILING_READERS, rest=NOT_FOUND, pk=w.f_case),
    # Files and notices: whoever sees the filing; nobody else learns that they exist.
    R("GET /api/v1/filings/<filing_pk>/uploads/<upload_pk>/", ok=FILING_READERS, rest=NOT_FOUND,
      filing_pk=w.f_case, upload_pk=w.upload),
    R("GET /api/v1/filings/<filing_pk>/notices/<notice_pk>/", ok=FILING_READERS, rest=NOT_FOUND,
      filing_pk=w.f_case, notice_pk=w.notice),
    R("GET /api/v1/cases/<case_pk>/correction-files/<file_pk>/", ok=FILING_READERS, rest=NOT_FOUND,
      case_pk=w.case, file_pk=w.correction_file),

    # --- API: cases (the case's department; the graph decides which of its people may act) -------------
    R("GET /api/v1/cases/", ok=D1, hidden=OTHER_DEPARTMENTS, rest=FORBIDDEN),
    R("GET /api/v1/cases/<pk>/", ok=D1, not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN, pk=w.case),
    *(
        R(f"POST /api/v1/cases/<pk>/{action}/", rule=D1, not_found=OTHER_DEPARTMENTS, rest=FORBIDDEN,
          pk=w.case, body={})
        for action in ("claim", "release", "opinions", "corrections", "special-procedure", "resume",
                       "extend", "decide", "sign-off", "send-back")
    ),

    # --- API: the certificate desk ---------------------------------------------------------------------
    R("GET /api/v1/issuing/filings/", ok=CITY_DESK, hidden="issuer@county", rest=FORBIDDEN),
    R("GET /api/v1/issuing/filings/", ok=CITY_DESK, hidden="issuer@county", rest=FORBIDDEN,
      query={"state": "issued"}, label="state=issued"),
    R("GET /api/v1/issuing/filings/<pk>/", ok=CITY_DESK, not_found="issuer@county", rest=FORBIDDEN,
      pk=w.f_ready),
    R("POST /api/v1/issuing/filings/<pk>/request/", ok=CITY_DESK, not_found="issuer@county",
      rest=FORBIDDEN, pk=w.f_ready),  # already requested: 409
    R("POST /api/v1/issuing/filings/<pk>/hand-over/", ok=CITY_DESK, not_found="issuer@county",
      rest=FORBIDDEN, pk=w.f_issued, body={}),
    R("POST /api/v1/issuing/filings/<pk>/post/", ok=CITY_DESK, not_found="issuer@county",
      rest=FORBIDDEN, pk=w.f_issued, body={}),
    R("GET /api/v1/issuing/requests/", ok=CITY_DESK, hidden="issuer@county", rest=FORBIDDEN),
    R("GET /api/v1/issuing/requests/<pk>/", ok=CITY_DESK, not_found="issuer@county", rest=FORBIDDEN,
      pk=w.issue_request),
    R("POST /api/v1/issuing/requests/<pk>/confirm/", done="seal_keeper@city", refused="issuer@city",
      not_found="issuer@county", rest=FORBIDDEN, pk=w.issue_request),
    R("POST /api/v1/issuing/requests/<pk>/cancel/", done=CITY_DESK, not_found="issuer@county",
      rest=FORBIDDEN, pk=w.issue_request, body={"note": "信息有误"}),

    # --- API: documents and the e-certificate library ------------------------------------------------------
    R("GET /api/v1/documents/", ok=f"citizen {CITY_DESK} {D1}", rest=HIDDEN),
    R("GET /api/v1/documents/<pk>/", ok=f"citizen {CITY_DESK} {D1}", rest=NOT_FOUND, pk=w.document),
    R("GET /api/v1/documents/<pk>/pdf/", ok=f"citizen {CITY_DESK} {D1}", rest=NOT_FOUND, pk=w.document),
    R("POST /api/v1/documents/<pk>/revoke/", done="decision_maker@D1",
      refused=f"citizen {CITY_DESK} approver@D1", rest=NOT_FOUND, pk=w.document,
      body={"reason": "以欺骗手段取得", "mode": "revoke"}),
    # Clerks look a holder up for 免证 at intake (the library is not a centre's); a citizen sees
    # their own certificates; nobody else reads it.
    R("GET /api/v1/library/", ok=f"citizen {ALL_CLERKS}", rest=HIDDEN, query={"holder_code": w.person_id},
      sees_id=ELSEWHERE_CLERKS),

    # --- the evaluation pads (评价器): a pad is a device with a key, never a login ----------------------
    # Every logged-in session is refused on the pad (403); a browser without a pad's key is sent to the
    # pairing page (the anonymous row's redirect), an API client without one is refused.
    R("GET /pad/", rest=FORBIDDEN, anon=OK),
    R("GET /pad/current/", rest=FORBIDDEN, anon=OK),
    R("GET /pad/pair/", rest=FORBIDDEN, anon=OK),
    R("POST /pad/pair/", rest=FORBIDDEN, anon=OK, body={"code": "00000000"}),  # no such code: 400
    R("POST /pad/rate/", rest=FORBIDDEN, anon=OK, body={"level": "2"}),
    R("GET /api/v1/pad/current/", rest=FORBIDDEN),
    R("POST /api/v1/pad/ratings/", rest=FORBIDDEN,
      body={"filing": w.f_case, "act": "window_visit", "level": "2"}),
    R("POST /api/v1/pad/pair/", rest=FORBIDDEN, anon=OK, body={"code": "00000000"}),
    # The supervisors of the window's centre pair and revoke pads (no pad in the world: 404 for them).
    R("GET /supervision/pads/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("POST /supervision/pads/pair/", done=SUPERVISORS, rest=FORBIDDEN, body={"window": w.window_city}),
    R("GET /supervision/pads/<pk>/code/", not_found=SUPERVISORS, rest=FORBIDDEN, pk=999999),
    R("POST /supervision/pads/<pk>/renew/", not_found=SUPERVISORS, rest=FORBIDDEN, pk=999999),
    R("POST /supervision/pads/<pk>/revoke/", not_found=SUPERVISORS, rest=FORBIDDEN, pk=999999),
    R("GET /api/v1/pads/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("POST /api/v1/pads/", done=SUPERVISORS, rest=FORBIDDEN, body={"window": w.window_city}),
    R("POST /api/v1/pads/<pk>/renew-code/", not_found=SUPERVISORS, rest=FORBIDDEN, pk=999999),
    R("POST /api/v1/pads/<pk>/revoke/", not_found=SUPERVISORS, rest=FORBIDDEN, pk=999999),

    # --- API: the catalogue (published items are public data; writes are the catalogue admins') --------
    R("GET /api/v1/catalogue/categories/", **PUBLIC),
    R("GET /api/v1/catalogue/categories/<code>/", **PUBLIC, code=w.category),
    R("GET /api/v1/catalogue/materials/", **PUBLIC),
    R("GET /api/v1/catalogue/materials/<code>/", **PUBLIC, code=w.material_code),
    # Materials are shared base data: any catalogue admin.
    R("POST /api/v1/catalogue/materials/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN, body={}),
    # Imports: a catalogue admin's own jobs; another admin's job does not exist for them.
    R("GET /api/v1/catalogue/imports/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN),
    R("GET /api/v1/catalogue/imports/template/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN),
    R("POST /api/v1/catalogue/imports/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN, body={}),
    R("GET /api/v1/catalogue/imports/<pk>/", ok="catalogue_admin@city", not_found="catalogue_admin@county",
      rest=FORBIDDEN, pk=w.import_job),
    R("POST /api/v1/catalogue/imports/<pk>/apply/", ok="catalogue_admin@city",
      not_found="catalogue_admin@county", rest=FORBIDDEN, pk=w.import_job),
    R("PATCH /api/v1/catalogue/materials/<code>/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN,
      code=w.material_code, body={}),
    R("GET /api/v1/catalogue/items/", **PUBLIC),
    R("POST /api/v1/catalogue/items/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN, body={}),
    R("GET /api/v1/catalogue/items/<pk>/", **PUBLIC, pk=w.i1),
    # Spec silent on reading drafts: the catalogue API's rule, another centre's draft is a 404.
    R("GET /api/v1/catalogue/items/<pk>/", ok="catalogue_admin@city", rest=NOT_FOUND, anon=NOT_FOUND,
      pk=w.i_draft),
    # Writes to a city item: the city's catalogue admin only.
    R("PATCH /api/v1/catalogue/items/<pk>/", ok="catalogue_admin@city", denied="catalogue_admin@county",
      rest=FORBIDDEN, pk=w.i_draft, body={}),
    *(
        R(f"POST /api/v1/catalogue/items/<pk>/{action}/", ok="catalogue_admin@city",
          denied="catalogue_admin@county", rest=FORBIDDEN, pk=item, body={})
        for action, item in (("submit", w.i_draft), ("return", w.i_draft), ("publish", w.i_draft),
                             ("retire", w.i1), ("new-version", w.i1))
    ),
    R("GET /api/v1/catalogue/bundles/", **PUBLIC),
    R("GET /api/v1/catalogue/bundles/<code>/", **PUBLIC, code=w.bundle),
    R("GET /api/v1/catalogue/bundles/<code>/checklist/", **PUBLIC, code=w.bundle),
    R("POST /api/v1/catalogue/bundles/", ok=CATALOGUE_ADMINS, rest=FORBIDDEN, body={}),
    R("PATCH /api/v1/catalogue/bundles/<code>/", ok="catalogue_admin@city", denied="catalogue_admin@county",
      rest=FORBIDDEN, code=w.bundle, body={}),
    R("POST /api/v1/catalogue/bundles/<code>/publish/", ok="catalogue_admin@city",
      denied="catalogue_admin@county", rest=FORBIDDEN, code=w.bundle, body={}),
    R("POST /api/v1/catalogue/bundles/<code>/retire/", ok="catalogue_admin@city",
      denied="catalogue_admin@county", rest=FORBIDDEN, code=w.bundle, body={}),

    # === the hall's flow (issue 18) ========================================================================
    # --- the hall's screens (kiosks 取号机, displays 大屏): devices with a key, never a login. Without the
    # key of a display, whoever is logged in, the screen is the "not paired" page (403); with it, any
    # browser shows the hall display (nothing on it is a person's: masked names, numbers, windows). ----
    R("GET /display/", rest=FORBIDDEN, anon=FORBIDDEN),
    R("GET /display/", **PUBLIC, device=w.display_key, hides=SCREEN_HIDES),
    R("GET /display/", rest=FORBIDDEN, anon=FORBIDDEN, device=w.kiosk_key),  # a kiosk's key is no display's
    # Its poll (every second), and the same for a display app (the key as X-Device-Key).
    R("GET /display/feed/", rest=FORBIDDEN, anon=FORBIDDEN),
    R("GET /display/feed/", **PUBLIC, device=w.display_key, hides=SCREEN_HIDES),
    R("GET /display/feed/", rest=FORBIDDEN, anon=FORBIDDEN, device=w.kiosk_key),
    R("GET /api/v1/display/feed/", rest=FORBIDDEN, anon=FORBIDDEN),
    R("GET /api/v1/display/feed/", **PUBLIC, device=w.display_key, hides=SCREEN_HIDES),
    R("GET /api/v1/display/feed/", rest=FORBIDDEN, anon=FORBIDDEN, device=w.kiosk_key),
    R("GET /display/pair/", **PUBLIC),
    R("POST /display/pair/", **PUBLIC, body={"code": "00000000"}),  # no such code: 400
    R("POST /api/v1/hall-devices/claim/", **PUBLIC, body={"code": "00000000"}),
    # The supervisors of the centre pair, renew and revoke its screens (the city's: dual supervises it).
    R("GET /supervision/hall-devices/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("POST /supervision/hall-devices/pair/", done=SUPERVISORS, rest=FORBIDDEN,
      body={"centre": w.city, "kind": "kiosk", "name": "东门"}),
    R("GET /supervision/hall-devices/<pk>/code/", ok=SUPERVISORS, rest=FORBIDDEN, pk=w.device_awaiting),
    R("POST /supervision/hall-devices/<pk>/renew/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.device_awaiting),
    R("POST /supervision/hall-devices/<pk>/revoke/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.kiosk),
    R("GET /api/v1/hall-devices/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("POST /api/v1/hall-devices/", done=SUPERVISORS, rest=FORBIDDEN,
      body={"centre": w.city, "kind": "display"}),
    R("POST /api/v1/hall-devices/<pk>/renew-code/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.device_awaiting),
    R("POST /api/v1/hall-devices/<pk>/revoke/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.kiosk),

    # --- the hall's set-up (大厅设置): a supervisor of the whole centre; another centre's area or period is
    # not found. Its areas, hours and the places left are public reads (the booking pages show them). ---
    R("GET /supervision/hall/", ok=SUPERVISORS, rest=FORBIDDEN),
    R("POST /supervision/hall/areas/new/", done=SUPERVISORS, rest=FORBIDDEN,
      body={"centre": w.city, "category": w.category_new, "prefix": "C", "slot_capacity": "4", "order": "2"}),
    R("GET /supervision/hall/areas/<pk>/", ok=SUPERVISORS, rest=FORBIDDEN, pk=w.area),
    R("GET /supervision/hall/areas/<pk>/", not_found=SUPERVISORS, rest=FORBIDDEN, pk=w.area_county),
    R("POST /supervision/hall/areas/<pk>/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.area,
      body={"category": w.area_category, "prefix": "A", "slot_capacity": "5", "order": "0", "is_active": "on",
            "windows": [w.window_city, w.window_city2]}),
    R("POST /supervision/hall/periods/new/", done=SUPERVISORS, rest=FORBIDDEN,
      body={"centre": w.city, "starts_at": "17:30", "ends_at": "18:00"}),
    R("POST /supervision/hall/periods/<pk>/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.period,
      body={"starts_at": "08:30", "ends_at": "12:00"}),
    R("POST /supervision/hall/periods/<pk>/remove/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.period),
    R("GET /api/v1/service-areas/", **PUBLIC, query={"centre": w.city}),
    # Without a centre: the supervisor's own centres; anyone else is asked for one (400).
    R("GET /api/v1/service-areas/", **PUBLIC, label="no centre"),
    R("POST /api/v1/service-areas/", done=SUPERVISORS, rest=FORBIDDEN,
      body={"centre": w.city, "category": w.category_new, "prefix": "C", "slot_capacity": 4}),
    R("GET /api/v1/service-areas/<pk>/", **PUBLIC, pk=w.area),
    R("PATCH /api/v1/service-areas/<pk>/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.area,
      body={"slot_capacity": 5}),
    R("PATCH /api/v1/service-areas/<pk>/", not_found=SUPERVISORS, rest=FORBIDDEN, pk=w.area_county,
      body={"slot_capacity": 5}),
    R("GET /api/v1/opening-periods/", **PUBLIC, query={"centre": w.city}),
    R("POST /api/v1/opening-periods/", done=SUPERVISORS, rest=FORBIDDEN,
      body={"centre": w.city, "starts_at": "17:30", "ends_at": "18:00"}),
    R("PATCH /api/v1/opening-periods/<pk>/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.period,
      body={"starts_at": "08:30", "ends_at": "12:00"}),
    R("DELETE /api/v1/opening-periods/<pk>/", done=SUPERVISORS, rest=FORBIDDEN, pk=w.period),
    R("GET /api/v1/appointment-slots/", **PUBLIC, query={"area": w.area, "date": w.slot_date}),

    # --- appointments (预约): a citizen's own bookings; another account's booking is not found; staff
    # have none. ``other_citizen`` has no real-name identity: booking is refused with the reason. -------
    R("GET /portal/appointments/", ok="citizen other_citizen", rest=FORBIDDEN),
    R("GET /portal/appointments/new/", ok="citizen other_citizen", rest=FORBIDDEN, query={"item": w.i1}),
    R("POST /portal/appointments/new/", done="citizen", ok="other_citizen", rest=FORBIDDEN,
      query={"item": w.i1}, body={"slot": w.free_slot}),
    R("GET /portal/appointments/<pk>/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.appointment),
    R("GET /portal/appointments/<pk>/qr.png", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.appointment),
    R("POST /portal/appointments/<pk>/cancel/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.appointment),
    R("GET /api/v1/appointments/", ok="citizen other_citizen", rest=FORBIDDEN),
    R("POST /api/v1/appointments/", done="citizen", refused="other_citizen", rest=FORBIDDEN,
      body={"slot": w.free_slot, "item": w.i1}),
    R("GET /api/v1/appointments/availability/", ok="citizen other_citizen", rest=FORBIDDEN,
      query={"item": w.i1}),
    R("GET /api/v1/appointments/<pk>/", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.appointment),
    R("GET /api/v1/appointments/<pk>/qr.png", ok="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.appointment),
    R("POST /api/v1/appointments/<pk>/cancel/", done="citizen", not_found="other_citizen", rest=FORBIDDEN,
      pk=w.appointment),

    # --- the ticket kiosk (取号机): a device with a key, as the display. A kiosk takes tickets for its own
    # centre; a booking of another day gives none (409, the reason said). No session counts there. ----
    *(R(f"GET /kiosk/{page}", rest=FORBIDDEN, anon=FORBIDDEN) for page in ("", "id/", "scan/", "walk-in/")),
    *(R(f"GET /kiosk/{page}", **PUBLIC, device=w.kiosk_key) for page in ("", "id/", "scan/", "walk-in/")),
    R("GET /kiosk/", rest=FORBIDDEN, anon=FORBIDDEN, device=w.display_key),
    R("POST /kiosk/id/", rest=FORBIDDEN, anon=FORBIDDEN, body={"id_number": w.person_id, "area": w.area}),
    R("POST /kiosk/id/", rest=DONE, anon=DONE, device=w.kiosk_key,
      body={"id_number": w.person_id, "area": w.area}),
    R("POST /kiosk/scan/", rest=FORBIDDEN, anon=FORBIDDEN, body={"code": w.appointment_token}),
    R("POST /kiosk/scan/", rest=CONFLICT, anon=CONFLICT, device=w.kiosk_key,
      body={"code": w.appointment_token}),
    R("POST /kiosk/walk-in/", rest=FORBIDDEN, anon=FORBIDDEN, body={"area": w.area}),
    R("POST /kiosk/walk-in/", rest=DONE, anon=DONE, device=w.kiosk_key, body={"area": w.area}),
    R("GET /kiosk/tickets/<ticket_id>/", rest=FORBIDDEN, anon=FORBIDDEN, ticket_id=w.t_waiting),
    R("GET /kiosk/tickets/<ticket_id>/", **PUBLIC, device=w.kiosk_key, ticket_id=w.t_waiting),
    # The applicant's ticket (taken by resident ID): the kiosk prints neither the name nor the number.
    R("GET /kiosk/tickets/<ticket_id>/", **PUBLIC, device=w.kiosk_key, ticket_id=w.t_skipped,
      hides=SCREEN_HIDES),
    R("POST /api/v1/kiosk/tickets/", rest=FORBIDDEN, anon=FORBIDDEN,
      body={"source": "walk_in", "area": w.area}),
    R("POST /api/v1/kiosk/tickets/", rest=DONE, anon=DONE, device=w.kiosk_key,
      body={"source": "walk_in", "area": w.area}),
    R("POST /api/v1/kiosk/tickets/", rest=CONFLICT, anon=CONFLICT, device=w.kiosk_key,
      label="another day's booking",
      body={"source": "appointment", "appointment_token": w.appointment_token}),
    R("POST /api/v1/kiosk/tickets/", rest=FORBIDDEN, anon=FORBIDDEN, device=w.display_key,
      body={"source": "walk_in", "area": w.area}),

    # --- the centre's tickets and their priority flags: its clerks and its supervisors (another centre's
    # ticket is not found); the ID numbers masked in the list -----------------------------------------------
    R("GET /api/v1/tickets/", ok=f"{ALL_CLERKS} supervisor@city", rest=FORBIDDEN),
    R("POST /api/v1/tickets/<pk>/priority/", done=f"{CITY_CLERKS} {SUPERVISORS}", not_found="clerk@county",
      rest=FORBIDDEN, pk=w.t_waiting, body={"reason": "disabled", "note": "轮椅"}),

    # --- calling at the window (叫号): a clerk at a window of theirs (another's window: refused; another
    # centre's window or ticket: not found). A01 (clerk@city's) holds t_called and skipped t_skipped;
    # A02 (other_clerk@city's) is free; t_waiting waits. ---------------------------------------------------
    R("GET /intake/calling/", ok=ALL_CLERKS, rest=FORBIDDEN),
    # Put first (优先) by the ticket's number: at the clerk's window's centre (the county has no such one).
    R("POST /intake/calling/flag/", done=CITY_CLERKS, refused=ELSEWHERE_CLERKS, rest=FORBIDDEN,
      body={"number": w.t_waiting_number, "reason": "disabled", "note": "轮椅"}),
    # Each clerk at their own window: A01 must finish its ticket first; A02 calls t_waiting; the county's
    # windows find nobody waiting (said as done).
    R("POST /intake/calling/call-next/", conflict="clerk@city",
      done=f"other_clerk@city {ELSEWHERE_CLERKS}", rest=FORBIDDEN),
    *(
        R("POST /intake/calling/tickets/<pk>/<action>/", done="clerk@city", refused="other_clerk@city",
          not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.t_called, action=action, body=body)
        for action, body in (("recall", {}), ("skip", {}), ("start", {}), ("transfer", {"area": w.area_b}))
    ),
    R("POST /intake/calling/tickets/<pk>/<action>/", conflict="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.t_called, action="finish"),  # not started yet
    # A skipped ticket is called back to the clerk's own window: A02 is free, A01 is not.
    R("POST /intake/calling/tickets/<pk>/<action>/", done="other_clerk@city", conflict="clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.t_skipped, action="recall_skipped"),
    R("POST /intake/calling/tickets/<pk>/<action>/", forbidden=CITY_CLERKS, not_found=ELSEWHERE_CLERKS,
      rest=FORBIDDEN, pk=w.t_called, action="delete"),
    R("GET /api/v1/windows/<pk>/queue/", ok="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.window_city),
    R("POST /api/v1/windows/<pk>/call-next/", conflict="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.window_city),
    R("POST /api/v1/windows/<pk>/call-next/", done="other_clerk@city", refused="clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.window_city2),
    # An area the window does not serve (B is served by no window): refused, nothing called.
    R("POST /api/v1/windows/<pk>/call-next/", refused=CITY_CLERKS, not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN,
      pk=w.window_city2, body={"area": w.area_b}, label="an area it does not serve"),
    *(
        R(f"POST /api/v1/tickets/<pk>/{action}/", done="clerk@city", refused="other_clerk@city",
          not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.t_called, body=body)
        for action, body in (("recall", {}), ("skip", {}), ("start", {}), ("transfer", {"area": w.area_b}),
                             ("filings", {"filing": w.f_case}))
    ),
    R("POST /api/v1/tickets/<pk>/finish/", conflict="clerk@city", refused="other_clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.t_called),
    R("POST /api/v1/tickets/<pk>/recall-skipped/", done="other_clerk@city", conflict="clerk@city",
      not_found=ELSEWHERE_CLERKS, rest=FORBIDDEN, pk=w.t_skipped),

    # --- assisted filing (帮办代办): the assistants' desk and API. An assistant sees the filings they
    # follow (another filing, even of their centre, is not found); the applicant's ID number masked. -----
    R("GET /assistance/", ok="assistant@city", rest=FORBIDDEN),
    R("GET /assistance/new/", ok="assistant@city", rest=FORBIDDEN, query={"item": w.i1}),
    R("POST /assistance/new/", done="assistant@city", rest=FORBIDDEN, query={"item": w.i1}, body=APPLICANT,
      sees_id="assistant@city"),
    R("GET /assistance/filings/<pk>/", ok="assistant@city", rest=FORBIDDEN, pk=w.f_assisted),
    R("GET /assistance/filings/<pk>/", not_found="assistant@city", rest=FORBIDDEN, pk=w.f_pre),
    R("POST /assistance/filings/<pk>/materials/<material_id>/upload/", done="assistant@city", rest=FORBIDDEN,
      pk=w.f_assisted, material_id=w.material, body={"file": FILE}, multipart=True),
    # Without the required file: back to the page with the refusal; another's filing: not found.
    R("POST /assistance/filings/<pk>/submit/", ok="assistant@city", rest=FORBIDDEN, pk=w.f_assisted),
    R("POST /assistance/filings/<pk>/submit/", not_found="assistant@city", rest=FORBIDDEN, pk=w.f_pre),
    R("POST /assistance/filings/<pk>/hand-over/", done="assistant@city", rest=FORBIDDEN, pk=w.f_assisted,
      body={"to_user": w.other_assistant, "note": "休假"}),
    R("GET /api/v1/assisted-filings/", ok="assistant@city", rest=FORBIDDEN),
    R("POST /api/v1/assisted-filings/", done="assistant@city", rest=FORBIDDEN,
      body={**APPLICANT, "items": [w.i1]}),
    R("GET /api/v1/assisted-filings/<pk>/", ok="assistant@city", rest=FORBIDDEN, pk=w.f_assisted),
    R("GET /api/v1/assisted-filings/<pk>/", not_found="assistant@city", rest=FORBIDDEN, pk=w.f_pre),
    R("POST /api/v1/assisted-filings/<pk>/materials/<material_code>/upload/", done="assistant@city",
      rest=FORBIDDEN, pk=w.f_assisted, material_code=w.material_code, body={"file": FILE}, multipart=True),
    R("POST /api/v1/assisted-filings/<pk>/submit/", ok="assistant@city", rest=FORBIDDEN, pk=w.f_assisted),
    R("POST /api/v1/assisted-filings/<pk>/hand-over/", done="assistant@city", rest=FORBIDDEN, pk=w.f_assisted,
      body={"to_user": w.other_assistant}),

    # --- the green channel (绿色通道): clerks and supervisors of the filing's centre, and the assistant of
    # an assisted filing; anyone else does not find the filing --------------------------------------------
    R("POST /filings/<pk>/green-channel/<action>/", done=f"{CITY_CLERKS} {SUPERVISORS}", rest=NOT_FOUND,
      pk=w.f_pre, action="flag", body={"reason": "重点项目"}),
    R("POST /filings/<pk>/green-channel/<action>/", done=f"{CITY_CLERKS} {SUPERVISORS} assistant@city",
      rest=NOT_FOUND, pk=w.f_assisted, action="flag", body={"reason": "重点项目"}),
    # Not flagged: unflagging is refused with a message.
    R("POST /filings/<pk>/green-channel/<action>/", conflict=f"{CITY_CLERKS} {SUPERVISORS}", rest=NOT_FOUND,
      pk=w.f_pre, action="unflag"),
    R("POST /api/v1/filings/<pk>/green-channel/", done=f"{CITY_CLERKS} {SUPERVISORS}", rest=NOT_FOUND,
      pk=w.f_pre, body={"reason": "重点项目"}),
    R("DELETE /api/v1/filings/<pk>/green-channel/", conflict=f"{CITY_CLERKS} {SUPERVISORS}", rest=NOT_FOUND,
      pk=w.f_pre),
)
# fmt: on

ROWS = [row for row in MATRIX if isinstance(row, Row)]
SKIPS = [row for row in MATRIX if isinstance(row, Skip)]
SAFE = {"GET", "HEAD", "OPTIONS"}


# --- the URL configuration ------------------------------------------------------------------------------


def normalise(route: str) -> str:
    """A pattern as the table spells it: ``/api/v1/filings/<pk>/`` for both the path converters
    (``<int:pk>``) and the routers' regular expressions (``^filings/(?P<pk>[^/.]+)/$``)."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)
    return "/" + route.replace("^", "").replace("$", "")


def _closure_methods(view) -> set[str] | None:
    """The methods of ``require_http_methods`` (``require_POST``, ``require_GET``) around a view."""
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            value = cell.cell_contents
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(v, str) and v.isupper() for v in value)
            ):
                return set(value) - {"HEAD", "OPTIONS"}
        view = getattr(view, "__wrapped__", None)
    return None


def declared_methods(callback) -> set[str] | None:
    """The methods a view answers (None: a plain function view that takes any)."""
    cls = getattr(callback, "cls", None)  # Django REST framework
    if cls is not None:
        allowed = {m.upper() for m in cls.http_method_names} - {"HEAD", "OPTIONS"}
        actions = getattr(callback, "actions", None)
        if actions:
            return {m.upper() for m in actions} & allowed
        return {m for m in allowed if hasattr(cls, m.lower())}
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:  # PUT is FormView's alias of POST: not a way in of its own
        names = set(view_class.http_method_names) - {"head", "options", "put"}
        return {m.upper() for m in names if hasattr(view_class, m)}
    return _closure_methods(callback)


def url_patterns(patterns=None, prefix=""):
    """Every (route, methods) of the URL configuration."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield normalise(prefix + str(pattern.pattern)), declared_methods(pattern.callback)


def skipped(route: str) -> bool:
    return any(route.startswith(skip.prefix) for skip in SKIPS)


def test_every_url_has_a_row():
    configured = {}
    for route, methods in url_patterns():
        if not skipped(route):
            known = configured.setdefault(route, set())
            configured[route] = None if methods is None or known is None else known | methods
    rows = {}
    for row in ROWS:
        rows.setdefault(row.route, set()).add(row.method)
    missing = sorted(
        f"{method} {route}"
        for route, methods in configured.items()
        for method in (methods if methods is not None else {"(any method)"})
        if (method not in rows.get(route, set()) if methods is not None else route not in rows)
    )
    stale = sorted(
        f"{method} {route}"
        for route, methods in rows.items()
        for method in methods
        if route not in configured or (configured[route] is not None and method not in configured[route])
    )
    assert not missing and not stale, (
        "The permission matrix and the URL configuration disagree.\n"
        f"URLs without a row (add one to MATRIX): {missing}\n"
        f"Rows without a URL (remove or correct them): {stale}"
    )


def test_the_table_names_each_request_once():
    names = [row.name for row in ROWS]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


# --- one request per (row, user) ------------------------------------------------------------------------


def _resolve(value, world):
    if isinstance(value, Ref):
        return world.values[value.name]
    if value is FILE:
        return SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    if isinstance(value, dict):
        return {k: _resolve(v, world) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(v, world) for v in value]
    return value


def _path(row: Row, world) -> str:
    args = _resolve(row.args, world)
    path = re.sub(r"<(\w+)>", lambda m: str(args[m.group(1)]), row.route)
    query = _resolve(row.query, world)
    return f"{path}?{urlencode(query)}" if query else path


def _send(client, row: Row, world):
    path = _path(row, world)
    body = _resolve(row.body, world) if row.body is not None else {}
    is_api = row.route.startswith("/api/")
    headers = {}
    if row.device is not None:  # a hall screen: an app sends its key as a header, a browser its cookie
        if is_api:
            headers[DEVICE_HEADER] = _resolve(row.device, world)
        else:
            client.cookies[DEVICE_COOKIE] = _resolve(row.device, world)
    if row.method == "GET":
        return client.get(path, headers=headers)
    if row.multipart or not is_api:
        assert row.method == "POST", f"{row.name}: a form is posted"
        return client.post(path, body, headers=headers)
    return client.generic(
        row.method, path, json.dumps(body), content_type="application/json", headers=headers
    )


def _error_message(response) -> bool:
    request = getattr(response, "wsgi_request", None)
    if request is None or not hasattr(request, "_messages"):
        return False
    return any(m.level >= message_levels.ERROR for m in get_messages(request))


def _text(response) -> str | None:
    if getattr(response, "streaming", False):
        return None
    kind = response.get("Content-Type", "")
    if not any(t in kind for t in ("html", "json", "text")):
        return None
    return response.content.decode("utf-8", "replace")


def _matches(outcome: str, response, row: Row, world) -> bool:
    code = response.status_code
    redirect = code in (301, 302, 303) and response.get("Location") is not None
    to_login = redirect and urlparse(response["Location"]).path == reverse("accounts:login")
    back = redirect and not to_login  # a desk's answer to a form: back to its page
    if outcome == OK:
        return 200 <= code < 300 or code in (400, 409) or back
    if outcome == DONE:
        return 200 <= code < 300 or (back and not _error_message(response))
    if outcome == REFUSED:
        return code in (400, 403, 409) or (back and _error_message(response))
    if outcome == CONFLICT:
        return code == 409 or (back and _error_message(response))
    if outcome == NOT_FOUND:
        return code == 404
    if outcome == FORBIDDEN:
        return code == 403
    if outcome == DENIED:
        return code in (403, 404)
    if outcome == LOGIN:
        return to_login or (row.route.startswith("/api/") and code in (401, 403))
    if outcome == HIDDEN:
        if code in (403, 404):
            return True
        text = _text(response)
        return 200 <= code < 300 and text is not None and not any(s in text for s in world.secrets)
    raise AssertionError(f"unknown outcome {outcome}")


def _describe(response) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        errors = " with an error message" if _error_message(response) else ""
        return f"{code} → {response.get('Location')}{errors}"
    text = _text(response)
    if code >= 400 and text and "json" in response.get("Content-Type", ""):
        return f"{code} {text[:160]}"
    return str(code)


CELLS = [pytest.param(row, user, id=f"{row.name} | {user}") for row in ROWS for user in USERS]


@pytest.mark.parametrize(("row", "user"), CELLS)
def test_permission(row, user, world, client):
    if user != "anonymous":
        client.force_login(world.users[user])
    try:
        response = _send(client, row, world)
    except Exception as error:  # a server error is an answer too: named, not a traceback of the test
        pytest.fail(f"{row.name} as {user}: 500 {type(error).__name__}: {error}")
    expected = row.expect[user]
    assert any(_matches(outcome, response, row, world) for outcome in expected), (
        f"{row.name} as {user}: got {_describe(response)}, expected {' or '.join(expected)}"
    )
    text = _text(response) or ""
    if user in NEVER_SEE_FULL_ID and user not in row.sees_id:
        assert world.full_id not in text, f"{row.name} as {user}: the response shows the full identity number"
    for hidden in row.hides:
        assert _resolve(hidden, world) not in text, f"{row.name} as {user}: the response shows {hidden.name}"
