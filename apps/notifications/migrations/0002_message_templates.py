"""The first wording of each event's message, Chinese and English; edited in the admin afterwards
(a later run never overwrites an edited template)."""

from django.db import migrations

TEMPLATES = {
    "accepted": (
        "您的申请已受理",
        "您的申请（办件编号 {{ filing_number }}）已受理，承诺于 {{ due_on }} 前办结。",
        "Your filing has been accepted",
        "Your filing {{ filing_number }} has been accepted; it will be decided by {{ due_on }}.",
    ),
    "accepted_with_deficiency": (
        "您的申请已容缺受理",
        "您的申请（办件编号 {{ filing_number }}）已容缺受理，请于 {{ commitment_date }} 前补齐材料；承诺于 {{ due_on }} 前办结。",
        "Your filing has been accepted with a deficiency",
        "Your filing {{ filing_number }} has been accepted; hand in the missing materials by {{ commitment_date }}. "
        "It will be decided by {{ due_on }}.",
    ),
    "correction_requested": (
        "请补正申请材料",
        "您的申请（{{ filing_number }}，{{ item }}）需要补正：{{ what }}。请于 {{ answer_by }} 前补正，逾期将终止办理。",
        "Please correct your filing",
        "Your filing {{ filing_number }} ({{ item }}) needs corrections: {{ what }}. Answer by {{ answer_by }}, "
        "or the case ends.",
    ),
    "suspended": (
        "办理时限中止",
        "您的申请（{{ filing_number }}，{{ item }}）进入特别程序（{{ procedure }}），其间不计入办理时限。",
        "Time limit suspended",
        "Your filing {{ filing_number }} ({{ item }}) is in a special procedure ({{ procedure }}); "
        "the time it takes is not counted.",
    ),
    "resumed": (
        "恢复办理",
        "您的申请（{{ filing_number }}，{{ item }}）已恢复审查，承诺于 {{ due_on }} 前办结。",
        "Review resumed",
        "Your filing {{ filing_number }} ({{ item }}) is in review again; it will be decided by {{ due_on }}.",
    ),
    "decided": (
        "审批结果",
        "您的申请（{{ filing_number }}，{{ item }}）审批结果：{{ outcome }}。",
        "Decision",
        "Your filing {{ filing_number }} ({{ item }}): {{ outcome }}.",
    ),
    "ready_for_issue": (
        "可领取证照",
        "您的申请（{{ filing_number }}）已全部办结，请到统一出证窗口领取结果。",
        "Ready for issue",
        "Your filing {{ filing_number }} is decided: collect the results at the certificate window.",
    ),
    "escalated": (
        "督办：办件已逾期",
        "办件 {{ filing_number }}（{{ item }}，{{ department }}）已超过承诺时限，请督办。",
        "Escalation: a case is overdue",
        "Case {{ filing_number }} ({{ item }}, {{ department }}) is past its promised date.",
    ),
    "escalation_raised": (
        "督办升级：部门未响应",
        "办件 {{ filing_number }}（{{ item }}，{{ department }}）的督办在规定时间内未获部门响应，现提请中心督办。",
        "Escalation raised to the centre",
        "The escalation of case {{ filing_number }} ({{ item }}, {{ department }}) was not acknowledged in time.",
    ),
    "deficiency_lapsed": (
        "容缺材料逾期未补",
        "您的申请（{{ filing_number }}）{{ reason }}处理结果：{{ consequence }}。",
        "Missing materials not handed in",
        "Your filing {{ filing_number }}: {{ reason }} Outcome: {{ consequence }}.",
    ),
    "correction_lapsed": (
        "补正逾期，终止办理",
        "您的申请（{{ filing_number }}，{{ item }}）{{ reason }}该事项已终止办理。",
        "Correction not answered: case ended",
        "Your filing {{ filing_number }} ({{ item }}): {{ reason }} The case has ended.",
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
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
