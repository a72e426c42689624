"""Roles of the hall, as Django groups with permissions.

A role says what a person may do; a ``StaffMembership`` says where (centre, department, window).
The groups are created by the data migration ``0002_role_groups``; ``ROLE_PERMISSIONS`` here is the
single source that migration and later ones read, and a test checks the database agrees with it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Window clerk")  # 综合窗口人员
    APPROVER = "approver", _("Approver")  # 审批人员
    DECISION_MAKER = (
        "decision_maker",
        _("Decision-maker"),
    )  # 审批决定人: signs decisions off, approves extensions
    ISSUER = "issuer", _("Issuer")  # 出证人员
    SEAL_KEEPER = "seal_keeper", _("Seal keeper")  # 印章保管人: confirms every seal use (双人用印)
    SUPERVISOR = "supervisor", _("Supervisor")  # 督办人员
    CATALOGUE_ADMIN = "catalogue_admin", _("Catalogue admin")  # 事项管理员
    CITIZEN = "citizen", _("Citizen")  # 办事群众 / 企业


# Permission codenames are "app_label.codename". Desk permissions live on StaffMembership's Meta.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: ["accounts.use_intake_desk"],
    Role.APPROVER: ["accounts.use_backoffice_desk"],
    Role.DECISION_MAKER: [
        "accounts.use_backoffice_desk",
        "accounts.sign_off_decisions",
        # 撤销 / 注销 is a decision of the issuing department, not of the desk that printed it.
        "certificates.revoke_certificate",
    ],
    Role.ISSUER: ["accounts.use_issuing_desk"],
    Role.SEAL_KEEPER: ["accounts.use_issuing_desk", "certificates.keep_seals", "certificates.view_seal"],
    Role.SUPERVISOR: ["accounts.use_supervision_desk", "ops.view_jobrun", "worktime.view_calendaryear"],
    Role.CATALOGUE_ADMIN: [
        "accounts.use_catalogue_desk",
        "ops.view_jobrun",
        *(
            f"catalogue.{verb}_{model}"
            for model in (
                "serviceitem",
                "itemmaterial",
                "feeitem",
                "processstep",
                "faqentry",
                "material",
                "approvalcategory",
                "bundle",
                "bundleitem",
            )
            for verb in ("view", "add", "change", "delete")
            if not (model == "serviceitem" and verb == "delete")  # versions are records: retire, never delete
        ),
        "catalogue.view_itemlineage",
        "catalogue.publish_serviceitem",
        "catalogue.import_catalogue",
        "licences.view_licencetype",
        "licences.add_licencetype",
        "licences.change_licencetype",
        # How the desk numbers and lays out each type's certificates.
        "certificates.view_issuingrule",
        "certificates.add_issuingrule",
        "certificates.change_issuingrule",
        # The working-day calendar: entering years, local closures, warning policies.
        "worktime.view_calendaryear",
        "worktime.add_calendaryear",
        "worktime.view_calendarday",
        "worktime.add_calendarday",
        "worktime.delete_calendarday",
        "worktime.view_warningpolicy",
        "worktime.add_warningpolicy",
        "worktime.change_warningpolicy",
    ],
    Role.CITIZEN: ["accounts.use_citizen_portal"],
}

# The back office: the roles that work on a department's cases (and read its filings and documents).
BACK_OFFICE_ROLES = (Role.APPROVER, Role.DECISION_MAKER)

# Roles that work in the Django admin (their users get is_staff).
ADMIN_SITE_ROLES = frozenset({Role.CATALOGUE_ADMIN})

# Roles that are staff of a centre (have a StaffMembership); citizens are not.
STAFF_ROLES = frozenset(r for r in Role if r != Role.CITIZEN)


def group_name(role: str) -> str:
    """The auth group of a role is named by its code, so that renaming a label never orphans it."""
    return f"role:{role}"


def sync_role_groups(apps, using: str = "default") -> None:
    """Create each role's group and give it exactly the permissions ``ROLE_PERMISSIONS`` names.

    Called by data migrations (with historical ``apps``) and after every ``migrate`` (so that a
    permission added by a later app's migration reaches its role). Permissions that do not exist yet
    (their app is not migrated yet) are picked up by the next call.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        if not hasattr(app_config, "models_module"):
            # A migration's app-config stub: create_permissions skips apps without this attribute.
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=group_name(role))
        wanted = []
        for dotted in dotted_names:
            app_label, codename = dotted.split(".", 1)
            wanted.extend(
                Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
