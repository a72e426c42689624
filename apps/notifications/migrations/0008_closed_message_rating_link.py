"""The ``closed`` message (办结, sent in-site and by SMS) ends with the filing's rating link (好差评):
``closed_context`` gives ``rating_url``, the rating page marked as reached by SMS (``?via=sms``).

Only templates still as ``0005`` worded them are changed: one an admin has edited is left as it is
(it may add ``{{ rating_url }}`` itself)."""

from django.db import migrations

CLOSED_ZH = (
    "您的申请（办件编号 {{ filing_number }}）已办结：{{ documents }}"
    "{% if method == 'post' %}已交{{ carrier }}寄出，运单号 {{ tracking_number }}"
    "{% else %}已由{% if recipient_role == 'agent' %}代理人{% endif %}{{ recipient }}"
    "在出证窗口领取{% endif %}。"
    "{% if certificates %}电子证照已归集，今后办事可免交纸质证照。{% endif %}"
)
CLOSED_EN = (
    "Your filing {{ filing_number }} is complete: {{ documents }} "
    "{% if method == 'post' %}posted by {{ carrier }}, tracking number {{ tracking_number }}"
    "{% else %}collected at the certificate window by "
    "{% if recipient_role == 'agent' %}your agent {% endif %}{{ recipient }}{% endif %}."
    "{% if certificates %} Your e-certificates can stand in for paper in later filings.{% endif %}"
)
# language: (subject, body as 0005 left it, the sentence appended)
REWORDED = {
    "zh-hans": (
        "您的申请已办结",
        CLOSED_ZH,
        "{% if rating_url %}欢迎对本次服务进行评价：{{ rating_url }}{% endif %}",
    ),
    "en": (
        "Your filing is complete",
        CLOSED_EN,
        "{% if rating_url %} Please rate our service: {{ rating_url }}{% endif %}",
    ),
}


def reword(apps, schema_editor, forwards=True):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for language, (subject, body, rating) in REWORDED.items():
        was, now = (body, body + rating) if forwards else (body + rating, body)
        MessageTemplate.objects.filter(event="closed", language=language, subject=subject, body=was).update(
            body=now
        )


def restore(apps, schema_editor):
    reword(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_site_message_concerns")]
    operations = [migrations.RunPython(reword, restore)]
