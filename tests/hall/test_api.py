import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db


def test_me_returns_roles_and_memberships_with_a_masked_phone(client):
    department = DepartmentFactory(name="测试市场监管局")
    user = make_staff(Role.APPROVER, department=department, phone="13812343210")
    client.force_login(user)
    data = client.get(reverse("api-me")).json()
    assert data["roles"] == ["approver"]
    assert data["memberships"][0]["department"] == "测试市场监管局"
    assert data["phone"] == "138****3210"


def test_the_api_needs_a_login(client):
    assert client.get(reverse("api-me")).status_code == 403


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_healthz_reports_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_openapi_schema_validates_without_warnings():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
