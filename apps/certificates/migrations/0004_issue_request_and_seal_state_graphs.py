import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_rename_certificatekind_to_issuingrule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="issuerequest",
            name="state",
            field=django_fsm.FSMField(
                choices=[
                    ("pending", "Awaiting the seal keeper"),
                    ("confirmed", "Confirmed and issued"),
                    ("cancelled", "Cancelled"),
                ],
                default="pending",
                max_length=12,
                protected=True,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="seal",
            name="status",
            field=django_fsm.FSMField(
                choices=[("active", "In use"), ("suspended", "Suspended")],
                default="active",
                max_length=12,
                protected=True,
                verbose_name="status",
            ),
        ),
    ]
