import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("licences", "0002_electronic_certificate_library"),
    ]

    operations = [
        migrations.AlterField(
            model_name="electroniccertificate",
            name="status",
            field=django_fsm.FSMField(
                choices=[("valid", "Valid"), ("revoked", "Revoked")],
                default="valid",
                max_length=10,
                protected=True,
                verbose_name="status",
            ),
        ),
    ]
