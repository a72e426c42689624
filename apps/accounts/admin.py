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
from apps.accounts.roles import Role
from apps.accounts.services import revoke_role, save_membership
from apps.audit.requests import client_ip
from apps.audit.services import record_step


class StaffMembershipInline(admin.TabularInline):
    """岗位: the one place a staff role is given. Saved through ``accounts.services`` (``UserAdmin``'s
    ``save_formset``), so that the role's group follows the membership and goes with the last one."""

    model = StaffMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["centre", "department", "window"]


class OrganisationAuthorisationInline(admin.TabularInline):
    """The organisations a citizen account may file for online, and until when."""

    model = OrganisationAuthorisation
    fk_name = "user"
    extra = 0
    fields = [
        "organisation_name",
        "credit_code",
        "kind",
        "valid_from",
        "valid_until",
        "letter",
        "created_at",
        "revoked_at",
        "verified_at",
        "verified_by",
        "verified_centre",
    ]
    # The letter is checked by content when the citizen adds it (apps.citizens.services): an upload
    # here would skip the check. Added and revoked are the citizen's own steps, logged there; the
    # verification is a window clerk's (apps.citizens.services.verify_authorisation), logged there.
    readonly_fields = ["letter", "created_at", "revoked_at", "verified_at", "verified_by", "verified_centre"]


def _without_groups(fieldsets):
    """Django's user fieldsets with the raw group field replaced by the roles held, read-only: a role
    is given by a membership below, never by adding its group by its code name."""
    return tuple(
        (name, {**options, "fields": tuple("roles_held" if f == "groups" else f for f in options["fields"])})
        for name, options in fieldsets
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *_without_groups(DjangoUserAdmin.fieldsets),
        (_("Hall"), {"fields": ("full_name", "phone", "id_number")}),
        (
            _("Real name"),
            {
                "fields": (
                    "real_name_level",
                    "real_name_verified_at",
                    "real_name_verified_by",
                    "real_name_verified_centre",
                )
            },
        ),
    )
    # A verification is a clerk's act at a window against the identity card (the intake desk, logged):
    # never a tick in the admin.
    readonly_fields = [
        "roles_held",
        "real_name_level",
        "real_name_verified_at",
        "real_name_verified_by",
        "real_name_verified_centre",
    ]
    list_display = ["username", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    inlines = [StaffMembershipInline, OrganisationAuthorisationInline]

    @admin.display(description=_("roles"))
    def roles_held(self, user) -> str:
        """The roles the user's groups give, by their names (the groups follow the memberships)."""
        if user.pk is None:
            return "—"
        codes = {name.removeprefix("role:") for name in user.groups.values_list("name", flat=True)}
        held = [str(label) for code, label in Role.choices if code in codes]
        return "、".join(held) or "—"

    def save_formset(self, request, form, formset, change):
        """Memberships go through the services (checked, logged, the groups following); the other
        inlines save as Django saves them."""
        if formset.model is not StaffMembership:
            return super().save_formset(request, form, formset, change)
        ip = client_ip(request)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            revoke_role(membership=membership, actor=request.user, client_ip=ip)
        for membership in memberships:
            save_membership(membership=membership, actor=request.user, client_ip=ip)
        formset.save_m2m()

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
    list_display = ["name", "level", "region_code", "parent", "four_eyes_publishing"]
    list_filter = ["level", "four_eyes_publishing"]
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
