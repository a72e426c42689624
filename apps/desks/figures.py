"""The supervision desk's rating figures (好差评统计): tables per dimension and period, the lowest-rated
items and windows, and the same as an .xlsx download. Read from the daily roll-ups
(``apps.feedback.figures``); a supervisor sees their centre's figures, a department's supervisor their
department's share."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Perm
from apps.accounts.scopes import scope_of
from apps.accounts.selectors import memberships_of
from apps.core.downloads import refused_download, workbook_download
from apps.desks.navigation import DESKS_BY_KEY
from apps.feedback import exports
from apps.feedback.figures import FiguresForm, Period, figures_for

SUPERVISOR = Perm.USE_SUPERVISION_DESK

PERIOD_FORMATS = {Period.DAY: "Y-m-d", Period.MONTH: "Y-m", Period.YEAR: "Y"}


def _figures(request, *, cross: bool):
    form = FiguresForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, figures_for(scope_of(request.user), form.query(), cross=cross)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def figures_page(request):
    # The page shows each key over the range and one trend by period (all ratings, or a key's when
    # its name is followed); every key by every period is the download's.
    form, figures = _figures(request, cross=False)
    without_key = request.GET.copy()
    without_key.pop("key", None)
    context = {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "form": form,
        "figures": figures,
        "period_format": PERIOD_FORMATS[figures.query.period] if figures else "",
        "query_string": request.GET.urlencode(),
        "query_without_key": without_key.urlencode(),
    }
    return render(request, "desks/supervision/figures.html", context, status=200 if figures else 400)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def figures_export(request):
    form, figures = _figures(request, cross=True)
    if figures is None:
        return refused_download(form)
    return workbook_download(exports.write_figures(figures), exports.filename(figures))


urlpatterns = [
    path("supervision/figures/", figures_page, name="figures"),
    path("supervision/figures/export/", figures_export, name="figures_export"),
]
