"""The supervision desk's work figures (办件统计): the dashboard of the hall's work from the daily roll-ups,
each chart with its table and an .xlsx export (``apps.supervision.dashboard``); the JSON of the same
figures is the API's (``apps.supervision.api.work_figures``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Perm
from apps.accounts.scopes import scope_of
from apps.accounts.selectors import memberships_of
from apps.core.downloads import refused_download, workbook_download
from apps.desks.navigation import DESKS_BY_KEY
from apps.supervision import work_figures
from apps.supervision.dashboard import dashboard_for
from apps.supervision.tables import workbook
from apps.supervision.work_figures import WorkForm

SUPERVISOR = Perm.USE_SUPERVISION_DESK
WHOLE_EXPORT = "work-figures"


def _dashboard(request):
    scope = scope_of(request.user)
    form = WorkForm(request.GET, scope=scope)
    if not form.is_valid():
        return form, None
    return form, dashboard_for(scope, form.query())


def _filters(request) -> str:
    """The page's query without the table asked for: each export link adds its own."""
    query = request.GET.copy()
    query.pop("table", None)
    return query.urlencode()


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def work_figures_page(request):
    form, dashboard = _dashboard(request)
    export = reverse("desks:work_figures_export")
    filters = _filters(request)
    joined = f"{export}?{filters}{'&' if filters else ''}"
    context = {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "form": form,
        "dashboard": dashboard,
        "figures": [(table, f"{joined}table={table.slug}") for table in dashboard.tables]
        if dashboard
        else [],
        "export_all_url": f"{export}?{filters}",
    }
    return render(request, "desks/supervision/work_figures.html", context, status=200 if dashboard else 400)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def work_figures_export(request):
    """One table (``?table=<slug>``) or all of them (the headline figures first) as .xlsx."""
    form, dashboard = _dashboard(request)
    if dashboard is None:
        return refused_download(form)
    slug = request.GET.get("table")
    if slug:
        table = dashboard.table(slug)
        if table is None:
            raise Http404("No such table.")
        tables, name = [table], slug
    else:
        tables, name = dashboard.all_tables(), WHOLE_EXPORT
    query = dashboard.query
    filename = f"{name}-{query.date_from:%Y%m%d}-{query.date_to:%Y%m%d}.xlsx"
    return workbook_download(workbook(tables, about=work_figures.about(query)), filename)


urlpatterns = [
    path("supervision/work/", work_figures_page, name="work_figures"),
    path("supervision/work/export/", work_figures_export, name="work_figures_export"),
]
