"""The supervision desk's hall set-up (大厅设置): a centre's service areas (ticket prefix, appointments
per slot, the windows serving each), its opening periods, and the next bookable days' slots with the
places booked and left. The services are ``apps.visits.areas`` (a supervisor of the whole centre);
another centre's area or period is a 404."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import Perm
from apps.accounts.selectors import memberships_of
from apps.audit.requests import client_ip
from apps.catalogue.models import ApprovalCategory
from apps.core.errors import error_text
from apps.desks.navigation import DESKS_BY_KEY
from apps.visits import areas, slots
from apps.visits.models import OpeningPeriod

SUPERVISOR = Perm.USE_SUPERVISION_DESK


class AreaForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=ApprovalCategory.objects.order_by("order", "name"), label=gettext_lazy("Approval category")
    )
    prefix = forms.RegexField(
        regex=r"^[A-Za-z]$",
        max_length=1,
        label=gettext_lazy("Ticket prefix"),
        help_text=gettext_lazy("One letter: its tickets are numbered A001, A002 …"),
        error_messages={"invalid": gettext_lazy("A ticket prefix is one capital letter A–Z.")},
    )
    slot_capacity = forms.IntegerField(
        min_value=1, max_value=500, label=gettext_lazy("Appointments per slot")
    )
    order = forms.IntegerField(min_value=0, max_value=1000, initial=0, label=gettext_lazy("Order"))
    windows = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Windows")
    )

    def __init__(self, *args, centre_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["windows"].queryset = areas.windows_for_areas([centre_id])
        self.fields["windows"].label_from_instance = lambda window: window.number


class AreaChangeForm(AreaForm):
    is_active = forms.BooleanField(
        required=False,
        label=gettext_lazy("In use"),
        help_text=gettext_lazy("A closed area takes no new appointments or tickets; booked ones stay."),
    )


class PeriodForm(forms.Form):
    starts_at = forms.TimeField(
        label=gettext_lazy("Opens at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(label=gettext_lazy("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}))


def _desk_context(request) -> dict:
    return {"desk": DESKS_BY_KEY["supervision"], "memberships": memberships_of(request.user)}


def _centre(request):
    """The centre the page is about: ``?centre=`` among those the user supervises, else the first."""
    centres = list(areas.centres_for_supervisor(request.user))
    wanted = request.GET.get("centre") or request.POST.get("centre")
    chosen = next((c for c in centres if str(c.pk) == wanted), centres[0] if centres else None)
    return chosen, centres


def _page(request, centre_id: int | None) -> str:
    url = reverse("desks:hall_setup")
    return f"{url}?centre={centre_id}" if centre_id else url


def _days_ahead(centre_id: int, today: dt.date) -> list[dt.date]:
    last = slots.booking_horizon(centre_id, today)
    return [
        today + dt.timedelta(days=i)
        for i in range((last - today).days + 1)
        if slots.is_bookable_day(centre_id, today + dt.timedelta(days=i), today)
    ]


def _render(request, *, area_form=None, period_form=None, status=200):
    centre, centres = _centre(request)
    context = {**_desk_context(request), "centre": centre, "centres": centres}
    if centre is None:
        return render(request, "desks/hall_setup/page.html", context)
    centre_areas = list(areas.areas_for_supervisor(request.user).filter(centre=centre))
    active = [area for area in centre_areas if area.is_active]
    days = _days_ahead(centre.pk, timezone.localdate())
    figures = {
        (row["area_id"], row["date"]): row
        for row in (slots.slot_overview([centre.pk], days[0], days[-1]) if days else [])
    }
    return render(
        request,
        "desks/hall_setup/page.html",
        {
            **context,
            "areas": centre_areas,
            "active_areas": active,
            "periods": list(OpeningPeriod.objects.filter(centre=centre).order_by("starts_at")),
            "overview": [(day, [figures.get((area.pk, day)) for area in active]) for day in days],
            "area_form": area_form or AreaForm(centre_id=centre.pk, initial={"slot_capacity": 4}),
            "period_form": period_form or PeriodForm(),
            "slot_minutes": settings.HALL_SLOT_MINUTES,
        },
        status=status,
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def hall_setup(request):
    return _render(request)


def _refused(request, error) -> None:
    messages.error(request, error_text(error))


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def area_create(request):
    centre, _centres = _centre(request)
    if centre is None:
        raise PermissionDenied
    form = AreaForm(request.POST, centre_id=centre.pk)
    if not form.is_valid():
        return _render(request, area_form=form, status=400)
    try:
        area = areas.create_area(
            centre_id=centre.pk,
            category_id=form.cleaned_data["category"].pk,
            prefix=form.cleaned_data["prefix"],
            slot_capacity=form.cleaned_data["slot_capacity"],
            order=form.cleaned_data["order"] or 0,
            window_ids=[w.pk for w in form.cleaned_data["windows"]],
            actor=request.user,
            client_ip=client_ip(request),
        )
    except (PermissionDenied, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("Service area %(area)s added; its slots are open for booking.") % {"area": area}
        )
    return redirect(_page(request, centre.pk))


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    area = get_object_or_404(areas.areas_for_supervisor(request.user), pk=pk)
    if request.method == "POST":
        form = AreaChangeForm(request.POST, centre_id=area.centre_id)
        if form.is_valid():
            values = form.cleaned_data
            try:
                areas.update_area(
                    area_id=area.pk,
                    category=values["category"].pk,
                    prefix=values["prefix"],
                    slot_capacity=values["slot_capacity"],
                    order=values["order"] or 0,
                    is_active=values["is_active"],
                    window_ids=[w.pk for w in values["windows"]],
                    actor=request.user,
                    client_ip=client_ip(request),
                )
            except (PermissionDenied, ValidationError) as error:
                _refused(request, error)
            else:
                messages.success(
                    request, _("Service area %(prefix)s saved.") % {"prefix": values["prefix"].upper()}
                )
                return redirect(_page(request, area.centre_id))
    else:
        form = AreaChangeForm(
            centre_id=area.centre_id,
            initial={
                "category": area.category_id,
                "prefix": area.prefix,
                "slot_capacity": area.slot_capacity,
                "order": area.order,
                "is_active": area.is_active,
                "windows": [w.pk for w in area.windows.all()],
            },
        )
    return render(
        request,
        "desks/hall_setup/area.html",
        {**_desk_context(request), "area": area, "form": form, "back": _page(request, area.centre_id)},
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def period_add(request):
    centre, _centres = _centre(request)
    if centre is None:
        raise PermissionDenied
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _render(request, period_form=form, status=400)
    try:
        areas.add_opening_period(
            centre_id=centre.pk, **form.cleaned_data, actor=request.user, client_ip=client_ip(request)
        )
    except (PermissionDenied, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Opening period added; the slots of the days ahead follow it."))
    return redirect(_page(request, centre.pk))


def _period_of(request, pk) -> OpeningPeriod:
    return get_object_or_404(areas.periods_for_supervisor(request.user), pk=pk)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def period_change(request, pk):
    period = _period_of(request, pk)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the hours as HH:MM."))
        return redirect(_page(request, period.centre_id))
    try:
        areas.change_opening_period(
            period_id=period.pk, **form.cleaned_data, actor=request.user, client_ip=client_ip(request)
        )
    except (PermissionDenied, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Opening period saved; the slots of the days ahead follow it."))
    return redirect(_page(request, period.centre_id))


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def period_remove(request, pk):
    period = _period_of(request, pk)
    try:
        areas.remove_opening_period(period_id=period.pk, actor=request.user, client_ip=client_ip(request))
    except PermissionDenied as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("Opening period %(period)s removed; booked slots in it are kept.") % {"period": period}
        )
    return redirect(_page(request, period.centre_id))


urlpatterns = [
    path("supervision/hall/", hall_setup, name="hall_setup"),
    path("supervision/hall/areas/new/", area_create, name="hall_area_create"),
    path("supervision/hall/areas/<int:pk>/", area_edit, name="hall_area"),
    path("supervision/hall/periods/new/", period_add, name="hall_period_add"),
    path("supervision/hall/periods/<int:pk>/", period_change, name="hall_period_change"),
    path("supervision/hall/periods/<int:pk>/remove/", period_remove, name="hall_period_remove"),
]
