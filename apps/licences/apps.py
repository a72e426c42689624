from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "apps.licences"
    label = "licences"
    verbose_name = _("Electronic certificate library")
