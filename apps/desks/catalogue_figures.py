"""The supervision desk's catalogue figures (事项统计): time compressed, zero and one visit, online,
appointment and postal shares, 即办件, bundles' materials merged. Each figure is a Table drawn with its
chart (``supervision/_figure.html``) and downloadable alone or all together as .xlsx. Read live from the
catalogue (``apps.supervision.catalogue_figures``), cut by the supervisor's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Perm
from apps.accounts.scopes import scope_of
from apps.accounts.selectors import memberships_of
from apps.core.downloads import refused_download, workbook_download
from apps.desks.navigation import DESKS_BY_KEY
from apps.supervision import catalogue_figures

SUPERVISOR = Perm.USE_SUPERVISION_DESK


def _figures(request):
    form = catalogue_figures.CatalogueForm(request.GET, scope=scope_of(request.user))
    if not form.is_valid():
        return form, None
    return form, catalogue_figures.figures_for(scope_of(request.user), form.query())


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def catalogue_figures_page(request):
    form, figures = _figures(request)
    query = request.GET.copy()
    query.pop("table", None)
    export_url = reverse("desks:catalogue_figures_export")
    query_string = query.urlencode()
    figures_shown = []
    if figures is not None:
        for table in catalogue_figures.tables(figures):
            params = query.copy()
            params["table"] = table.slug
            figures_shown.append((table, f"{export_url}?{params.urlencode()}"))
    context = {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "form": form,
        "figures": figures,
        "tables": figures_shown,
        "export_all_url": f"{export_url}?{query_string}" if query_string else export_url,
    }
    return render(
        request, "desks/supervision/catalogue_figures.html", context, status=200 if figures else 400
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def catalogue_figures_export(request):
    """One table (``?table=<slug>``) or all of them as .xlsx, for the department chosen."""
    form, figures = _figures(request)
    if figures is None:
        return refused_download(form)
    exported = catalogue_figures.export(figures, request.GET.get("table", ""), today=timezone.localdate())
    if exported is None:
        raise Http404
    filename, content = exported
    return workbook_download(content, filename)


urlpatterns = [
    path("supervision/catalogue/", catalogue_figures_page, name="catalogue_figures"),
    path("supervision/catalogue/export/", catalogue_figures_export, name="catalogue_figures_export"),
]
