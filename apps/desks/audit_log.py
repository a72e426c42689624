"""The audit viewer (日志查询): the transition and disclosure logs, searched by person, filing, action
and date, a page at a time (newest first), and the same search as an .xlsx download. A centre's
supervisors see their centre's rows, a department's supervisors their department's
(``apps.audit.search``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Perm
from apps.accounts.selectors import memberships_of
from apps.audit import export
from apps.audit.search import EXPORT_LIMIT, Log, LogSearchForm, search, visible_to
from apps.core.downloads import refused_download, workbook_download
from apps.desks.navigation import DESKS_BY_KEY

SUPERVISOR = Perm.USE_SUPERVISION_DESK


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def audit_log_page(request):
    form = LogSearchForm(request.GET)
    page = query = None
    if form.is_valid():
        query = form.query()
        page = search(visible_to(request.user), query)
    without_before = request.GET.copy()
    without_before.pop("before", None)
    context = {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "form": form,
        "query": query,
        "page": page,
        # The page's columns are the export's (``apps.audit.export``), so the two never disagree.
        "headings": export.headings(query.log) if query else [],
        "rows": [(entry, export.values(query.log, entry)) for entry in page.rows] if page else [],
        "disclosures": query is not None and query.log == Log.DISCLOSURES,
        "query_string": without_before.urlencode(),
        "export_limit": EXPORT_LIMIT,
    }
    return render(request, "desks/supervision/audit_log.html", context, status=200 if page else 400)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def audit_log_export(request):
    form = LogSearchForm(request.GET)
    if not form.is_valid():
        return refused_download(form)
    query = form.query()
    return workbook_download(export.workbook(visible_to(request.user), query), export.filename(query))


urlpatterns = [
    path("supervision/audit-log/", audit_log_page, name="audit_log"),
    path("supervision/audit-log/export/", audit_log_export, name="audit_log_export"),
]
