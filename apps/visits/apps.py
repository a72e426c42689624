from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """The flow of people through the hall: service areas and opening hours, appointments (预约),
    queue tickets (取号), calling (叫号), the hall display (大屏) and its kiosks."""

    name = "apps.visits"
    label = "visits"
    verbose_name = _("Hall flow")
