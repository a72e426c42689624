from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "apps.guides"
    label = "guides"
    verbose_name = _("Service guides")
