from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The importer's stages (``transfer.importer.Stage``) as the progress bar names them.
STAGE_LABELS = {
    "reading": _("reading the file"),
    "checking": _("checking every row"),
    "writing": _("writing"),
    "done": _("done"),
}


class ImportJob(models.Model):
    """One uploaded catalogue workbook, checked (a dry run) and then, on request, applied.

    Both run as Celery tasks (``apps.catalogue.tasks``) so that a file of thousands of rows does not
    run inside a request; the task records its stage and percent here, and the import page polls this
    row. ``report`` holds the importer's report as JSON (counts by sheet, planned changes, errors).
    """

    class Mode(models.TextChoices):
        CHECK = "check", _("dry run")
        APPLY = "apply", _("apply")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        CHECKED = "checked", _("checked: ready to apply")
        REFUSED = "refused", _("refused: nothing was imported")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="catalogue-imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    fmt = models.CharField(_("format"), max_length=10)
    publish = models.BooleanField(_("publish at once"), default=False)
    language = models.CharField(_("language"), max_length=20)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.CHECK)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, _("waiting for a worker")))

    @property
    def finished(self) -> bool:
        return self.state not in {self.State.QUEUED, self.State.RUNNING}
