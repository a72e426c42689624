"""The supervision desk's hall figures (大厅运行统计): waiting and handling times per service area,
window and hour, the tickets of each day and the appointments' no-show rate, and the same as an .xlsx
download. Read by ``apps.visits.figures``; a supervisor sees the centres they supervise as a whole."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Perm
from apps.accounts.selectors import memberships_of
from apps.core.downloads import refused_download, workbook_download
from apps.desks.navigation import DESKS_BY_KEY
from apps.visits import figure_exports
from apps.visits.figures import HallFiguresForm, figures_for

SUPERVISOR = Perm.USE_SUPERVISION_DESK


def _figures(request):
    form = HallFiguresForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    return form, figures_for(request.user, form.query())


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def hall_figures_page(request):
    form, figures = _figures(request)
    context = {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "form": form,
        "figures": figures,
        "query_string": request.GET.urlencode(),
    }
    return render(request, "desks/hall_figures/page.html", context, status=200 if figures else 400)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def hall_figures_export(request):
    form, figures = _figures(request)
    if figures is None:
        return refused_download(form)
    return workbook_download(figure_exports.write_figures(figures), figure_exports.filename(figures))


urlpatterns = [
    path("supervision/hall-figures/", hall_figures_page, name="hall_figures"),
    path("supervision/hall-figures/export/", hall_figures_export, name="hall_figures_export"),
]
