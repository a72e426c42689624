"""Catalogue import as a job: the template, the dry run, the Celery task and its progress, the page
and the API (issue 15, item 21). Workbooks are built here with the exporter's writer and openpyxl."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from apps.accounts.roles import Role
from apps.catalogue.models import ImportJob, ItemLineage, Material, ServiceItem
from apps.catalogue.transfer.importer import ImportFailed, Stage, import_catalogue
from apps.catalogue.transfer.tables import SHEETS
from apps.catalogue.transfer.template import EXAMPLE, EXAMPLE_CODE, template_workbook
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import ApprovalCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return ApprovalCategoryFactory(code="market", name="市场准入")


@pytest.fixture
def admin_user(client):
    user = make_staff(Role.CATALOGUE_ADMIN, centre=DepartmentFactory().centre)
    client.force_login(user)
    return user


def counts() -> tuple[int, int, int]:
    return Material.objects.count(), ItemLineage.objects.count(), ServiceItem.objects.count()


def template_with(**cells) -> bytes:
    """The template with cells of the example's first item row replaced (column key → value)."""
    workbook = load_workbook(io.BytesIO(template_workbook()))
    items = workbook["items"]
    keys = [cell.value for cell in items[1]]
    for key, value in cells.items():
        items.cell(row=3, column=keys.index(key) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the template --------------------------------------------------------------------------------------


def test_the_template_has_every_sheet_and_column_the_importer_reads_with_chinese_labels():
    with translation.override("zh-hans"):
        workbook = load_workbook(io.BytesIO(template_workbook()))
    assert workbook.sheetnames == [sheet.key for sheet in SHEETS]
    for sheet in SHEETS:
        rows = list(workbook[sheet.key].iter_rows(values_only=True))
        assert list(rows[0]) == sheet.keys
        with translation.override("zh-hans"):
            assert list(rows[1]) == [str(column.label) for column in sheet.columns]
        assert len(rows) - 2 == len(EXAMPLE.get(sheet.key, []))
    labels = [cell.value for cell in workbook["items"][2]]
    assert "事项名称" in labels, labels


def test_the_template_imports_as_it_is(market):
    report = import_catalogue(template_workbook(), dry_run=True)

    assert report.errors == []
    assert [(c.sheet, c.code, c.action) for c in report.changes] == [
        ("materials", "SAMPLE-M1", "create"),
        ("items", EXAMPLE_CODE, "create"),
    ]


# --- the dry run ---------------------------------------------------------------------------------------


def test_a_dry_run_reports_what_would_change_and_writes_nothing(market):
    report = import_catalogue(template_workbook(), dry_run=True)

    assert counts() == (0, 0, 0)
    assert report.dry_run
    assert report.counts["items"].created == 1
    assert report.counts["item_materials"].created == 1
    # Applied for real, the same file does what the dry run said.
    applied = import_catalogue(template_workbook())
    assert applied.counts == report.counts
    assert counts() == (1, 1, 1)


def test_a_bad_row_is_reported_in_chinese_by_sheet_row_column_and_rule(market):
    with translation.override("zh-hans"), pytest.raises(ImportFailed) as failed:
        import_catalogue(template_with(promised_limit_days=99), dry_run=True)

    assert counts() == (0, 0, 0)
    [error] = failed.value.report.as_dict()["errors"]
    assert (error["sheet"], error["row"], error["column"], error["code"]) == (
        "items",
        3,
        "promised_limit_days",
        "promised_above_legal",
    )
    assert error["sheet_label"] == "事项（items）"
    assert error["column_label"].startswith("承诺")
    assert "法定" in error["message"], error["message"]
    with translation.override("zh-hans"):  # the command's report names it the same way
        assert failed.value.report.errors[0].where.startswith("事项（items） · ")


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ImportFailed) as failed:
        import_catalogue(b"%PDF-1.7 not a workbook", dry_run=True)
    [error] = failed.value.report.as_dict()["errors"]
    assert error["code"] == "unreadable"
    assert error["sheet_label"] == "整个文件"
    assert "不是" in error["message"], error["message"]


def test_a_workbook_without_the_catalogues_sheets_is_refused_in_chinese():
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.active["A1"] = "名称"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with translation.override("zh-hans"), pytest.raises(ImportFailed) as failed:
        import_catalogue(buffer.getvalue(), dry_run=True)
    codes = {e.code for e in failed.value.report.errors}
    assert codes == {"no_catalogue_sheets"}
    assert "模板" in failed.value.report.errors[0].message


def test_progress_is_reported_stage_by_stage(market):
    seen = []
    import_catalogue(template_workbook(), progress=lambda stage, percent: seen.append((stage, percent)))
    assert seen == [Stage.READING, Stage.CHECKING, Stage.WRITING, Stage.DONE]


# --- the job, the page and the task ---------------------------------------------------------------------


def upload(client, data: bytes, name: str = "catalogue.xlsx", capture=None):
    with capture(execute=True):
        return client.post(reverse("admin:catalogue_import"), {"file": SimpleUploadedFile(name, data)})


def test_the_page_offers_the_template(client, admin_user):
    page = client.get(reverse("admin:catalogue_import")).content.decode()
    assert reverse("admin:catalogue_import_template") in page
    response = client.get(reverse("admin:catalogue_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="catalogue-template.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames == [sheet.key for sheet in SHEETS]


def test_upload_checks_then_apply_imports_through_the_task(
    client, admin_user, market, django_capture_on_commit_callbacks
):
    response = upload(
        client, template_with(promised_limit_days=99), capture=django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("admin:catalogue_import_job", args=[job.pk])
    assert (job.mode, job.state, job.percent) == ("check", "refused", 100)
    page = client.get(response.url).content.decode()
    assert "未导入任何数据" in page and "事项（items）" in page
    assert 'id="import-apply"' not in page
    assert counts() == (0, 0, 0)

    response = upload(client, template_workbook(), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.order_by("pk").last()
    assert job.state == "checked"
    page = client.get(reverse("admin:catalogue_import_progress", args=[job.pk])).content.decode()
    assert "试运行" in page and EXAMPLE_CODE in page and 'id="import-apply"' in page
    assert 'hx-trigger="every 1s"' not in page  # finished: the polling stops
    assert counts() == (0, 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:catalogue_import_apply", args=[job.pk]))
    stored = job.file.path
    job.refresh_from_db()
    assert (job.mode, job.state, job.stage, job.percent) == ("apply", "applied", "done", 100)
    assert not job.file and not Path(stored).exists()  # the workbook is not kept once applied
    assert counts() == (1, 1, 1)
    assert job.report["counts"][1] == {
        "sheet": "items",
        "sheet_label": "事项",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    # A job is applied once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:catalogue_import_apply", args=[job.pk]))
    assert ServiceItem.objects.count() == 1


def test_a_queued_job_polls_every_second(client, admin_user, market):
    client.post(
        reverse("admin:catalogue_import"), {"file": SimpleUploadedFile("c.xlsx", template_workbook())}
    )
    job = ImportJob.objects.get()
    assert job.state == "queued"  # the task is sent only once the job's row is committed
    page = client.get(reverse("admin:catalogue_import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'id="import-progress"' in page


def test_someone_elses_job_is_not_found_and_a_non_admin_may_not_import(client, admin_user, market):
    client.post(
        reverse("admin:catalogue_import"), {"file": SimpleUploadedFile("c.xlsx", template_workbook())}
    )
    job = ImportJob.objects.get()
    other = make_staff(Role.CATALOGUE_ADMIN, centre=DepartmentFactory().centre)
    client.force_login(other)
    assert client.get(reverse("admin:catalogue_import_job", args=[job.pk])).status_code == 404
    clerk = make_staff(Role.CLERK, is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:catalogue_import")).status_code in (302, 403)


# --- the API -------------------------------------------------------------------------------------------


def test_the_api_uploads_checks_and_applies(client, admin_user, market, django_capture_on_commit_callbacks):
    url = "/api/v1/catalogue/imports/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("c.xlsx", template_workbook())})
    assert response.status_code == 202
    job = client.get(f"{url}{response.json()['id']}/").json()
    assert job["state"] == "checked"
    assert [c["code"] for c in job["report"]["changes"]] == ["SAMPLE-M1", EXAMPLE_CODE]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}{job['id']}/apply/")
    assert response.status_code == 202
    assert client.get(f"{url}{job['id']}/").json()["state"] == "applied"
    assert client.post(f"{url}{job['id']}/apply/").status_code == 400
    assert client.get(f"{url}template/").content.startswith(b"PK")


def test_the_api_refuses_who_may_not_import(client):
    client.force_login(make_staff(Role.CLERK))
    response = client.post("/api/v1/catalogue/imports/", {"file": SimpleUploadedFile("c.xlsx", b"x")})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0
