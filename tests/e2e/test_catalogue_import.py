"""A catalogue admin imports the catalogue through the page: template, a refused file, a dry run,
then the import with its progress bar (issue 15, item 21). Celery runs eagerly here (tests/conftest.py):
the job is done by the time the page polls it."""

import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.catalogue.models import ImportJob, ServiceItem
from apps.catalogue.tasks import run_import_job
from apps.catalogue.transfer.template import EXAMPLE_CODE, template_workbook
from tests.factories import DepartmentFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.catalogue import ApprovalCategoryFactory


def with_item_cell(workbook_bytes: bytes, key: str, value, path) -> str:
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    items = workbook["items"]
    column = [cell.value for cell in items[1]].index(key) + 1
    items.cell(row=3, column=column, value=value)
    workbook.save(path)
    return str(path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_catalogue_admin_checks_then_imports_a_workbook(live_server, page, shot, tmp_path):
    ApprovalCategoryFactory(code="market", name="市场准入")
    admin = make_staff(Role.CATALOGUE_ADMIN, centre=DepartmentFactory().centre)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/admin/catalogue/serviceitem/import/")
    expect(page.get_by_role("link", name="下载模板（.xlsx）")).to_be_visible()
    shot(page, "import-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板（.xlsx）").click()
    template = download.value.path().read_bytes()
    assert download.value.suggested_filename == "catalogue-template.xlsx"
    assert "items" in load_workbook(io.BytesIO(template)).sheetnames

    # A promised limit above the legal one (20 days): the whole file is refused, row by row.
    bad = with_item_cell(template, "promised_limit_days", 99, tmp_path / "bad.xlsx")
    page.locator("input[name=file]").set_input_files(bad)
    page.get_by_role("button", name="上传并检查（试运行）").click()
    expect(page.get_by_role("heading", name="未导入任何数据：请更正以下各行后重试。")).to_be_visible()
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("事项（items）")
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("promised_limit_days")
    expect(errors.first).to_contain_text("法定")
    expect(page.locator("#import-apply")).to_have_count(0)
    shot(page, "row-error")
    assert ServiceItem.objects.count() == 0

    # Corrected: the dry run says what would change and writes nothing.
    good = with_item_cell(template, "promised_limit_days", 10, tmp_path / "good.xlsx")
    page.get_by_role("link", name="上传其他文件").click()
    page.locator("input[name=file]").set_input_files(good)
    page.get_by_role("button", name="上传并检查（试运行）").click()
    expect(page.get_by_role("heading", name="试运行：未写入任何数据。正式导入此文件将：")).to_be_visible()
    changes = page.locator("table.import-changes tbody tr")
    expect(changes).to_have_count(2)
    expect(changes.nth(1)).to_contain_text(EXAMPLE_CODE)
    expect(changes.nth(1)).to_contain_text("新增")
    shot(page, "dry-run")
    assert ServiceItem.objects.count() == 0

    page.get_by_role("button", name="正式导入").click()
    expect(page.locator("#import-state")).to_have_text("已导入")
    expect(page.locator("#import-progress")).to_have_attribute("value", "100")
    expect(page.locator("#import-stage")).to_contain_text("完成")
    expect(page.get_by_role("heading", name="导入完成。")).to_be_visible()
    shot(page, "applied")
    assert ServiceItem.objects.filter(basic_code=EXAMPLE_CODE).count() == 1
    assert ImportJob.objects.filter(state=ImportJob.State.APPLIED).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_broken_file_is_refused_in_chinese_and_a_queued_job_updates_itself(
    live_server, page, shot, tmp_path
):
    ApprovalCategoryFactory(code="market", name="市场准入")
    admin = make_staff(Role.CATALOGUE_ADMIN, centre=DepartmentFactory().centre)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/admin/catalogue/serviceitem/import/")
    notes = tmp_path / "notes.xlsx"
    notes.write_text("这不是工作簿", encoding="utf-8")
    page.locator("input[name=file]").set_input_files(str(notes))
    page.get_by_role("button", name="上传并检查（试运行）").click()
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("整个文件")
    expect(errors.first).to_contain_text("该文件不是 .xlsx 工作簿")
    shot(page, "not-a-workbook")

    # A job the worker has not reached yet: its page polls until the worker has run it.
    job = ImportJob(created_by=admin, file_name="queued.xlsx", fmt="xlsx", language="zh-hans")
    job.file.save("queued.xlsx", ContentFile(template_workbook()))
    page.goto(f"{live_server.url}/admin/catalogue/serviceitem/import/{job.pk}/")
    expect(page.locator("#import-stage")).to_contain_text("等待后台任务")
    expect(page.locator("#import-progress")).to_have_attribute("value", "0")
    shot(page, "queued")
    run_import_job(job.pk)  # what the worker does; the page is not reloaded
    expect(page.locator("#import-state")).to_have_text("已检查：可以导入")
    expect(page.locator("#import-progress")).to_have_attribute("value", "100")
    expect(page.locator("#import-apply")).to_be_visible()
    shot(page, "checked-by-polling")
