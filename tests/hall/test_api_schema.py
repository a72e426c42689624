"""The OpenAPI schema tells the truth: what the API answers — values that can be null, pages and plain
lists, the review workspace's applicant, the errors — is what /api/schema/ says it answers.

Responses are validated against the served schema strictly: a key the schema does not name fails, as
does a null where the schema does not allow one. Schemathesis checks the same against a live server in
CI (.ci/schemathesis); these tests pin the cases it found.
"""

import importlib
import inspect
import json
import pkgutil

import jsonschema
import pytest
from django.db import models
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework import serializers

import apps
from apps.accounts.roles import Role
from apps.catalogue import services as catalogue
from apps.catalogue.codes import ItemKind
from apps.certificates import services as certificates
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import accept_filing, make_filing, online_filing
from tests.factories.catalogue import BundleFactory, default_children, make_item
from tests.factories.certificates import issue, keeper_for, ready_filing

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def strict(node):
    """OpenAPI 3.0 schema objects as JSON Schema: ``nullable`` as a null alternative, and objects that
    name their properties closed to any other key."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: strict(value) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def assert_conforms(schema, path, method, response):
    """The response's body is what the schema documents for its path, method and status."""
    answers = schema["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in answers, f"{method.upper()} {path} answered {status}, undocumented: {sorted(answers)}"
    documented = answers[status]["content"]["application/json"]["schema"]
    target = {**strict(documented), "components": strict(schema["components"])}
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message[:300]}"
        for error in jsonschema.Draft202012Validator(target).iter_errors(response.json())
    ]
    assert not errors, f"{method.upper()} {path} {status} is not what the schema says: {errors}"


# --- shapes ------------------------------------------------------------------------------------------


def test_the_library_answers_the_page_its_schema_describes(client, schema):
    filing = ready_filing()
    issue(filing)
    citizen = make_staff(Role.CITIZEN)
    filing.__class__.objects.filter(pk=filing.pk).update(citizen=citizen)
    client.force_login(citizen)
    response = client.get(reverse("library"))
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["revoked_at"] is None
    assert_conforms(schema, "/api/v1/library/", "get", response)


def test_the_bundle_checklist_answers_the_plain_list_its_schema_describes(client, schema):
    centre = ServiceCentreFactory()
    items = [make_item(department=DepartmentFactory(centre=centre)) for _ in range(2)]
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    response = client.get(reverse("catalogue-bundle-checklist", args=[bundle.code]))
    assert response.status_code == 200
    assert isinstance(response.json(), list) and response.json()
    assert response.json()[0]["replaceable_by"] is None
    assert_conforms(schema, "/api/v1/catalogue/bundles/{code}/checklist/", "get", response)


def test_an_online_draft_without_a_window_conforms_as_list_and_detail(client, schema):
    centre = ServiceCentreFactory()
    citizen = make_staff(Role.CITIZEN)
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children())
    filing = online_filing(citizen=citizen, centre=centre, items=[item])
    client.force_login(citizen)
    listed = client.get(reverse("filing-list"))
    assert listed.json()["results"][0]["window"] is None
    assert_conforms(schema, "/api/v1/filings/", "get", listed)
    detail = client.get(reverse("filing-detail", args=[filing.pk]))
    assert detail.json()["checklist"][0]["produced_by"] is None
    assert_conforms(schema, "/api/v1/filings/{id}/", "get", detail)


def test_a_clerk_without_a_department_and_a_base_item_without_one_conform(client, schema):
    clerk = make_staff(Role.CLERK)
    client.force_login(clerk)
    me = client.get(reverse("api-me"))
    assert me.json()["memberships"][0]["department"] is None
    assert_conforms(schema, "/api/v1/me/", "get", me)
    base = make_item(kind=ItemKind.BASE)
    item = client.get(reverse("catalogue-item-detail", args=[base.pk]))
    assert item.json()["department"] is None
    assert_conforms(schema, "/api/v1/catalogue/items/{id}/", "get", item)


def test_the_issuing_preview_is_one_filing_with_its_documents(client, schema):
    filing = ready_filing()
    client.force_login(make_staff(Role.ISSUER, centre=filing.centre))
    response = client.get(reverse("issuing-filing-detail", args=[filing.pk]))
    assert response.status_code == 200
    assert response.json()["documents"][0]["seal"]
    assert_conforms(schema, "/api/v1/issuing/filings/{id}/", "get", response)


def test_confirming_an_issue_answers_the_plain_list_of_documents(client, schema):
    filing = ready_filing()
    request = certificates.request_issue(
        filing_id=filing.pk, actor=make_staff(Role.ISSUER, centre=filing.centre)
    )
    client.force_login(keeper_for(filing))
    response = client.post(reverse("issue-request-confirm", args=[request.pk]))
    assert response.status_code == 201
    assert isinstance(response.json(), list)
    assert_conforms(schema, "/api/v1/issuing/requests/{id}/confirm/", "post", response)


def test_the_review_workspace_documents_the_applicant_it_shows(client, schema):
    department = DepartmentFactory()
    filing = accept_filing(make_filing(items=[make_item(department=department, children=default_children())]))
    case = filing.cases.get()
    client.force_login(make_staff(Role.APPROVER, department=department))
    response = client.get(reverse("case-detail", args=[case.pk]))
    assert response.status_code == 200
    assert response.json()["applicant"]["id_number"] == filing.applicant_id_number
    assert response.json()["claimed_by"] is None
    assert_conforms(schema, "/api/v1/cases/{id}/", "get", response)


# --- errors and who may call -------------------------------------------------------------------------


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_documents_the_errors_it_can_give(schema):
    missing = []
    for path, method, operation in operations(schema):
        answers = operation["responses"]
        public = not operation.get("security") or {} in operation["security"]
        expected = set()
        if method in WRITES:
            expected |= {"400", "409"}
        if not public:
            expected.add("403")
        if "{" in path:
            expected.add("404")
        if path.startswith("/api/v1/verify/"):
            expected.add("429")
        if "requestBody" in operation:
            expected.add("415")
        missing += [f"{method.upper()} {path}: {status}" for status in sorted(expected - set(answers))]
    assert not missing, missing


# A visitor becomes a citizen through these: asking for an SMS code, registering, logging in and
# resetting a password are open by design (each limited per number and address: docs/security.md).
ACCOUNT_ENTRANCES = {
    "POST /api/v1/accounts/codes/",
    "POST /api/v1/accounts/register/",
    "POST /api/v1/accounts/login/",
    "POST /api/v1/accounts/password-reset/",
}
# Ratings (好差评) without a login, each limited per address: a rating link is its own right to rate
# (signed, expiring), a window's evaluation pad proves itself by its device key (or, pairing, by the
# supervisor's one-time code).
RATING_ENTRANCES = {
    "GET /api/v1/rate/{token}/",
    "POST /api/v1/rate/{token}/",
    "GET /api/v1/pad/current/",
    "POST /api/v1/pad/ratings/",
    "POST /api/v1/pad/pair/",
}
# The hall's flow: what a visitor reads before booking (the areas, the hours, the places left), and
# the hall's own screens, which prove themselves by their device key (or, pairing, by the
# supervisor's one-time code): a kiosk taking tickets, a display reading the calls.
HALL_FLOW_ENTRANCES = {
    "GET /api/v1/service-areas/",
    "GET /api/v1/service-areas/{id}/",
    "GET /api/v1/opening-periods/",
    "GET /api/v1/appointment-slots/",
    "POST /api/v1/hall-devices/claim/",
    "POST /api/v1/kiosk/tickets/",
    "GET /api/v1/display/feed/",
}


def test_only_catalogue_reads_verification_accounts_ratings_and_the_hall_are_documented_as_open_to_anyone(
    schema,
):
    public = {
        f"{method.upper()} {path}"
        for path, method, operation in operations(schema)
        if not operation.get("security") or {} in operation["security"]
    }
    assert "GET /api/v1/catalogue/items/" in public
    assert "GET /api/v1/verify/" in public
    assert "POST /api/v1/catalogue/items/" not in public
    assert public >= ACCOUNT_ENTRANCES | RATING_ENTRANCES | HALL_FLOW_ENTRANCES
    others = public - ACCOUNT_ENTRANCES - RATING_ENTRANCES - HALL_FLOW_ENTRANCES
    assert {p for p in others if not p.startswith(("GET /api/v1/catalogue/", "GET /api/v1/verify/"))} == set()


def test_the_error_answers_are_the_documented_shapes(client, schema):
    assert_conforms(schema, "/api/v1/me/", "get", client.get(reverse("api-me")))  # 403, not logged in
    citizen = make_staff(Role.CITIZEN)
    client.force_login(citizen)
    missing = client.get(reverse("filing-detail", args=[999999]))
    assert missing.status_code == 404
    assert_conforms(schema, "/api/v1/filings/{id}/", "get", missing)
    broken = client.post(
        reverse("filing-list"), {"applicant_kind": "dragon"}, content_type="application/json"
    )
    assert broken.status_code == 400
    assert_conforms(schema, "/api/v1/filings/", "post", broken)
    unreadable = client.post(reverse("filing-list"), "applicant", content_type="text/plain")
    assert unreadable.status_code == 415
    assert_conforms(schema, "/api/v1/filings/", "post", unreadable)

    department = DepartmentFactory()
    case = accept_filing(make_filing(items=[make_item(department=department)])).cases.get()
    client.force_login(make_staff(Role.APPROVER, department=department))
    assert client.post(reverse("case-claim", args=[case.pk])).status_code == 200
    client.force_login(make_staff(Role.APPROVER, department=department))
    taken = client.post(reverse("case-claim", args=[case.pk]))
    assert taken.status_code == 409
    assert_conforms(schema, "/api/v1/cases/{id}/claim/", "post", taken)


# --- nullability, field by field ---------------------------------------------------------------------


def _api_serializers():
    for module_info in pkgutil.walk_packages(apps.__path__, "apps."):
        if ".api." not in module_info.name + "." or "serializers" not in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, serializers.Serializer)
                and cls.__module__ == module.__name__
            ):
                yield cls


def _nullable_on_the_way(model, source: str) -> str | None:
    """The first model field on ``source``'s path that can be null (a nullable column or relation, or a
    reverse one-to-one that may not exist)."""
    for name in source.split("."):
        try:
            field = model._meta.get_field(name)
        except Exception:  # a property or method: not a column
            return None
        if field.one_to_many or field.many_to_many:
            return None
        if getattr(field, "null", False) or (field.one_to_one and field.auto_created):
            return f"{model.__name__}.{name}"
        if not field.is_relation:
            return None
        model = field.related_model
    return None


def test_every_answer_field_that_can_be_null_is_declared_nullable():
    undeclared = []
    for cls in _api_serializers():
        model = getattr(getattr(cls, "Meta", None), "model", None)
        for name, field in cls().fields.items():
            if field.write_only or field.allow_null or isinstance(field, serializers.SerializerMethodField):
                continue
            via = _nullable_on_the_way(model, field.source) if model and field.source != "*" else None
            if via or field.default is None:
                undeclared.append(f"{cls.__name__}.{name} ({via or 'default None'})")
    assert not undeclared, undeclared


def test_the_scan_sees_a_nullable_relation():
    """The scan above is not vacuous: a field through a nullable foreign key is caught."""
    from apps.cases.models import Filing

    assert _nullable_on_the_way(Filing, "window.number") == "Filing.window"
    assert isinstance(Filing._meta.get_field("window"), models.ForeignKey)
