"""Messages name what they concern as "app.model:pk"; the filing model is cases.Filing now (cases 0009),
so the history of a filing finds the messages sent before the rename too."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr


def rename_refs(apps, schema_editor, old="cases.application:", new="cases.filing:"):
    Outbox = apps.get_model("notifications", "Outbox")
    Outbox.objects.using(schema_editor.connection.alias).filter(subject_ref__startswith=old).update(
        subject_ref=Concat(Value(new), Substr("subject_ref", len(old) + 1))
    )


def restore_refs(apps, schema_editor):
    rename_refs(apps, schema_editor, old="cases.filing:", new="cases.application:")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_certificate_desk_templates"),
        ("cases", "0009_rename_application_to_filing"),
    ]

    operations = [migrations.RunPython(rename_refs, restore_refs)]
