"""An approver claims a bundle's case, requests a correction, the applicant answers through the API,
the approver approves; the bundle's second case is approved in another department; the filing is
ready for issue (Chromium)."""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation
from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.catalogue import services as catalogue
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import COMPANY, accept_filing, make_filing
from tests.factories.catalogue import BundleFactory, MaterialFactory, default_children, make_item


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def approve_in_the_browser(page, live_server, approver, filing_number):
    log_in(page, live_server, approver)
    expect(page.get_by_role("heading", level=1)).to_have_text("审批台")
    page.get_by_role("link", name=filing_number).click()
    page.get_by_test_id("action-claim").click()
    expect(page.get_by_test_id("case-state")).to_have_text("审核中")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_correction_answered_online_then_both_departments_approve(live_server, page, settings):
    settings.HALL_PUBLIC_BASE_URL = live_server.url
    centre = ServiceCentreFactory()
    food, health = (
        DepartmentFactory(centre=centre, name="市场监管局"),
        DepartmentFactory(centre=centre, name="卫健委"),
    )
    items = [
        make_item(
            name="食品经营许可",
            department=food,
            children=default_children([MaterialFactory(name="场所平面图")]),
        ),
        make_item(name="公共场所卫生许可", department=health, children=default_children([MaterialFactory()])),
    ]
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    citizen = make_staff(Role.CITIZEN)
    filing = make_filing(bundle=bundle, applicant=COMPANY)
    Filing.objects.filter(pk=filing.pk).update(citizen=citizen)  # filed at a window, for their account
    # ... which speaks for the company today (its legal representative): only such an account answers.
    OrganisationAuthorisation.objects.create(
        user=citizen,
        organisation_name=COMPANY.name,
        credit_code=COMPANY.id_number,
        kind=AuthorisationKind.LEGAL_REPRESENTATIVE,
        valid_from=timezone.localdate(),
    )
    filing = accept_filing(filing)
    food_approver = make_staff(Role.APPROVER, department=food, full_name="李审批")
    health_approver = make_staff(Role.APPROVER, department=health, full_name="周审批")

    # The food department: claim, then ask for a correction of the floor plan.
    approve_in_the_browser(page, live_server, food_approver, filing.number)
    page.get_by_test_id("action-request_correction").locator("summary").click()
    page.get_by_label("场所平面图").fill("平面图未标注功能分区")
    page.get_by_role("button", name="发送补正告知").click()
    expect(page.get_by_test_id("case-state")).to_have_text("已暂停")
    expect(page.get_by_test_id("correction-open")).to_be_visible()

    # The applicant answers through the API with their own account.
    api = Client()
    api.force_login(citizen)
    detail = api.get(f"/api/v1/filings/{filing.pk}/").json()
    [correction] = [c for case in detail["cases"] for c in case["corrections"]]
    answered = api.post(correction["answer_url"], {"answer": "已补充标注功能分区的平面图"})
    assert answered.status_code == 200, answered.content

    page.reload()
    expect(page.get_by_test_id("case-state")).to_have_text("审核中")
    expect(page.get_by_test_id("correction-answer")).to_contain_text("已补充标注功能分区的平面图")
    page.get_by_test_id("action-approve").locator("summary").click()
    page.get_by_label("许可范围").fill("热食类食品制售")
    page.get_by_role("button", name="准予许可").click()
    expect(page.get_by_test_id("case-state")).to_have_text("准予许可")
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED  # the health case is still open

    # The health department approves the second case: the filing is ready for issue.
    approve_in_the_browser(page, live_server, health_approver, filing.number)
    page.get_by_test_id("action-approve").locator("summary").click()
    page.get_by_label("许可范围").fill("餐厅")
    page.get_by_role("button", name="准予许可").click()
    expect(page.get_by_test_id("case-state")).to_have_text("准予许可")
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE
