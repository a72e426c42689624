"""A clerk files a bundle for an organisation, accepts it and opens the printed receipt (Chromium)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.catalogue import services as catalogue
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import comprehensive_window
from tests.factories.catalogue import BundleFactory, MaterialFactory, default_children, make_item


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_files_a_bundle_accepts_it_and_opens_the_receipt(live_server, page, settings):
    settings.HALL_PUBLIC_BASE_URL = live_server.url
    centre = ServiceCentreFactory()
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window, full_name="李受理")
    licence = MaterialFactory(name="法定代表人身份证明")
    items = [
        make_item(
            name=name,
            department=DepartmentFactory(centre=centre),
            children=default_children([licence, MaterialFactory(name=f"{name}申请书")]),
        )
        for name in ("食品经营许可", "公共场所卫生许可", "排水许可")
    ]
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("综合受理台")

    page.get_by_test_id("item-search").fill("wykfd")  # 我要开饭店, by pinyin initials
    page.get_by_role("link", name="我要开饭店").click()
    page.get_by_label("法人和其他组织").check()
    page.get_by_label("名称").fill("示范餐饮有限公司")
    page.get_by_label("证件号码").fill("91350100M000100Y43")
    expect(page.locator("#id-check")).to_contain_text("有效")
    page.get_by_label("法定代表人").fill("李四")
    page.get_by_role("button", name="建立收件").click()

    expect(page.get_by_test_id("filing-state")).to_have_text("草稿")
    rows = page.locator("table.checklist tbody tr")
    expect(rows).to_have_count(4)  # the shared material once, plus one form per item
    for i in range(4):
        row = page.locator("table.checklist tbody tr").nth(i)
        row.get_by_role("combobox").select_option("original")
        expect(row.get_by_test_id("row-result")).to_contain_text("✓")  # saved in place
        expect(row.get_by_role("combobox")).to_have_value("original")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_test_id("filing-state")).to_have_text("已受理")
    expect(page.get_by_text("到期")).to_have_count(3)

    # The notice is an attachment (docs/security.md, "Uploads"): the browser downloads it.
    with page.expect_download() as download:
        page.get_by_test_id("notice-acceptance").click()
    receipt = download.value
    assert receipt.suggested_filename.endswith(".pdf")
    assert Path(receipt.path()).read_bytes().startswith(b"%PDF")
