"""The code says "filing" throughout, as the UI and the API always did: Application becomes Filing.

Tables and columns are renamed in place (the content type follows, so the transition log does too).
The unique constraints name their fields, so they are dropped and made again on the renamed column.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_account_identity_and_authorisations"),
        ("cases", "0008_deadlines_and_escalations"),
        ("catalogue", "0002_catalogue_admin_permissions"),
        ("certificates", "0002_seal_use_append_only"),
        ("licences", "0002_electronic_certificate_library"),
        ("worktime", "0003_calendar_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(
            old_name="Application",
            new_name="Filing",
        ),
        migrations.RenameModel(
            old_name="ApplicationItem",
            new_name="FilingItem",
        ),
        migrations.RemoveConstraint(
            model_name="case",
            name="case_one_per_item",
        ),
        migrations.RemoveConstraint(
            model_name="checklistentry",
            name="checklist_material_once",
        ),
        migrations.RemoveConstraint(
            model_name="filingitem",
            name="filing_item_once",
        ),
        migrations.RemoveConstraint(
            model_name="notice",
            name="notice_one_per_kind",
        ),
        migrations.RenameField(
            model_name="case",
            old_name="application",
            new_name="filing",
        ),
        migrations.RenameField(
            model_name="checklistentry",
            old_name="application",
            new_name="filing",
        ),
        migrations.RenameField(
            model_name="filingitem",
            old_name="application",
            new_name="filing",
        ),
        migrations.RenameField(
            model_name="notice",
            old_name="application",
            new_name="filing",
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(fields=("filing", "item"), name="case_one_per_item"),
        ),
        migrations.AddConstraint(
            model_name="checklistentry",
            constraint=models.UniqueConstraint(fields=("filing", "material"), name="checklist_material_once"),
        ),
        migrations.AddConstraint(
            model_name="filingitem",
            constraint=models.UniqueConstraint(fields=("filing", "item"), name="filing_item_once"),
        ),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.UniqueConstraint(fields=("filing", "kind"), name="notice_one_per_kind"),
        ),
    ]
