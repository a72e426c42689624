from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import (
    Department,
    OrganisationAuthorisation,
    ServiceCentre,
    StaffMembership,
    User,
    Window,
)
from apps.audit.requests import client_ip
from apps.audit.services import record_step


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["centre", "department", "window"]


class OrganisationAuthorisationInline(admin.TabularInline):
    """The organisations a citizen account may file for online, and until when."""

    model = OrganisationAuthorisation
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Hall"), {"fields": ("full_name", "phone", "id_number")}),
    )
    list_display = ["username", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    inlines = [StaffMembershipInline, OrganisationAuthorisationInline]

    def user_change_password(self, request, id, form_url=""):
        """An administrator setting someone's password is logged like a change by its owner."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                record_step(
                    User.objects.get(pk=id),
                    step="password_set_by_admin",
                    actor=request.user,
                    client_ip=client_ip(request),
                )
        return response


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region_code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "region_code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "nature", "centre"]
    list_filter = ["centre", "nature"]
    search_fields = ["name", "credit_code"]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "centre", "is_active"]
    list_filter = ["centre", "kind", "is_active"]
    search_fields = ["number", "centre__name"]
