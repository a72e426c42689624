"""The applicant hears when the window returns a filing (一次性告知) or refuses it (不予受理): an
online applicant would otherwise learn it only by looking (editable afterwards in the admin)."""

from django.db import migrations

TEMPLATES = {
    "returned_for_completion": (
        "申请需补齐材料",
        "您的申请（办件编号 {{ filing_number }}）需补齐以下材料后重新提交：{{ materials }}。"
        "网上申请可在“我的办件”中一次补齐后重新提交。",
        "Your filing needs more materials",
        "Your filing {{ filing_number }} needs these before it can be accepted: {{ materials }}. "
        "If you filed online, complete it under My filings and submit it again.",
    ),
    "refused": (
        "申请不予受理",
        "您的申请（办件编号 {{ filing_number }}）不予受理：{{ reasons }}。详见《不予受理通知书》。",
        "Your filing was not accepted",
        "Your filing {{ filing_number }} was not accepted: {{ reasons }}. The notice of refusal says why "
        "and what you can do.",
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
        ("cases", "0013_online_declaration_and_resubmission"),
        ("notifications", "0007_site_message_concerns"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
