"""Create the role groups with their permissions.

The table and the function below are frozen copies of ``apps.accounts.roles.ROLE_PERMISSIONS`` and
``sync_role_groups`` as they stood at the release that ended with accounts 0005 (commit 3677dca): a
migration must write the same rows whatever the live code says when it runs. Later migrations that
ran the same sync (accounts 0003, worktime 0003, catalogue 0002) call ``sync_frozen_role_groups``
from here. Never edit this table: the live table is ``roles.ROLE_PERMISSIONS``, which the
``post_migrate`` handler in apps/accounts/apps.py applies after every ``migrate``; a change that must
happen at a particular point of the migration history goes in a new migration, with its own data.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_CATALOGUE_MODELS = (
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

# Role code -> "app_label.codename", as of commit 3677dca.
ROLE_PERMISSIONS = {
    "clerk": ["accounts.use_intake_desk"],
    "approver": ["accounts.use_backoffice_desk"],
    "decision_maker": [
        "accounts.use_backoffice_desk",
        "accounts.sign_off_decisions",
        "certificates.revoke_certificate",
    ],
    "issuer": ["accounts.use_issuing_desk"],
    "seal_keeper": ["accounts.use_issuing_desk", "certificates.keep_seals", "certificates.view_seal"],
    "supervisor": ["accounts.use_supervision_desk", "ops.view_jobrun", "worktime.view_calendaryear"],
    "catalogue_admin": [
        "accounts.use_catalogue_desk",
        "ops.view_jobrun",
        *(
            f"catalogue.{verb}_{model}"
            for model in _CATALOGUE_MODELS
            for verb in ("view", "add", "change", "delete")
            if not (model == "serviceitem" and verb == "delete")
        ),
        "catalogue.view_itemlineage",
        "catalogue.publish_serviceitem",
        "catalogue.import_catalogue",
        "licences.view_licencetype",
        "licences.add_licencetype",
        "licences.change_licencetype",
        "certificates.view_certificatekind",
        "certificates.add_certificatekind",
        "certificates.change_certificatekind",
        "worktime.view_calendaryear",
        "worktime.add_calendaryear",
        "worktime.view_calendarday",
        "worktime.add_calendarday",
        "worktime.delete_calendarday",
        "worktime.view_warningpolicy",
        "worktime.add_warningpolicy",
        "worktime.change_warningpolicy",
    ],
    "citizen": ["accounts.use_citizen_portal"],
}


def sync_frozen_role_groups(apps, schema_editor):
    """Create each role's group ("role:<code>") and give it exactly the permissions of the table above
    that exist at this point of the migration history (the rest are picked up by a later sync)."""
    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        if not hasattr(app_config, "models_module"):
            # A migration's app-config stub: create_permissions skips apps without this attribute.
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=f"role:{role}")
        wanted = []
        for dotted in dotted_names:
            app_label, codename = dotted.split(".", 1)
            wanted.extend(
                Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("ops", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_frozen_role_groups, migrations.RunPython.noop)]
