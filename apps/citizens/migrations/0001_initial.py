from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="PhoneCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phone", models.CharField(max_length=11, verbose_name="mobile phone")),
                (
                    "purpose",
                    models.CharField(
                        choices=[("register", "Registration"), ("login", "Log in"), ("reset", "Password reset")],
                        max_length=10,
                        verbose_name="purpose",
                    ),
                ),
                ("code_hash", models.CharField(max_length=64)),
                ("client_ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="client address")),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="used at")),
                ("failed_attempts", models.PositiveSmallIntegerField(default=0, verbose_name="failed attempts")),
                ("blocked_until", models.DateTimeField(blank=True, null=True, verbose_name="blocked until")),
            ],
            options={
                "verbose_name": "SMS code",
                "verbose_name_plural": "SMS codes",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["phone", "created_at"], name="phonecode_phone_recent"),
                    models.Index(fields=["client_ip", "created_at"], name="phonecode_address_recent"),
                ],
            },
        ),
    ]
