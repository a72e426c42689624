import pytest
from django.urls import reverse
from django.utils import translation

from apps.accounts.roles import Role
from apps.catalogue.codes import ItemState
from apps.catalogue.models import ServiceItem
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import ApprovalCategoryFactory, MaterialFactory, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def admin_client(client, department):
    """Logged in as a catalogue admin of ``department``'s centre (the role holds there only)."""
    client.force_login(make_staff(Role.CATALOGUE_ADMIN, centre=department.centre))
    return client


def payload(dept, category, material, **overrides):
    body = {
        "kind": "implementation",
        "name": "经API创建的事项",
        "basic_code": "000123456789",
        "item_type": "01",
        "level": "3",
        "department": dept.credit_code,
        "approval_category": category.code,
        "legal_basis": "《中华人民共和国行政许可法》",
        "conditions": "具备条件。",
        "legal_limit_days": 20,
        "promised_limit_days": 8,
        "handling_type": "2",
        "serves": ["2"],
        "channels": ["1", "2"],
        "visits_required": 1,
        "result_name": "许可证",
        "consultation_phone": "0591-11111111",
        "supervision_phone": "0591-22222222",
        "materials": [
            {
                "material": material.code,
                "original_count": 1,
                "copy_count": 1,
                "necessity": "required",
                "form": "paper",
            }
        ],
        "steps": [{"name": "受理"}, {"name": "决定"}],
    }
    body.update(overrides)
    return body


def test_anyone_reads_published_items_and_never_drafts(client):
    published = make_item()
    make_item(publish_it=False)
    data = client.get(reverse("catalogue-item-list")).json()
    assert [row["id"] for row in data["results"]] == [published.pk]
    detail = client.get(reverse("catalogue-item-detail", args=[published.pk])).json()
    assert detail["materials"][0]["original_count"] == 1
    assert detail["guide_url"] == f"/guide/items/{published.lineage.code}/"


def test_filters_and_search_use_the_guides_rules(client):
    make_item(name="食品经营许可证核发")
    make_item(name="民办学校办学许可")
    names = [r["name"] for r in client.get(reverse("catalogue-item-list"), {"q": "spjy"}).json()["results"]]
    assert names == ["食品经营许可证核发"]


def test_writing_needs_the_catalogue_admin_role(client):
    client.force_login(make_staff(Role.CLERK))
    assert client.post(reverse("catalogue-item-list"), {}, content_type="application/json").status_code == 403
    client.logout()
    assert client.post(reverse("catalogue-item-list"), {}, content_type="application/json").status_code == 403


def test_an_admin_creates_reviews_and_publishes_through_the_api(admin_client, department):
    category, material = ApprovalCategoryFactory(), MaterialFactory()
    response = admin_client.post(
        reverse("catalogue-item-list"),
        payload(department, category, material),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["state"] == "draft"
    assert item["implementation_code"] == f"{department.credit_code}3000123456789"
    assert [m["material"] for m in item["materials"]] == [material.code]
    url = reverse("catalogue-item-submit", args=[item["id"]])
    assert admin_client.post(url, content_type="application/json").json()["state"] == "in_review"
    # A second admin of the centre publishes (four eyes: not whoever submitted).
    admin_client.force_login(make_staff(Role.CATALOGUE_ADMIN, centre=department.centre))
    url = reverse("catalogue-item-publish", args=[item["id"]])
    assert admin_client.post(url, content_type="application/json").json()["state"] == "published"
    again = admin_client.post(url, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"


def test_a_rule_broken_through_the_api_is_a_400_naming_the_field_in_chinese(admin_client, department):
    category, material = ApprovalCategoryFactory(), MaterialFactory()
    with translation.override("zh-hans"):
        response = admin_client.post(
            reverse("catalogue-item-list"),
            payload(department, category, material, promised_limit_days=30),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 400
    assert "承诺办结时限" in response.json()["promised_limit_days"][0]
    assert not ServiceItem.objects.exists()


def test_an_unknown_department_or_category_is_refused_by_name(admin_client):
    department, category, material = DepartmentFactory(), ApprovalCategoryFactory(), MaterialFactory()
    body = payload(department, category, material, department="91350100M000100Y43", approval_category="nope")
    response = admin_client.post(reverse("catalogue-item-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"department", "approval_category"}


def test_a_new_version_through_the_api_keeps_the_published_one(admin_client, department):
    item = make_item(department=department)
    response = admin_client.post(
        reverse("catalogue-item-new-version", args=[item.pk]),
        {"change_note": "修订"},
        content_type="application/json",
    )
    assert response.status_code == 201
    draft_id = response.json()["id"]
    patched = admin_client.patch(
        reverse("catalogue-item-detail", args=[draft_id]),
        {"promised_limit_days": 3},
        content_type="application/json",
    )
    assert patched.json()["promised_limit_days"] == 3
    assert ServiceItem.objects.get(pk=item.pk).state == ItemState.PUBLISHED
    refused = admin_client.patch(
        reverse("catalogue-item-detail", args=[item.pk]),
        {"promised_limit_days": 3},
        content_type="application/json",
    )
    assert refused.status_code == 409


def test_the_schema_documents_the_catalogue(client):
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/v1/catalogue/items/",
        "/api/v1/catalogue/bundles/{code}/checklist/",
        "/api/v1/catalogue/items/{id}/publish/",
    ):
        assert path in schema
