"""Every string a user sees is Chinese in the Chinese UI (issue 15, item 20).

A generic "no Latin letters" check would fail on codes, names and numbers; instead the pages are read
as the people who use them, in zh-hans, for English words of ours (and of django-axes) that were seen
untranslated, and the msgids behind them must have a Chinese translation.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.roles import Role
from apps.ops.models import JobRun
from tests.factories import DepartmentFactory, UserFactory, make_staff
from tests.factories.catalogue import make_item
from tests.factories.certificates import make_seal

pytestmark = pytest.mark.django_db

# msgids a user sees on the pages below; each must be translated.
MUST_BE_TRANSLATED = [
    "item lineage",
    "created by",
    "published by",
    "code",
    "from state",
    "to state",
    "object type",
    "object id",
    "Status",
    "Verification status",
    "Logins and lockouts",
    "access attempts",
    "access failures",
    "access logs",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Path",
    "Heartbeat (scheduler alive)",
    "old runs pruned",
    "Import the catalogue",
    "Download the template (.xlsx)",
    "Upload and check (dry run)",
    "calendar version",
    "Model name",
    "Add link",
    "Change or view list link",
]

# English seen on Chinese pages before this fix: column headers (Django capitalises a field's name),
# the axes app and its models, job keys.
ENGLISH = [
    ">Axes<",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Lineage",
    "Created by",
    "Published by",
    "Content type",
    "Object id",
    "Attempt Time",
    "User Agent",
    "IP Address",
    ">Code<",
    "heartbeat",
    "pruned_runs",
    "calendar version",
    "Model name",
    "Add link",
    "Change or view list link",
]


def visible_text(html: str) -> str:
    """The page's text and headers, without scripts, styles, attributes and the language switcher's
    own language names."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<(\w+)[^>]*>", r"<\1>", html)
    return html.replace("English", "")


def english_on(html: str) -> list[str]:
    text = visible_text(html)
    return [word for word in ENGLISH if word in text]


def test_the_msgids_users_see_are_translated():
    with translation.override("zh-hans"):
        untranslated = [msgid for msgid in MUST_BE_TRANSLATED if translation.gettext(msgid) == msgid]
    assert untranslated == []


def test_a_msgid_with_two_meanings_has_two_msgids():
    with translation.override("zh-hans"):
        assert translation.gettext("to state") == "新状态"
        assert translation.gettext("Status") != translation.gettext("Verification status")


def test_the_admin_index_and_every_list_are_chinese_for_a_superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    now = timezone.now()
    JobRun.objects.create(
        name="heartbeat", started_at=now, finished_at=now, duration_ms=1, outcome="succeeded", changes={}
    )
    item = make_item()
    pages = {
        "index": reverse("admin:index"),
        "item": reverse("admin:catalogue_serviceitem_change", args=[item.pk]),
    }
    for model in admin.site._registry:
        opts = model._meta
        pages[opts.label] = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    found = {}
    for name, url in pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, name
        english = english_on(response.content.decode())
        if english:
            found[name] = english
    assert found == {}


def test_desk_and_ops_pages_are_chinese(client):
    department = DepartmentFactory()
    keeper = make_staff(Role.SEAL_KEEPER, centre=department.centre)
    make_seal(department, custodian=keeper)
    client.force_login(keeper)
    seals = client.get(reverse("desks:issuing_seals"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "核验情况" not in seals
    assert "<th>状态</th>" in visible_text(seals)

    now = timezone.now()
    JobRun.objects.create(
        name="heartbeat",
        started_at=now,
        finished_at=now,
        duration_ms=1,
        outcome="succeeded",
        changes={"pruned_runs": 0},
    )
    client.force_login(make_staff(Role.SUPERVISOR))
    jobs = client.get(reverse("ops:job_runs"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert english_on(jobs) == []

    client.force_login(make_staff(Role.CATALOGUE_ADMIN, centre=department.centre))
    page = client.get(reverse("admin:catalogue_import"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert english_on(page) == []
    assert "下载模板" in page


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CITIZEN])
def test_each_desk_is_chinese_for_its_role(client, role):
    client.force_login(make_staff(role))
    response = client.get("/", follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert english_on(response.content.decode()) == []
