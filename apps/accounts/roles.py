"""Roles of the hall, as Django groups with permissions: the one place a role is named.

A role says what a person may do; a ``StaffMembership`` says where (centre, department, window).
``Role`` is the only spelling of a role in the code (a test fails on a role's code written as a
string anywhere else); the permissions are named by ``apps.accounts.permissions.Perm``.
``ROLE_PERMISSIONS`` is the live table: ``sync_role_groups`` applies it after every ``migrate``, and
a test checks the database agrees with it (the migrations carry frozen copies of their own).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import Perm


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
    ASSISTANT = "assistant", _("Filing assistant")  # 帮办代办员: files for people and follows each through
    CATALOGUE_ADMIN = "catalogue_admin", _("Catalogue admin")  # 事项管理员
    CITIZEN = "citizen", _("Citizen")  # 办事群众 / 企业


def _catalogue_model_permissions() -> list[str]:
    """The catalogue admin's model permissions: every catalogue record, except deleting a version
    (versions are records: retired, never deleted)."""
    names = (
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
    return [
        f"catalogue.{verb}_{model}"
        for model in names
        for verb in ("view", "add", "change", "delete")
        if not (model == "serviceitem" and verb == "delete")
    ]


# What each role may do (its group's permissions, "app_label.codename"); where is the membership's.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: [Perm.USE_INTAKE_DESK],
    Role.APPROVER: [Perm.USE_BACKOFFICE_DESK],
    Role.DECISION_MAKER: [
        Perm.USE_BACKOFFICE_DESK,
        Perm.SIGN_OFF_DECISIONS,
        # 撤销 / 注销 is a decision of the issuing department, not of the desk that printed it.
        Perm.REVOKE_CERTIFICATE,
    ],
    Role.ISSUER: [Perm.USE_ISSUING_DESK],
    Role.SEAL_KEEPER: [Perm.USE_ISSUING_DESK, Perm.KEEP_SEALS, Perm.VIEW_SEAL],
    Role.SUPERVISOR: [Perm.USE_SUPERVISION_DESK, Perm.VIEW_JOBRUN, Perm.VIEW_CALENDARYEAR],
    Role.CATALOGUE_ADMIN: [
        Perm.USE_CATALOGUE_DESK,
        Perm.VIEW_JOBRUN,
        *_catalogue_model_permissions(),
        Perm.VIEW_ITEMLINEAGE,
        Perm.PUBLISH_SERVICEITEM,
        Perm.IMPORT_CATALOGUE,
        Perm.VIEW_LICENCETYPE,
        Perm.ADD_LICENCETYPE,
        Perm.CHANGE_LICENCETYPE,
        # How the desk numbers and lays out each type's certificates.
        Perm.VIEW_ISSUINGRULE,
        Perm.ADD_ISSUINGRULE,
        Perm.CHANGE_ISSUINGRULE,
        # The working-day calendar: entering years, local closures, warning policies.
        Perm.VIEW_CALENDARYEAR,
        Perm.ADD_CALENDARYEAR,
        Perm.VIEW_CALENDARDAY,
        Perm.ADD_CALENDARDAY,
        Perm.DELETE_CALENDARDAY,
        Perm.VIEW_WARNINGPOLICY,
        Perm.ADD_WARNINGPOLICY,
        Perm.CHANGE_WARNINGPOLICY,
    ],
    Role.ASSISTANT: [Perm.USE_ASSISTANCE_DESK],
    Role.CITIZEN: [Perm.USE_CITIZEN_PORTAL],
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
