"""Messages of the certificate desk: documents issued, filing closed (办结), certificate revoked."""

from django.db import migrations

TEMPLATES = {
    "issued": (
        "办理结果已出证",
        "您的申请（办件编号 {{ filing_number }}）已出证：{{ documents }}。请携带身份证件到出证窗口领取，或按约定邮寄。",
        "Your documents have been issued",
        "Your filing {{ filing_number }}: {{ documents }} issued. Collect them at the certificate window with "
        "your identity card, or wait for the post.",
    ),
    "closed": (
        "您的申请已办结",
        "您的申请（办件编号 {{ filing_number }}）已办结（{{ how }}）。电子证照已归集，今后办事可免交纸质证照。",
        "Your filing is complete",
        "Your filing {{ filing_number }} is complete ({{ how }}). Your e-certificates can stand "
        "in for paper in later filings.",
    ),
    "certificate_revoked": (
        "证照已撤销",
        "您的证照（{{ certificate }}）已{{ reason }}。",
        "Certificate revoked",
        "Your certificate {{ certificate }} is no longer valid: {{ reason }}.",
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
    dependencies = [("notifications", "0002_message_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
