from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.ops.labels import job_label, labelled_changes


class JobRun(models.Model):
    """One run of a periodic or manual job: when, how long, where, and what it changed.

    Written by the job itself through ``apps.ops.jobs.record_run``; the jobs page shows the latest
    run of each job so that staff can see the scheduler is alive and what the sweeps did.
    """

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=100)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started")]

    def __str__(self):
        return f"{self.name} @ {self.started_at:%Y-%m-%d %H:%M:%S}"

    @property
    def label(self) -> str:
        """The job's name for people (``apps.ops.labels``)."""
        return job_label(self.name)

    @property
    def labelled_changes(self) -> list[tuple[str, object]]:
        return labelled_changes(self.changes)
