from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The citizens' online hall (网上办事大厅): pages and API for filing and following filings online."""

    name = "apps.portal"
    verbose_name = "Online hall"
