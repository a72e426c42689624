"""Log in to a running portal through its login form, over HTTP, and print the session for schemathesis.

Usage: schemathesis_login.py BASE_URL USERNAME PASSWORD
Prints one line: ``<sessionid> <csrftoken>``. Fails (exit 1) unless /api/v1/me/ then answers as USERNAME.
"""

import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request


def login(base_url: str, username: str, password: str) -> tuple[str, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = f"{base_url}/accounts/login/"
    form = opener.open(login_url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise SystemExit(f"no CSRF token in the login form at {login_url}")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(login_url, data=body, headers={"Referer": login_url})  # noqa: S310
    opener.open(request, timeout=30).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies or "csrftoken" not in cookies:
        raise SystemExit(f"logging in as {username} gave no session (cookies: {sorted(cookies)})")
    me = json.loads(opener.open(f"{base_url}/api/v1/me/", timeout=30).read())
    if me.get("username") != username:
        raise SystemExit(f"/api/v1/me/ answered {me!r} after logging in as {username}")
    return cookies["sessionid"], cookies["csrftoken"]


if __name__ == "__main__":
    base, user, secret = sys.argv[1:4]
    print(*login(base.rstrip("/"), user, secret))
