from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesksConfig(AppConfig):
    name = "apps.desks"
    label = "desks"
    verbose_name = _("Desks")
