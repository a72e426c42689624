"""Duties in a real Chromium (issue 15, items 5 and 12): a role is given in the admin by a membership
(岗位), named in Chinese, and the person then reaches their desk; the seal keeper is not offered the
hand-over, the issuer hands over; a catalogue admin who submitted a version cannot publish it, a
second one does (four eyes)."""

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.catalogue.codes import ItemState
from apps.catalogue.models import ServiceItem
from tests.factories import DepartmentFactory, UserFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import PERSON
from tests.factories.catalogue import make_item
from tests.factories.certificates import issue, keeper_for, ready_filing


def log_in(browser, live_server, user):
    """A fresh context (own cookies) with ``user`` logged in through the login page."""
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_role_given_by_membership_then_only_the_issuer_hands_over(live_server, browser, shot):
    filing = ready_filing()
    centre = filing.centre
    newcomer = UserFactory(full_name="新出证员")
    admin = UserFactory(is_superuser=True, is_staff=True)

    # The administrator gives the newcomer the issuer's role through the membership inline.
    page = log_in(browser, live_server, admin)
    page.goto(f"{live_server.url}/admin/accounts/user/{newcomer.pk}/change/")
    expect(page.locator('select[name="groups"]')).to_have_count(0)  # no raw groups
    page.locator("#memberships-group .add-row a").click()
    role = page.locator('select[name="memberships-0-role"]')
    expect(role.locator("option", has_text="出证人员")).to_have_count(1)
    expect(role.locator("option", has_text="印章保管人")).to_have_count(1)
    role.select_option(label="出证人员")
    page.locator("#id_memberships-0-centre + .select2").click()
    page.locator(".select2-search__field").fill(centre.name)
    page.locator(".select2-results__option", has_text=centre.name).click()
    shot(page, "membership-filled")
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".field-roles_held")).to_contain_text("出证人员")
    shot(page, "role-given")

    # The sealing: the newcomer asks, a seal keeper confirms.
    keeper = keeper_for(filing)
    issue(filing, issuer=newcomer, keeper=keeper)

    # The seal keeper sees the issued filing, and no hand-over or posting form.
    page = log_in(browser, live_server, keeper)
    page.goto(f"{live_server.url}/issuing/filings/{filing.pk}/")
    expect(page.locator("[data-desk='issuing-filing']")).to_be_visible()
    expect(page.locator("[data-testid='documents']")).to_be_visible()
    expect(page.locator("[data-testid='action-hand_over']")).to_have_count(0)
    expect(page.locator("[data-testid='action-post']")).to_have_count(0)
    shot(page, "keeper-no-hand-over")

    # The newcomer reaches the certificate desk and hands the documents over.
    page = log_in(browser, live_server, newcomer)
    expect(page.get_by_role("heading", level=1)).to_have_text("出证台")
    page.goto(f"{live_server.url}/issuing/filings/{filing.pk}/")
    form = page.locator("[data-testid='action-hand_over']")
    expect(form).to_be_visible()
    form.get_by_label("领取人姓名").fill(PERSON.name)
    form.get_by_label("领取人身份证号码").fill(PERSON.id_number)
    shot(page, "issuer-hand-over")
    form.get_by_role("button", name="全部发放并办结").click()
    expect(page.locator("[data-testid='filing-state']")).to_have_text("已办结")
    expect(page.locator("[data-testid='delivery']")).to_contain_text("新出证员")
    shot(page, "handed-over")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.CLOSED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_who_submits_a_version_does_not_publish_it(live_server, browser, shot):
    department = DepartmentFactory()
    submitter = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre, full_name="周事项")
    reviewer = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre, full_name="吴审核")
    item = make_item(publish_it=False, department=department, actor=submitter, name="四眼原则测试事项")
    change = f"{live_server.url}/admin/catalogue/serviceitem/{item.pk}/change/"
    tools = ".object-tools"

    page = log_in(browser, live_server, submitter)
    page.goto(change)
    page.locator(tools).get_by_role("button", name="提交审核").click()
    expect(page.locator(tools).get_by_role("button", name="提交审核")).to_have_count(0)
    expect(page.locator(tools).get_by_role("button", name="发布", exact=True)).to_have_count(0)
    shot(page, "submitted-no-publish")
    assert ServiceItem.objects.get(pk=item.pk).state == ItemState.IN_REVIEW

    page = log_in(browser, live_server, reviewer)
    page.goto(change)
    page.locator(tools).get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("发布")
    shot(page, "published-by-second-admin")
    published = ServiceItem.objects.get(pk=item.pk)
    assert (published.state, published.published_by) == (ItemState.PUBLISHED, reviewer)
