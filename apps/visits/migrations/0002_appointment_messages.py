"""The messages of appointments (预约): the reminder the working day before (SMS and in-site), and the
notice that online booking is suspended after missed visits (editable afterwards in the admin)."""

from django.db import migrations

TEMPLATES = {
    "appointment_reminder": (
        "预约办事提醒",
        "{{ name }}您好：您已预约 {{ day }} {{ time }} 到{{ centre }}{{ area }}办理“{{ service }}”"
        "（预约号 {{ number }}）。请按时到大厅凭预约码或身份证取号；如不能前来，请提前取消预约。",
        "Appointment reminder",
        "Dear {{ name }}, you have booked {{ day }} {{ time }} at {{ centre }} ({{ area }}) for "
        "“{{ service }}” (booking {{ number }}). Take a ticket at the hall with the booking's QR code or "
        "your ID card; if you cannot come, please cancel in advance.",
    ),
    "booking_suspended": (
        "网上预约已暂停",
        "您近期有 {{ count }} 次预约未到场办理，网上预约已暂停至 {{ until }}。期间您仍可到大厅现场取号办理。",
        "Online booking suspended",
        "You missed {{ count }} booked visits: online booking is suspended until {{ until }}. You can "
        "still take a ticket at the hall meanwhile.",
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
        ("visits", "0001_initial"),
        ("notifications", "0008_closed_message_rating_link"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
