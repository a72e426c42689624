"""The text of an SMS code (editable afterwards in the admin's message templates)."""

from django.db import migrations

TEMPLATES = {
    "zh-hans": ("政务服务", "您的{{ purpose }}验证码是 {{ code }}，{{ minutes }} 分钟内有效，仅可使用一次。请勿告诉他人。"),
    "en": (
        "Service hall",
        "Your {{ purpose }} code is {{ code }}. It is good for {{ minutes }} minutes and one use. Tell no one.",
    ),
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for language, (subject, body) in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            event="account_code", language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("citizens", "0001_initial"), ("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
