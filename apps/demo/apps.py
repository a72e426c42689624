from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "apps.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self):
        from apps.demo import checks  # noqa: F401 - registers the deployment check
