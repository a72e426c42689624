"""The supervision desk's anomalies (电子监察): each rule's findings, counted and linked.

The rules run in the background (``apps.supervision.anomalies.scan``, a beat job); this page reads
what they stored, in the supervisor's scope, filtered by rule, department and day. Each finding links
to the page a supervisor can open about it (the case's supervision page, or the audit log of the
filing or of the person's action). Thin views over ``apps.supervision.anomalies.selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Perm
from apps.accounts.scopes import scope_of
from apps.accounts.selectors import memberships_of
from apps.core.downloads import refused_download, workbook_download
from apps.desks.navigation import DESKS_BY_KEY
from apps.supervision.anomalies import selectors

SUPERVISOR = Perm.USE_SUPERVISION_DESK
PER_PAGE = 50


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def anomalies_page(request):
    """The rules with their counts (a chart and its table, each rule's name a link to its findings),
    then the findings of the chosen rule (or of all), newest first; a bad filter: 400 with the form's
    errors."""
    scope = scope_of(request.user)
    form = selectors.AnomalyForm(request.GET, scope=scope)
    context = {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "form": form,
    }
    if not form.is_valid():
        return render(request, "desks/supervision/anomalies.html", context, status=400)
    query = form.query()
    rule_counts = selectors.counts(scope, query)
    page = Paginator(selectors.findings(scope, query), PER_PAGE).get_page(request.GET.get("page"))
    without_rule = request.GET.copy()
    for name in ("rule", "page"):
        without_rule.pop(name, None)
    page_query = request.GET.copy()
    page_query.pop("page", None)
    # Each rule's name in the counts' table opens its findings under the same filters.
    base = without_rule.urlencode()
    links = {c.rule: f"?{base}{'&' if base else ''}rule={c.rule}" for c in rule_counts}
    context.update(
        query=query,
        counts=rule_counts,
        counts_table=selectors.counts_table(rule_counts, links, current=query.rule),
        rows=[(a, selectors.describe(a), selectors.link(a)) for a in page],
        page=page,
        page_query=page_query.urlencode(),
        without_rule=without_rule.urlencode(),
        export_query=page_query.urlencode(),
    )
    return render(request, "desks/supervision/anomalies.html", context)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def anomalies_export(request):
    """The counts and the findings under the same filters, as .xlsx (at most ``EXPORT_CAP`` findings)."""
    scope = scope_of(request.user)
    form = selectors.AnomalyForm(request.GET, scope=scope)
    if not form.is_valid():
        return refused_download(form)
    query = form.query()
    return workbook_download(selectors.workbook_of(scope, query), selectors.export_name(query))


urlpatterns = [
    path("supervision/anomalies/", anomalies_page, name="anomalies"),
    path("supervision/anomalies/export/", anomalies_export, name="anomalies_export"),
]
