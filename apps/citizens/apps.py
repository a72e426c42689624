from django.apps import AppConfig


class CitizensConfig(AppConfig):
    """Citizen accounts: real-name registration, SMS codes, the organisations a citizen acts for."""

    name = "apps.citizens"
    verbose_name = "Citizen accounts"
