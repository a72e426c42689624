from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_due_dates(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Clock = apps.get_model("worktime", "Clock")
    Case.objects.update(due_on=Subquery(Clock.objects.filter(pk=OuterRef("clock_id")).values("due_on")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_backoffice_review"),
        ("worktime", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case", name="due_on", field=models.DateField(null=True, verbose_name="due on")
        ),
        migrations.RunPython(copy_due_dates, migrations.RunPython.noop),
        migrations.AlterField(model_name="case", name="due_on", field=models.DateField(verbose_name="due on")),
        migrations.RemoveIndex(model_name="case", name="case_department_state"),
        migrations.RemoveIndex(model_name="case", name="case_department_decided"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["department", "-decided_at", "-id"],
                condition=models.Q(state__in=["approved", "denied"]),
                name="case_decided",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["department", "state", "due_on", "id"], name="case_queue"),
        ),
    ]
