"""The messages say what actually happened: "ready for issue" told applicants their filing was done
(已全部办结) before anything was issued, and "closed" promised e-certificates after a denial and did
not say who collected the documents or how they were posted.

Only templates still as first seeded are reworded: one an admin has edited is left as it is (its
``{{ how }}`` is still given)."""

from django.db import migrations

# event: {language: ((old subject, old body), (new subject, new body))}
REWORDED = {
    "ready_for_issue": {
        "zh-hans": (
            ("可领取证照", "您的申请（{{ filing_number }}）已全部办结，请到统一出证窗口领取结果。"),
            (
                "审批已完成",
                "您的申请（办件编号 {{ filing_number }}）审批已全部完成，结果文书正在制作，出证后将另行通知您领取。",
            ),
        ),
        "en": (
            (
                "Ready for issue",
                "Your filing {{ filing_number }} is decided: collect the results at the certificate window.",
            ),
            (
                "Your filing is decided",
                "Your filing {{ filing_number }} is decided; its documents are being prepared, and you will "
                "be told when they are issued.",
            ),
        ),
    },
    "closed": {
        "zh-hans": (
            (
                "您的申请已办结",
                "您的申请（办件编号 {{ filing_number }}）已办结（{{ how }}）。电子证照已归集，今后办事可免交纸质证照。",
            ),
            (
                "您的申请已办结",
                "您的申请（办件编号 {{ filing_number }}）已办结：{{ documents }}"
                "{% if method == 'post' %}已交{{ carrier }}寄出，运单号 {{ tracking_number }}"
                "{% else %}已由{% if recipient_role == 'agent' %}代理人{% endif %}{{ recipient }}在出证窗口领取{% endif %}。"
                "{% if certificates %}电子证照已归集，今后办事可免交纸质证照。{% endif %}",
            ),
        ),
        "en": (
            (
                "Your filing is complete",
                "Your filing {{ filing_number }} is complete ({{ how }}). Your e-certificates can stand "
                "in for paper in later filings.",
            ),
            (
                "Your filing is complete",
                "Your filing {{ filing_number }} is complete: {{ documents }} "
                "{% if method == 'post' %}posted by {{ carrier }}, tracking number {{ tracking_number }}"
                "{% else %}collected at the certificate window by "
                "{% if recipient_role == 'agent' %}your agent {% endif %}{{ recipient }}{% endif %}."
                "{% if certificates %} Your e-certificates can stand in for paper in later filings.{% endif %}",
            ),
        ),
    },
}


def reword(apps, schema_editor, forwards=True):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, languages in REWORDED.items():
        for language, (old, new) in languages.items():
            (was_subject, was_body), (subject, body) = (old, new) if forwards else (new, old)
            MessageTemplate.objects.filter(
                event=event, language=language, subject=was_subject, body=was_body
            ).update(subject=subject, body=body)


def restore(apps, schema_editor):
    reword(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_filing_subject_refs")]
    operations = [migrations.RunPython(reword, restore)]
