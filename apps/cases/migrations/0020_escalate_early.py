"""Early escalation (督办) by a supervisor: a case at risk (yellow or red card) escalated before the
sweep would, with who opened it and their note; and the message its supervisors and holder get
(editable afterwards in the admin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TEMPLATES = {
    "escalated_early": (
        "督办：办件临近期限",
        "办件 {{ filing_number }}（{{ item }}，{{ department }}）承诺期限为 {{ due_on }}，"
        "{{ opened_by }} 已提前督办：{{ note }}",
        "Escalation: a case is at risk",
        "Case {{ filing_number }} ({{ item }}, {{ department }}) is due on {{ due_on }}; "
        "{{ opened_by }} escalated it early: {{ note }}",
    ),
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, (zh_subject, zh_body, en_subject, en_body) in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            event=event, language="zh-hans", defaults={"subject": zh_subject, "body": zh_body}
        )
        MessageTemplate.objects.get_or_create(
            event=event, language="en", defaults={"subject": en_subject, "body": en_body}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0019_case_green_channel'),
        ('notifications', '0008_closed_message_rating_link'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='escalation',
            name='note',
            field=models.TextField(blank=True, db_default='', verbose_name='note'),
        ),
        migrations.AddField(
            model_name='escalation',
            name='opened_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opened by'),
        ),
        migrations.AlterField(
            model_name='escalation',
            name='reason',
            field=models.CharField(choices=[('overdue', 'Overdue'), ('deficiency_lapsed', 'Deficiency not cleared in time'), ('rectification_overdue', 'Rectification overdue'), ('raised_early', 'Escalated early by a supervisor')], max_length=40, verbose_name='reason'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
