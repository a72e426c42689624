"""Roles are per centre in the catalogue: a catalogue admin maintains the items and bundles of the
centres where they hold the role, and the base catalogue; everyone reads what is published.

Another centre's draft is not found (404); a change to another centre's published item or bundle is
refused (403); creating for another centre's department or centre is a 400 naming the field.
"""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.catalogue import services
from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models import Bundle, BundleState, Material, ServiceItem
from apps.catalogue.selectors import catalogue_role
from apps.catalogue.transfer.exporter import catalogue_rows, export_catalogue
from apps.catalogue.transfer.importer import ImportFailed, import_catalogue
from apps.catalogue.transfer.readers import read_workbook
from apps.catalogue.transfer.writers import write_workbook
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.catalogue import (
    ApprovalCategoryFactory,
    BundleFactory,
    MaterialFactory,
    admin_item_form,
    make_item,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    """Two centres, each with a department, a published item, a draft and a draft bundle; a catalogue
    admin at each; a user who is catalogue admin at the city and a clerk at the county."""
    city, county = ServiceCentreFactory(name="市中心"), ServiceCentreFactory(name="区中心")
    city_dept, county_dept = DepartmentFactory(centre=city), DepartmentFactory(centre=county)
    two_roles = make_staff(Role.CATALOGUE_ADMIN, centre=city)
    assign_role(user=two_roles, role=Role.CLERK, centre=county)
    return SimpleNamespace(
        city=city,
        county=county,
        city_dept=city_dept,
        county_dept=county_dept,
        city_admin=make_staff(Role.CATALOGUE_ADMIN, centre=city),
        county_admin=make_staff(Role.CATALOGUE_ADMIN, centre=county),
        two_roles=two_roles,
        city_item=make_item(department=city_dept, name="市级已发布事项"),
        county_item=make_item(department=county_dept, name="区级已发布事项"),
        city_draft=make_item(department=city_dept, publish_it=False, name="市级草稿事项"),
        county_draft=make_item(department=county_dept, publish_it=False, name="区级草稿事项"),
        base_draft=make_item(kind=ItemKind.BASE, publish_it=False, name="基本目录草稿"),
        city_bundle=BundleFactory(centre=city, name="市级一件事草稿"),
        county_bundle=BundleFactory(centre=county, name="区级一件事草稿"),
    )


def login(client, user):
    client.force_login(user)
    return client


def item_body(department, **overrides):
    body = {
        "kind": "implementation",
        "name": "经API创建的事项",
        "basic_code": "000123456789",
        "item_type": "01",
        "level": "3",
        "department": department.credit_code,
        "approval_category": ApprovalCategoryFactory().code,
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
                "material": MaterialFactory().code,
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


def post(client, name, *args, body=None):
    return client.post(reverse(name, args=args), body or {}, content_type="application/json")


# --- the API: items ---------------------------------------------------------------------------------


def test_an_admin_lists_their_centres_drafts_and_base_drafts_never_another_centres(client, hall):
    login(client, hall.city_admin)
    rows = client.get(reverse("catalogue-item-list"), {"page_size": 100}).json()["results"]
    names = {row["name"] for row in rows}
    assert {"市级草稿事项", "基本目录草稿", "市级已发布事项", "区级已发布事项"} <= names
    assert "区级草稿事项" not in names


def test_another_centres_draft_is_not_found_for_reading_editing_or_any_transition(client, hall):
    login(client, hall.city_admin)
    draft = hall.county_draft
    assert client.get(reverse("catalogue-item-detail", args=[draft.pk])).status_code == 404
    patched = client.patch(
        reverse("catalogue-item-detail", args=[draft.pk]), {"name": "改名"}, content_type="application/json"
    )
    assert patched.status_code == 404
    for action in ("submit", "publish", "return-to-draft", "new-version"):
        assert post(client, f"catalogue-item-{action}", draft.pk).status_code == 404, action
    services.submit_for_review(item_id=draft.pk)
    assert post(client, "catalogue-item-publish", draft.pk).status_code == 404
    draft.refresh_from_db()
    assert (draft.name, draft.state) == ("区级草稿事项", ItemState.IN_REVIEW)


def test_another_centres_published_item_is_readable_but_not_changed(client, hall):
    login(client, hall.city_admin)
    item = hall.county_item
    assert client.get(reverse("catalogue-item-detail", args=[item.pk])).status_code == 200
    assert post(client, "catalogue-item-new-version", item.pk).status_code == 403
    assert post(client, "catalogue-item-retire", item.pk).status_code == 403
    assert ServiceItem.objects.filter(lineage=item.lineage).count() == 1
    assert ServiceItem.objects.get(pk=item.pk).state == ItemState.PUBLISHED


def test_an_admin_walks_their_own_centres_draft_to_publication(client, hall):
    login(client, hall.city_admin)
    draft = hall.city_draft
    patched = client.patch(
        reverse("catalogue-item-detail", args=[draft.pk]),
        {"promised_limit_days": 3},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.json()
    assert post(client, "catalogue-item-submit", draft.pk).json()["state"] == "in_review"
    # A second catalogue admin of the city publishes (four eyes: not whoever submitted).
    login(client, make_staff(Role.CATALOGUE_ADMIN, centre=hall.city))
    assert post(client, "catalogue-item-publish", draft.pk).json()["state"] == "published"


def test_creating_an_item_for_another_centres_department_is_a_400_naming_the_department(client, hall):
    login(client, hall.city_admin)
    refused = post(client, "catalogue-item-list", body=item_body(hall.county_dept))
    assert refused.status_code == 400
    assert set(refused.json()) == {"department"}
    assert "区中心" in refused.json()["department"][0]
    assert not ServiceItem.objects.filter(name="经API创建的事项").exists()
    created = post(client, "catalogue-item-list", body=item_body(hall.city_dept))
    assert created.status_code == 201, created.json()


def test_any_catalogue_admin_maintains_the_base_catalogue(client, hall):
    """Decision: the base catalogue (基本目录, lineages without a centre) belongs to no one centre; the
    demo hall and most deployments have no provincial admin, so every catalogue admin may maintain it."""
    for admin in (hall.city_admin, hall.county_admin):
        login(client, admin)
        patched = client.patch(
            reverse("catalogue-item-detail", args=[hall.base_draft.pk]),
            {"conditions": f"由{admin}修改"},
            content_type="application/json",
        )
        assert patched.status_code == 200, patched.json()
    body = item_body(hall.city_dept, kind="base", basic_code="000987654321")
    body.pop("department")
    login(client, hall.county_admin)
    assert post(client, "catalogue-item-list", body=body).status_code == 201


def test_a_user_with_roles_at_two_centres_maintains_only_where_they_are_catalogue_admin(client, hall):
    """Catalogue admin at the city and clerk at the county: the county's catalogue is not theirs."""
    login(client, hall.two_roles)
    assert client.get(reverse("catalogue-item-detail", args=[hall.city_draft.pk])).status_code == 200
    assert client.get(reverse("catalogue-item-detail", args=[hall.county_draft.pk])).status_code == 404
    assert post(client, "catalogue-item-list", body=item_body(hall.county_dept)).status_code == 400
    assert post(client, "catalogue-item-new-version", hall.county_item.pk).status_code == 403
    assert post(client, "catalogue-item-new-version", hall.city_item.pk).status_code == 201


def test_anonymous_visitors_and_citizens_read_published_items_only(client, hall):
    rows = client.get(reverse("catalogue-item-list"), {"page_size": 100}).json()["results"]
    assert {row["state"] for row in rows} == {"published"}
    assert client.get(reverse("catalogue-item-detail", args=[hall.city_draft.pk])).status_code == 404


# --- the API: bundles ------------------------------------------------------------------------------


def test_another_centres_draft_bundle_is_not_found_and_cannot_be_published_or_retired(client, hall):
    login(client, hall.city_admin)
    code = hall.county_bundle.code
    assert client.get(reverse("catalogue-bundle-detail", args=[code])).status_code == 404
    for action in ("publish", "retire"):
        assert post(client, f"catalogue-bundle-{action}", code).status_code == 404, action
    assert Bundle.objects.get(code=code).state == BundleState.DRAFT


def test_another_centres_published_bundle_is_readable_but_not_changed(client, hall):
    county_items = [make_item(department=hall.county_dept) for _ in range(2)]
    bundle = services.save_bundle(
        values={"code": "B-COUNTY", "name": "区级一件事", "centre": hall.county, "promised_limit_days": 10},
        lineage_ids=[item.lineage_id for item in county_items],
    )
    services.publish_bundle(bundle_id=bundle.pk)
    login(client, hall.city_admin)
    assert client.get(reverse("catalogue-bundle-detail", args=["B-COUNTY"])).status_code == 200
    patched = client.patch(
        reverse("catalogue-bundle-detail", args=["B-COUNTY"]),
        {"name": "改名"},
        content_type="application/json",
    )
    assert patched.status_code == 403
    assert post(client, "catalogue-bundle-retire", "B-COUNTY").status_code == 403
    bundle.refresh_from_db()
    assert (bundle.name, bundle.state) == ("区级一件事", BundleState.PUBLISHED)


def test_a_bundle_is_created_only_for_the_admins_own_centre(client, hall):
    login(client, hall.city_admin)
    body = {"code": "B-NEW", "name": "新一件事", "promised_limit_days": 5, "items": []}
    refused = post(client, "catalogue-bundle-list", body={**body, "centre": hall.county.pk})
    assert refused.status_code == 400
    assert set(refused.json()) == {"centre"}
    assert not Bundle.objects.filter(code="B-NEW").exists()
    assert post(client, "catalogue-bundle-list", body={**body, "centre": hall.city.pk}).status_code == 201
    moved = client.patch(
        reverse("catalogue-bundle-detail", args=["B-NEW"]),
        {"centre": hall.county.pk},
        content_type="application/json",
    )
    assert moved.status_code == 400
    assert Bundle.objects.get(code="B-NEW").centre == hall.city


def test_a_bundle_naming_another_centres_unpublished_item_is_told_no_such_item(client, hall):
    login(client, hall.city_admin)
    body = {"code": "B-PROBE", "name": "探测", "promised_limit_days": 5, "centre": hall.city.pk}
    unknown = post(client, "catalogue-bundle-list", body={**body, "items": ["000000000000"]})
    hidden = post(client, "catalogue-bundle-list", body={**body, "items": [hall.county_draft.lineage.code]})
    assert (unknown.status_code, hidden.status_code) == (400, 400)
    assert hidden.json()["items"][0] == unknown.json()["items"][0].replace(
        "000000000000", hall.county_draft.lineage.code
    )
    published = [hall.county_item.lineage.code, hall.city_draft.lineage.code, hall.base_draft.lineage.code]
    assert post(client, "catalogue-bundle-list", body={**body, "items": published}).status_code == 201


def test_the_material_dictionary_is_shared_by_every_catalogue_admin(client, hall):
    """Decision: materials (身份证, 营业执照 …) are one dictionary for every centre, as the base catalogue
    names them; any catalogue admin adds and corrects entries."""
    login(client, hall.county_admin)
    body = {"code": "M-SHARED", "name": "共享材料", "material_type": "certificate", "source": "applicant"}
    assert post(client, "catalogue-material-list", body=body).status_code == 201
    login(client, hall.city_admin)
    patched = client.patch(
        reverse("catalogue-material-detail", args=["M-SHARED"]),
        {"description": "市中心补充说明"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert Material.objects.get(code="M-SHARED").description == "市中心补充说明"


# --- the Django admin -------------------------------------------------------------------------------


def test_the_admin_lists_only_the_admins_centres_items_and_the_base_catalogue(client, hall):
    login(client, hall.city_admin)
    page = client.get(reverse("admin:catalogue_serviceitem_changelist")).content.decode()
    assert "市级草稿事项" in page and "市级已发布事项" in page and "基本目录草稿" in page
    assert "区级草稿事项" not in page and "区级已发布事项" not in page


def test_another_centres_item_cannot_be_opened_or_acted_on_in_the_admin(client, hall):
    login(client, hall.city_admin)
    draft = hall.county_draft
    opened = client.get(reverse("admin:catalogue_serviceitem_change", args=[draft.pk]))
    assert opened.status_code == 302  # the admin's "does not exist" redirect
    assert "区级草稿事项" not in client.get(opened.url).content.decode()
    changed = client.post(reverse("admin:catalogue_serviceitem_change", args=[draft.pk]), {"name": "改名"})
    assert changed.status_code == 302
    transition = reverse("admin:catalogue_item_transition", args=[draft.pk, "submit_for_review"])
    assert client.post(transition).status_code == 404
    new_version = reverse("admin:catalogue_item_new_version", args=[hall.county_item.pk])
    assert client.post(new_version).status_code == 404
    history = reverse("admin:catalogue_item_history", args=[draft.lineage_id])
    assert client.get(history).status_code == 404
    diff = reverse("admin:catalogue_item_diff", args=[hall.county_item.pk, draft.pk])
    assert client.get(diff).status_code == 404
    draft.refresh_from_db()
    assert (draft.name, draft.state) == ("区级草稿事项", ItemState.DRAFT)
    assert ServiceItem.objects.filter(lineage=hall.county_item.lineage).count() == 1


def test_the_add_form_offers_only_the_admins_departments_and_refuses_another(client, hall):
    login(client, hall.city_admin)
    form = admin_item_form(department=hall.county_dept, name="后台越权新增")
    response = client.post(reverse("admin:catalogue_serviceitem_add"), form)
    assert response.status_code == 200  # the form again, with the error on the department
    assert set(response.context["adminform"].form.errors) == {"department"}
    assert not ServiceItem.objects.filter(name="后台越权新增").exists()
    form["department"] = hall.city_dept.pk
    assert client.post(reverse("admin:catalogue_serviceitem_add"), form).status_code == 302


def test_the_admin_lists_and_opens_only_the_admins_centres_bundles(client, hall):
    login(client, hall.city_admin)
    page = client.get(reverse("admin:catalogue_bundle_changelist")).content.decode()
    assert "市级一件事草稿" in page and "区级一件事草稿" not in page
    opened = client.get(reverse("admin:catalogue_bundle_change", args=[hall.county_bundle.pk]))
    assert opened.status_code == 302
    add_page = client.get(reverse("admin:catalogue_bundle_add")).content.decode()
    assert f'<option value="{hall.county.pk}"' not in add_page


def test_the_catalogue_desk_counts_and_queues_only_the_admins_items(client, hall):
    services.submit_for_review(item_id=hall.county_draft.pk)
    services.submit_for_review(item_id=hall.city_draft.pk)
    login(client, hall.city_admin)
    page = client.get(reverse("desks:catalogue")).content.decode()
    assert "市级草稿事项" in page
    assert "区级草稿事项" not in page


def test_the_consistency_report_page_lists_the_admins_centres_only(client, hall):
    base = make_item(kind=ItemKind.BASE)
    for department in (hall.city_dept, hall.county_dept):
        impl = services.implement_base_item(
            base=base.lineage,
            department=department,
            local={"consultation_phone": "0591-1", "supervision_phone": "12345"},
        )
        services.update_draft(item_id=impl.pk, values={"conditions": "不同的条件"})
        services.submit_for_review(item_id=impl.pk)
        services.publish(item_id=impl.pk)
    login(client, hall.city_admin)
    page = client.get(reverse("admin:catalogue_consistency")).content.decode()
    assert hall.city_dept.credit_code in page
    assert hall.county_dept.credit_code not in page


# --- import and export ------------------------------------------------------------------------------


def changed_rows(item, admin, **changes) -> dict:
    """The catalogue as ``admin`` exports it, with ``item``'s row changed."""
    rows = catalogue_rows(role=catalogue_role(admin))
    row = next(r for r in rows["items"] if r["name"] == item.name)
    row.update(changes)
    return rows


def test_an_import_refuses_each_row_that_would_change_another_centres_item(hall):
    rows = changed_rows(hall.county_item, hall.city_admin, conditions="被市中心改动的条件")
    index = next(n for n, r in enumerate(rows["items"]) if r["name"] == "区级已发布事项")
    with pytest.raises(ImportFailed) as failed:
        import_catalogue(write_workbook(rows, "xlsx"), role=catalogue_role(hall.city_admin))
    errors = {(e.sheet, e.row, e.column, e.code) for e in failed.value.report.errors}
    assert errors == {("items", index + 3, "department", "not_your_centre")}
    assert ServiceItem.objects.filter(lineage=hall.county_item.lineage).count() == 1
    # The county's own admin may.
    rows = changed_rows(hall.county_item, hall.county_admin, conditions="区中心自己的修改")
    report = import_catalogue(write_workbook(rows, "xlsx"), role=catalogue_role(hall.county_admin))
    assert report.counts["items"].updated == 1  # a new draft version of the county's item
    assert ServiceItem.objects.filter(lineage=hall.county_item.lineage).count() == 2


def test_an_import_of_the_whole_export_passes_other_centres_rows_that_change_nothing(hall):
    rows = changed_rows(hall.city_item, hall.city_admin, conditions="市中心自己的修改")
    report = import_catalogue(write_workbook(rows, "xlsx"), role=catalogue_role(hall.city_admin))
    assert (report.counts["items"].updated, report.counts["items"].unchanged) == (1, 1)
    assert ServiceItem.objects.filter(lineage=hall.county_item.lineage).count() == 1


def test_an_import_refuses_new_items_and_bundles_for_another_centre(hall):
    rows = catalogue_rows(role=catalogue_role(hall.city_admin))
    template = next(r for r in rows["items"] if r["name"] == "区级已发布事项")
    rows["items"].append(
        {**template, "name": "区级新事项", "basic_code": "000555555555", "implementation_code": ""}
    )
    rows["bundles"].append(
        {
            "code": "B-INTRUDER",
            "name": "越权一件事",
            "centre": "区中心",
            "promised_limit_days": 5,
            "description": "",
            "state": "draft",
        }
    )
    with pytest.raises(ImportFailed) as failed:
        import_catalogue(write_workbook(rows, "xlsx"), role=catalogue_role(hall.city_admin))
    codes = {(e.sheet, e.column, e.code) for e in failed.value.report.errors}
    assert codes == {("items", "department", "not_your_centre"), ("bundles", "centre", "not_your_centre")}
    assert not Bundle.objects.filter(code="B-INTRUDER").exists()


def test_the_admins_import_page_reports_another_centres_row(client, hall, django_capture_on_commit_callbacks):
    rows = changed_rows(hall.county_item, hall.city_admin, conditions="被市中心改动的条件")
    upload = SimpleUploadedFile("catalogue.xlsx", write_workbook(rows, "xlsx"))
    login(client, hall.city_admin)
    with django_capture_on_commit_callbacks(execute=True):  # the upload's check runs as a task
        response = client.post(reverse("admin:catalogue_import"), {"file": upload})
    page = client.get(response.url).content.decode()
    assert 'class="import-errors"' in page
    assert "区中心" in page
    assert ServiceItem.objects.filter(lineage=hall.county_item.lineage).count() == 1


def test_the_admins_export_leaves_out_another_centres_draft_bundles(client, hall):
    login(client, hall.city_admin)
    response = client.get(reverse("admin:catalogue_export"), {"format": "xlsx"})
    bundles = {row.values["code"] for row in read_workbook(response.content, "xlsx")["bundles"].rows}
    assert hall.city_bundle.code in bundles
    assert hall.county_bundle.code not in bundles
    assert hall.county_bundle.code in {
        row.values["code"] for row in read_workbook(export_catalogue(), "xlsx")["bundles"].rows
    }
