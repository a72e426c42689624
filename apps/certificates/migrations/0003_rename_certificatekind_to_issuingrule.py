"""CertificateKind held how a certificate type is issued and was called "issuing rule" on screen: it
is IssuingRule now. Its permissions are renamed in place, so the role groups that hold them keep them.
The filing foreign keys follow cases 0009.
"""

from django.conf import settings
from django.db import migrations, models


def rename_permissions(apps, schema_editor, old="certificatekind", new="issuingrule"):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="certificates", codename__endswith=f"_{old}"
    ):
        verb = permission.codename.removesuffix(f"_{old}")
        permission.codename = f"{verb}_{new}"
        permission.name = f"Can {verb} certificate issuing rule"
        permission.save(update_fields=["codename", "name"])


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="issuingrule", new="certificatekind")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_rename_application_to_filing"),
        ("certificates", "0002_seal_use_append_only"),
        ("licences", "0002_electronic_certificate_library"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(
            old_name="CertificateKind",
            new_name="IssuingRule",
        ),
        migrations.AlterModelOptions(
            name="issueddocument",
            options={
                "ordering": ["filing", "pk"],
                "permissions": [("revoke_certificate", "Revoke or cancel certificates of one's department")],
                "verbose_name": "issued document",
                "verbose_name_plural": "issued documents",
            },
        ),
        migrations.RemoveConstraint(
            model_name="issuerequest",
            name="issue_request_one_pending",
        ),
        migrations.RenameField(
            model_name="delivery",
            old_name="application",
            new_name="filing",
        ),
        migrations.RenameField(
            model_name="issueddocument",
            old_name="application",
            new_name="filing",
        ),
        migrations.RenameField(
            model_name="issuerequest",
            old_name="application",
            new_name="filing",
        ),
        migrations.AddConstraint(
            model_name="issuerequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "pending")), fields=("filing",), name="issue_request_one_pending"
            ),
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
