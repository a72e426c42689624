import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models import ServiceItem
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import admin_item_form, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def catalogue_admin(client, department):
    """A catalogue admin of ``department``'s centre (the role holds there only)."""
    user = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre)
    client.force_login(user)
    return user


def test_a_catalogue_admin_is_staff_and_sees_the_items(client, catalogue_admin, department):
    make_item(name="后台可见事项", department=department)
    assert catalogue_admin.is_staff
    page = client.get(reverse("admin:catalogue_serviceitem_changelist")).content.decode()
    assert "后台可见事项" in page


def test_the_buttons_come_from_the_state_graph(client, catalogue_admin, department):
    draft = make_item(publish_it=False, department=department)
    page = client.get(reverse("admin:catalogue_serviceitem_change", args=[draft.pk])).content.decode()
    assert reverse("admin:catalogue_item_transition", args=[draft.pk, "submit_for_review"]) in page
    assert reverse("admin:catalogue_item_transition", args=[draft.pk, "publish"]) not in page
    client.post(reverse("admin:catalogue_item_transition", args=[draft.pk, "submit_for_review"]))
    # In review, publishing is offered to a second admin of the centre (four eyes: not to whoever submitted).
    client.force_login(make_staff(Role.CATALOGUE_ADMIN, centre=department.centre))
    page = client.get(reverse("admin:catalogue_serviceitem_change", args=[draft.pk])).content.decode()
    assert reverse("admin:catalogue_item_transition", args=[draft.pk, "publish"]) in page
    client.post(reverse("admin:catalogue_item_transition", args=[draft.pk, "publish"]))
    assert ServiceItem.objects.get(pk=draft.pk).state == ItemState.PUBLISHED


def test_a_published_version_is_read_only_and_offers_a_new_version(client, catalogue_admin, department):
    item = make_item(department=department)
    page = client.get(reverse("admin:catalogue_serviceitem_change", args=[item.pk])).content.decode()
    assert 'name="name"' not in page
    assert reverse("admin:catalogue_item_new_version", args=[item.pk]) in page
    response = client.post(reverse("admin:catalogue_item_new_version", args=[item.pk]))
    draft = ServiceItem.objects.get(lineage=item.lineage, version=2)
    assert response.url == reverse("admin:catalogue_serviceitem_change", args=[draft.pk])


def test_a_user_without_the_publish_permission_cannot_publish(client):
    user = make_staff(Role.CLERK, is_staff=True)
    client.force_login(user)
    item = make_item(publish_it=False)
    response = client.post(reverse("admin:catalogue_item_transition", args=[item.pk, "submit_for_review"]))
    assert response.status_code == 403
    assert ServiceItem.objects.get(pk=item.pk).state == ItemState.DRAFT


def test_version_history_and_diff(client, catalogue_admin, department):
    from apps.catalogue import services

    item = make_item(department=department)
    draft = services.start_new_version(lineage_id=item.lineage_id)
    services.update_draft(item_id=draft.pk, values={"promised_limit_days": 4})
    history = client.get(reverse("admin:catalogue_item_history", args=[item.lineage_id])).content.decode()
    diff_url = reverse("admin:catalogue_item_diff", args=[item.pk, draft.pk])
    assert diff_url in history
    diff = client.get(diff_url).content.decode()
    assert 'data-element="promised_limit_days"' in diff
    assert diff.count("data-element=") == 1


def test_the_consistency_report_page_lists_findings(client, catalogue_admin, department):
    from apps.catalogue import services

    base = make_item(kind=ItemKind.BASE)
    impl = services.implement_base_item(
        base=base.lineage,
        department=department,
        local={"consultation_phone": "0591-1", "supervision_phone": "12345"},
    )
    services.update_draft(item_id=impl.pk, values={"conditions": "不同的条件"})
    services.submit_for_review(item_id=impl.pk)
    services.publish(item_id=impl.pk)
    page = client.get(reverse("admin:catalogue_consistency")).content.decode()
    assert f'data-code="{impl.implementation_code}"' in page
    assert 'data-element="conditions"' in page


def test_adding_an_item_in_the_admin_creates_its_lineage(client, catalogue_admin, department):
    from tests.factories.catalogue import ApprovalCategoryFactory

    category = ApprovalCategoryFactory()
    form = admin_item_form(department=department, category=category)
    response = client.post(reverse("admin:catalogue_serviceitem_add"), form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    item = ServiceItem.objects.get(name="后台新增事项")
    assert item.lineage.code == f"{department.credit_code}3000765432109"
    assert item.lineage.centre == department.centre
    form["name"] = "重复编码"
    response = client.post(reverse("admin:catalogue_serviceitem_add"), form)
    assert response.status_code == 200
    assert ServiceItem.objects.filter(name="重复编码").count() == 0


def test_importing_through_the_admin_reports_rows_or_counts(
    client, catalogue_admin, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.catalogue.transfer.exporter import export_catalogue

    make_item(name="导出再导入的事项")
    workbook = export_catalogue(fmt="xlsx")
    upload = SimpleUploadedFile("catalogue.xlsx", workbook)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:catalogue_import"), {"file": upload})
    page = client.get(response.url).content.decode()
    assert "试运行" in page  # an upload is checked first (tests/catalogue/test_import_jobs.py)
    assert "<td>事项</td><td>0</td><td>0</td><td>1</td>" in page
    garbage = SimpleUploadedFile("catalogue.xlsx", b"PK\x03\x04 not really a workbook")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:catalogue_import"), {"file": garbage})
    page = client.get(response.url).content.decode()
    assert "未导入任何数据" in page
    assert 'class="import-errors"' in page


def test_export_downloads_a_workbook(client, catalogue_admin):
    make_item()
    response = client.get(reverse("admin:catalogue_export"), {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="catalogue.xlsx"'
    assert response.content.startswith(b"PK")
