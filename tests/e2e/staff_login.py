"""Logging a staff member in through the login page, as a person would (the browser tests' helper)."""

from tests.factories.accounts import PASSWORD


def log_in(page, live_server, user):
    """Sign ``user`` in on the (Chinese) login page; where it lands is for the caller to check."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
