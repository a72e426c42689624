from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SequencesConfig(AppConfig):
    name = "apps.sequences"
    label = "sequences"
    verbose_name = _("Number series")
