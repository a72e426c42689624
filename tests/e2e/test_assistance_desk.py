"""The assistants' desk (帮办代办台) in a real Chromium: an assistant finds the item, opens an assisted
filing for an applicant, uploads the ID card, submits it to the windows and puts it in the green
channel; the window clerk finds it first in the pre-review list with its 绿色通道 badge, ahead of an
older filing; the assistant hands it over to a colleague, whose queue it is in now."""

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases import assistance
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from tests.e2e.staff_login import log_in
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import MINIMAL_PDF, PERSON, comprehensive_window
from tests.factories.catalogue import MaterialFactory, default_children, make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted_before(centre, item, material, assistant):
    """An older assisted filing already waiting for pre-review (not in the green channel)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    filing = assistance.open_assisted_filing(
        centre=centre, applicant=PERSON, actor=assistant, item_ids=[item.pk]
    )
    assistance.attach_assisted_upload(
        filing_id=filing.pk,
        material_id=material.pk,
        file=SimpleUploadedFile("id.pdf", MINIMAL_PDF, content_type="application/pdf"),
        actor=assistant,
    )
    return assistance.submit_assisted(filing_id=filing.pk, actor=assistant)


def test_an_assistant_files_for_an_applicant_flags_it_green_and_hands_it_over(
    live_server, new_context, shot, axe, tmp_path
):
    centre = ServiceCentreFactory()
    material = MaterialFactory(name="身份证")
    item = make_item(
        department=DepartmentFactory(centre=centre),
        children=default_children([material]),
        name="食品经营许可",
    )
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    assistant = make_staff(Role.ASSISTANT, centre=centre, full_name="帮办甲")
    colleague = make_staff(Role.ASSISTANT, centre=centre, full_name="帮办乙")
    older = _submitted_before(centre, item, material, colleague)
    scan = tmp_path / "id.pdf"
    scan.write_bytes(MINIMAL_PDF)

    page = new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    log_in(page, live_server, assistant)
    expect(page.get_by_test_id("assisted-queue")).to_be_visible()  # lands on the assistants' desk
    shot(page, "assistant-desk")
    axe(page, "assistance desk")

    page.get_by_test_id("assist-item-search").fill("食品")
    page.get_by_test_id("assist-item-search").press("Enter")
    page.get_by_test_id("assist-offered").get_by_role("link", name="食品经营许可").click()
    page.locator("#id_applicant_name").fill("王五")
    page.locator("#id_applicant_id_number").fill(PERSON.id_number)
    shot(page, "new-assisted-filing")
    axe(page, "new assisted filing")
    page.get_by_test_id("open-assisted").click()

    expect(page.get_by_test_id("filing-number")).to_be_visible()
    filing = Filing.objects.get(applicant_name="王五")
    assert (filing.assistant_id, filing.state) == (assistant.pk, FilingState.DRAFT)
    page.get_by_test_id(f"material-{material.code}").locator("input[type=file]").set_input_files(str(scan))
    page.get_by_test_id(f"material-{material.code}").locator("button[type=submit]").click()
    expect(page.get_by_test_id(f"material-{material.code}")).to_contain_text("id.pdf")
    shot(page, "uploaded")
    page.get_by_test_id("submit-assisted").click()
    expect(page.get_by_test_id("submit-assisted")).to_have_count(0)
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED

    page.locator("#green-reason").fill("市重点项目")
    page.get_by_test_id("green-channel-submit").click()
    expect(page.get_by_test_id("green-channel-panel")).to_contain_text("市重点项目")
    expect(page.get_by_test_id("green-channel").first).to_be_visible()
    shot(page, "submitted-and-green")
    axe(page, "assisted filing page")

    # The window: the green filing first in the pre-review list, with its badge.
    desk = new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    log_in(desk, live_server, clerk)
    awaiting = desk.get_by_test_id("list-awaiting")
    expect(awaiting.locator("tbody tr")).to_have_count(2)
    expect(awaiting.locator("tbody tr").first).to_contain_text(filing.number)
    expect(awaiting.locator("tbody tr").first.get_by_test_id("green-channel")).to_be_visible()
    expect(awaiting.locator("tbody tr").nth(1)).to_contain_text(older.number)
    expect(awaiting.locator("tbody tr").nth(1).get_by_test_id("green-channel")).to_have_count(0)
    shot(desk, "clerk-sees-green-first")

    # The assistant hands it over to their colleague.
    page.get_by_test_id("hand-over").locator("select").select_option(str(colleague.pk))
    page.get_by_test_id("hand-over").locator("input[name=note]").fill("明天休假，请跟进领证")
    page.get_by_test_id("hand-over-submit").click()
    expect(page.get_by_test_id("assisted-queue")).to_be_visible()
    expect(page.get_by_test_id("assisted-row")).to_have_count(0)
    shot(page, "handed-over")
    filing.refresh_from_db()
    assert filing.assistant_id == colleague.pk

    other = new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    log_in(other, live_server, colleague)
    rows = other.get_by_test_id("assisted-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(filing.number)  # green first in the colleague's queue too
    expect(rows.first.get_by_test_id("green-channel")).to_be_visible()
    shot(other, "colleague-queue")
