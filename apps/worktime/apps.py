from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_after_migrate(sender, using, apps=None, **kwargs):
    from django.apps import apps as global_apps

    from apps.worktime import calendar
    from apps.worktime.seeding import seed_statutory_calendar

    # `flush` (transactional tests) empties the calendar and passes no apps: put the statutory years back.
    if seed_statutory_calendar(apps or global_apps, using=using):
        calendar.invalidate()


class WorktimeConfig(AppConfig):
    name = "apps.worktime"
    label = "worktime"
    verbose_name = _("Working-day calendar")

    def ready(self):
        post_migrate.connect(_seed_after_migrate, sender=self, dispatch_uid="worktime.seed_calendar")
