"""Escalations get a protected state (open, acknowledged, resolved), read from the timestamps that
said it until now; their reasons become choices (the values stay)."""

import django_fsm
from django.db import migrations, models


def state_from_timestamps(apps, schema_editor):
    # Frozen here: the states' values as this migration knows them, not the live codes.
    Escalation = apps.get_model("cases", "Escalation")
    Escalation.objects.filter(resolved_at__isnull=False).update(state="resolved")
    Escalation.objects.filter(resolved_at__isnull=True, acknowledged_at__isnull=False).update(
        state="acknowledged"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_rename_application_to_filing"),
    ]

    operations = [
        migrations.AddField(
            model_name="escalation",
            name="state",
            field=django_fsm.FSMField(
                choices=[
                    ("open", "Awaiting a supervisor"),
                    ("acknowledged", "Acknowledged"),
                    ("resolved", "Resolved"),
                ],
                default="open",
                max_length=12,
                protected=True,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(state_from_timestamps, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="escalation",
            name="reason",
            field=models.CharField(
                choices=[("overdue", "Overdue"), ("deficiency_lapsed", "Deficiency not cleared in time")],
                max_length=40,
                verbose_name="reason",
            ),
        ),
    ]
