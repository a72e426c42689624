"""Catalogue import jobs: the actions behind the import page and its API.

An upload becomes an ``ImportJob`` that is first checked (a dry run: everything the import would do,
rolled back) and, if the check found nothing wrong, applied on request; both run as the Celery task
``apps.catalogue.tasks.run_import_job`` (after the job's row is committed), which records its stage and
percent on the row for the page's progress bar. Applying checks the file again, against the catalogue
as it is by then, and writes all of it or nothing (``transfer.importer``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.permissions import Perm
from apps.catalogue.models import ImportJob
from apps.catalogue.selectors import catalogue_role
from apps.catalogue.transfer.importer import ImportFailed, format_for, import_catalogue
from apps.ops.jobs import record_run

logger = logging.getLogger(__name__)
JOB_NAME = "catalogue_import"  # its runs on the jobs page (apps.ops)


def _require_importer(user) -> None:
    if not user.has_perm(Perm.IMPORT_CATALOGUE):
        raise PermissionDenied(_("Only a catalogue admin may import the catalogue."))


def start_check(*, user, upload: UploadedFile, publish: bool = False, language: str = "") -> ImportJob:
    """Store the upload and queue its dry run. ``publish`` holds only for someone who may publish."""
    _require_importer(user)
    name = Path(upload.name or "").name[:255]
    job = ImportJob.objects.create(
        created_by=user,
        file=upload,
        file_name=name,
        # A name that is neither .xlsx nor .zip is read as a workbook, and said not to be one.
        fmt=format_for(name) or "xlsx",
        publish=publish and user.has_perm(Perm.PUBLISH_SERVICEITEM),
        language=language or translation.get_language() or "",
        mode=ImportJob.Mode.CHECK,
    )
    _queue(job)
    return job


def start_apply(*, user, job_id: int) -> ImportJob:
    """Queue a checked job's import. Only its uploader applies it, and only after a clean check."""
    _require_importer(user)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(created_by=user).get(pk=job_id)
        if job.mode != ImportJob.Mode.CHECK or job.state != ImportJob.State.CHECKED:
            raise ValidationError(_("Only a file whose dry run found no problem can be applied, once."))
        job.mode, job.state, job.stage, job.percent = ImportJob.Mode.APPLY, ImportJob.State.QUEUED, "", 0
        job.save(update_fields=["mode", "state", "stage", "percent"])
        _queue(job)
    return job


def _queue(job: ImportJob) -> None:
    from apps.catalogue.tasks import run_import_job

    # After commit: the worker must find the row (and the stored file) when it starts.
    transaction.on_commit(lambda: run_import_job.delay(job.pk))


def run_job(job_id: int) -> None:
    """The task's body: run the job's check or import and record the outcome on its row."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.state != ImportJob.State.QUEUED:
        return  # delivered twice (acks late): the first delivery ran it
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)

    def progress(stage: str, percent: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(stage=stage, percent=percent)

    dry_run = job.mode == ImportJob.Mode.CHECK
    outcome: dict = {"stage": "done"}
    with translation.override(job.language or None), record_run(JOB_NAME) as changes:
        try:
            with job.file.open("rb") as file:
                report = import_catalogue(
                    file.read(),
                    fmt=job.fmt,
                    publish=job.publish,
                    actor=job.created_by,
                    role=catalogue_role(job.created_by),
                    dry_run=dry_run,
                    progress=progress,
                )
        except ImportFailed as failed:
            outcome.update(state=ImportJob.State.REFUSED, report=failed.report.as_dict(), percent=100)
            changes["refused"] = 1
        except Exception as exc:  # recorded for the page; the log keeps the traceback
            logger.exception("catalogue import job %s failed", job.pk)
            outcome.update(state=ImportJob.State.FAILED, error=f"{type(exc).__name__}: {exc}", percent=100)
            changes["failed"] = 1
        else:
            state = ImportJob.State.CHECKED if dry_run else ImportJob.State.APPLIED
            outcome.update(state=state, report=report.as_dict(), percent=100)
            if not dry_run:
                changes["rows_written"] = sum(c["created"] + c["updated"] for c in report.as_dict()["counts"])
    outcome["finished_at"] = timezone.now()
    if outcome["state"] != ImportJob.State.CHECKED:
        # Only a checked file is read again (to apply it); the workbook is not kept longer than that.
        job.file.delete(save=False)
        outcome["file"] = ""
    ImportJob.objects.filter(pk=job.pk).update(**outcome)
