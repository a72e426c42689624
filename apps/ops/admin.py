from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.ops.labels import job_label
from apps.ops.models import JobRun


class JobFilter(admin.SimpleListFilter):
    """Jobs by name, each shown by its label."""

    title = _("job")
    parameter_name = "name"

    def lookups(self, request, model_admin):
        names = JobRun.objects.order_by("name").values_list("name", flat=True).distinct()
        return [(name, job_label(name)) for name in names]

    def queryset(self, request, queryset):
        return queryset.filter(name=self.value()) if self.value() else queryset


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "started_at", "duration_ms", "outcome", "host", "pid"]
    list_filter = [JobFilter, "outcome"]
    date_hierarchy = "started_at"

    @admin.display(description=_("job"), ordering="name")
    def job(self, run):
        return run.label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
