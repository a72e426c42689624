"""The messages of rectification (整改): the department hears of a new ticket, of one sent back and of
the decision on its appeal; the applicant hears the ticket was closed, with the link to rate again
(editable afterwards in the admin)."""

from django.db import migrations

TEMPLATES = {
    "rectification_opened": (
        "差评整改工单",
        "办件 {{ filing_number }}（{{ item }}）收到“{{ level }}”评价，已生成整改工单（第 {{ ticket }} 号），"
        "请于 {{ due_on }} 前完成回访和整改，并提交核实。",
        "A bad rating to rectify",
        "Filing {{ filing_number }} ({{ item }}) was rated “{{ level }}”: rectification ticket "
        "{{ ticket }} is due on {{ due_on }} (follow-up with the applicant, cause, measures).",
    ),
    "rectification_sent_back": (
        "整改工单被退回",
        "办件 {{ filing_number }} 的整改工单（第 {{ ticket }} 号）经核实被退回：{{ note }}。"
        "请于 {{ due_on }} 前重新整改并提交。",
        "A rectification was sent back",
        "The rectification of filing {{ filing_number }} (ticket {{ ticket }}) was sent back: {{ note }}. "
        "It is still due on {{ due_on }}.",
    ),
    "rectification_appeal_decided": (
        "差评申诉结果",
        "办件 {{ filing_number }} 的差评申诉（整改工单第 {{ ticket }} 号）{{ outcome }}：{{ decision }}。",
        "The appeal against a rating was decided",
        "The appeal against the rating of filing {{ filing_number }} (ticket {{ ticket }}) was "
        "{{ outcome }}: {{ decision }}.",
    ),
    "rectification_closed": (
        "您的评价已整改",
        "您对办件 {{ filing_number }}（{{ item }}）的评价已整改办结：{{ measures }}。"
        "欢迎您再次评价：{{ rating_url }}",
        "Your rating was acted on",
        "Your rating of filing {{ filing_number }} ({{ item }}) was acted on: {{ measures }}. "
        "You may rate it again: {{ rating_url }}",
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
        ("feedback", "0002_rating_rollups"),
        ("notifications", "0007_site_message_concerns"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
