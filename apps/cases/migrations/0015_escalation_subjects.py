"""Escalations of something other than a case (a rectification ticket past its due date, from the
feedback sweep): a generic subject beside an optional case, exactly one of them; one open escalation
per subject; and the supervisors' messages for them (editable afterwards in the admin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TEMPLATES = {
    "rectification_escalated": (
        "督办：整改工单已逾期",
        "整改工单 {{ ticket }}（办件 {{ filing_number }}，{{ item }}，{{ department }}）"
        "已超过整改期限 {{ due_on }}，请督办。",
        "Escalation: a rectification is overdue",
        "Rectification ticket {{ ticket }} (filing {{ filing_number }}, {{ item }}, {{ department }}) "
        "was due on {{ due_on }}.",
    ),
    "rectification_escalation_raised": (
        "督办升级：整改工单部门未响应",
        "整改工单 {{ ticket }}（办件 {{ filing_number }}，{{ item }}，{{ department }}）的督办"
        "在规定时间内未获部门响应，现提请中心督办。",
        "Escalation raised to the centre: a rectification",
        "The escalation of rectification ticket {{ ticket }} (filing {{ filing_number }}, {{ item }}, "
        "{{ department }}) was not acknowledged in time.",
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
        ('accounts', '0008_authorisation_verified_at_a_window'),
        ('cases', '0014_return_and_refusal_messages'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0007_site_message_concerns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='escalation',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='escalation',
            name='subject_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AlterField(
            model_name='escalation',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='escalations', to='cases.case'),
        ),
        migrations.AlterField(
            model_name='escalation',
            name='reason',
            field=models.CharField(choices=[('overdue', 'Overdue'), ('deficiency_lapsed', 'Deficiency not cleared in time'), ('rectification_overdue', 'Rectification overdue')], max_length=40, verbose_name='reason'),
        ),
        migrations.AddConstraint(
            model_name='escalation',
            constraint=models.UniqueConstraint(condition=models.Q(('resolved_at__isnull', True)), fields=('subject_type', 'subject_id'), name='escalation_one_open_per_subject'),
        ),
        migrations.AddConstraint(
            model_name='escalation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('case__isnull', False), ('subject_id__isnull', True), ('subject_type__isnull', True)), models.Q(('case__isnull', True), ('subject_id__isnull', False), ('subject_type__isnull', False)), _connector='OR'), name='escalation_case_or_subject'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
