import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_catalogue_admin_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bundle",
            name="state",
            field=django_fsm.FSMField(
                choices=[("draft", "Draft"), ("published", "Published"), ("retired", "Retired")],
                default="draft",
                max_length=20,
                protected=True,
                verbose_name="state",
            ),
        ),
    ]
