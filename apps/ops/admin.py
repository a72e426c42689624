from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.ops.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "started_at", "duration_ms", "outcome", "host", "pid"]
    list_filter = ["name", "outcome"]
    date_hierarchy = "started_at"

    @admin.display(description=_("job"), ordering="name")
    def job(self, run):
        return run.label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
