"""Calendar administration: the years (entered or missing) with their working-day counts, a year view,
entering a year from the State Council's notice, local closures, and warning policies. Every change goes
through ``apps.worktime.services`` (which recomputes the affected clocks)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ServiceCentre
from apps.accounts.roles import Role
from apps.accounts.selectors import centres_where
from apps.worktime import selectors, services
from apps.worktime.codes import DayKind
from apps.worktime.models import CalendarDay, CalendarYear, WarningPolicy
from apps.worktime.notice import parse_notice


class EnterYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)
    notice = forms.CharField(
        label=_("Notice"),
        max_length=200,
        required=False,
        help_text=_("The State Council notice, e.g. 国办发明电〔2026〕X号."),
    )
    schedule = forms.CharField(
        label=_("Schedule"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 60}),
        help_text=_(
            "One line per holiday: “元旦 放假 2027-01-01 至 2027-01-03”, and make-up working days: "
            "“春节 上班 2027-02-14, 2027-02-20”."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if "schedule" in cleaned:
            holidays, workdays = parse_notice(cleaned["schedule"])
            cleaned["holidays"], cleaned["workdays"] = holidays, workdays
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "notice", "entered_at", "entered_by"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:year>/view/", wrap(self.year_view), name="worktime_year"),
        ] + super().get_urls()

    def has_change_permission(self, request, obj=None):
        return False  # a year is corrected through its days (closures) or entered once

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Working-day calendar"),
            "years": selectors.known_years_with_counts(),
            "missing": selectors.missing_years(),
            "provisional_clocks": selectors.provisional_open_clocks(),
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/worktime/years.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = EnterYearForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
        if request.method == "POST" and form.is_valid():
            try:
                services.enter_year(
                    year=form.cleaned_data["year"],
                    holidays=form.cleaned_data["holidays"],
                    workdays=form.cleaned_data["workdays"],
                    notice=form.cleaned_data["notice"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("The calendar for %(year)s is entered; open clocks are being recomputed.")
                    % {"year": form.cleaned_data["year"]},
                )
                return redirect("admin:worktime_year", form.cleaned_data["year"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Enter a year from the State Council's notice"),
        }
        return TemplateResponse(request, "admin/worktime/enter_year.html", context)

    def year_view(self, request, year):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Calendar %(year)s") % {"year": year},
            "overview": selectors.year_overview(year),
            "previous": year - 1,
            "next": year + 1,
        }
        return TemplateResponse(request, "admin/worktime/year.html", context)


class ClosureForm(forms.ModelForm):
    last = forms.DateField(label=_("Last day"), required=False, help_text=_("Leave empty for one day."))

    class Meta:
        model = CalendarDay
        fields = ["centre", "date", "last", "name", "note"]
        labels = {"date": _("First day")}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("centre"):
            self.add_error("centre", _("A closure is a centre's: choose the centre."))
        return cleaned


class CentreScopedAdmin(admin.ModelAdmin):
    """A catalogue admin keeps the closures and warning policy of the centres where they hold the
    role (roles are per centre); national rows stay readable; superusers keep everything."""

    def _centres(self, request) -> set[int]:
        return set(centres_where(request.user, Role.CATALOGUE_ADMIN).values_list("centre_id", flat=True))

    def _keeps(self, request, obj) -> bool:
        return request.user.is_superuser or obj is None or obj.centre_id in self._centres(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre" and not request.user.is_superuser:
            kwargs["queryset"] = ServiceCentre.objects.filter(pk__in=self._centres(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CalendarDay)
class CalendarDayAdmin(CentreScopedAdmin):
    list_display = ["date", "name", "kind", "source", "centre"]
    list_filter = ["kind", "source", "centre"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
    form = ClosureForm

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Only closures are added here; statutory days come with their year.
        services.add_closure(
            centre=obj.centre,
            first=obj.date,
            last=form.cleaned_data.get("last") or obj.date,
            name=obj.name,
            note=obj.note,
            actor=request.user,
        )

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:worktime_calendarday_changelist")

    def has_delete_permission(self, request, obj=None):
        # Statutory days come and go with their year; a closure is its centre's admins'.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (obj.kind == DayKind.CLOSURE and self._keeps(request, obj)))

    def delete_model(self, request, obj):
        services.remove_days(days=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        statutory = queryset.exclude(kind=DayKind.CLOSURE)
        if statutory.exists():
            self.message_user(request, _("Statutory days are not deleted one by one."), messages.ERROR)
            queryset = queryset.filter(kind=DayKind.CLOSURE)
        if not request.user.is_superuser:
            queryset = queryset.filter(centre_id__in=self._centres(request))
        services.remove_days(days=list(queryset), actor=request.user)


@admin.register(WarningPolicy)
class WarningPolicyAdmin(CentreScopedAdmin):
    list_display = ["centre", "yellow_working_days", "red_working_days"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(centre_id__in=self._centres(request))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._keeps(request, obj)

    def save_model(self, request, obj, form, change):
        services.set_warning_policy(
            centre=obj.centre,
            yellow_working_days=obj.yellow_working_days,
            red_working_days=obj.red_working_days,
            actor=request.user,
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting would bypass the service (no version bump, no recompute): set the values instead.
        return False
