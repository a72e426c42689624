from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """电子监察: the supervisors' figures (catalogue and work, from daily roll-ups), the cases at risk,
    the anomaly rules over the transition log.

    Above every domain app it reports on (``cases``, ``certificates``, ``visits``, ``feedback``); only
    the desks, the API and the demo import it."""

    name = "apps.supervision"
    verbose_name = "Supervision (电子监察)"
