"""The catalogue admin's import pages (under the item admin's URLs, ``admin.ServiceItemAdmin``):
upload, template download, a job's page with its progress bar (htmx polls ``progress`` every second
while the job runs) and the button that applies a checked file. The work is ``import_jobs``'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.accounts.permissions import Perm
from apps.catalogue import import_jobs
from apps.catalogue.models import ImportJob
from apps.catalogue.transfer.template import FILENAME as TEMPLATE_FILENAME
from apps.catalogue.transfer.template import template_workbook
from apps.core.downloads import workbook_download
from apps.core.errors import error_text


def _require_importer(request) -> None:
    if not request.user.has_perm(Perm.IMPORT_CATALOGUE):
        raise PermissionDenied


def _own_job(request, job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.filter(created_by=request.user), pk=job_id)


def import_page(model_admin, request):
    _require_importer(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a workbook (.xlsx) or a .zip of CSV files to upload."))
            return redirect("admin:catalogue_import")
        job = import_jobs.start_check(
            user=request.user,
            upload=upload,
            publish=bool(request.POST.get("publish")),
            language=request.LANGUAGE_CODE,
        )
        return redirect("admin:catalogue_import_job", job.pk)
    context = model_admin._context(request, _("Import the catalogue"))
    context["jobs"] = ImportJob.objects.filter(created_by=request.user)[:10]
    return TemplateResponse(request, "admin/catalogue/serviceitem/import.html", context)


def template_download(model_admin, request):
    _require_importer(request)
    return workbook_download(template_workbook(), TEMPLATE_FILENAME)


def job_page(model_admin, request, job_id):
    _require_importer(request)
    job = _own_job(request, job_id)
    context = model_admin._context(request, _("Import of %(name)s") % {"name": job.file_name})
    context["job"] = job
    return TemplateResponse(request, "admin/catalogue/serviceitem/import_job.html", context)


def job_progress(model_admin, request, job_id):
    """The job's progress and, once it has finished, its report: what the page polls."""
    _require_importer(request)
    job = _own_job(request, job_id)
    return TemplateResponse(request, "admin/catalogue/serviceitem/_import_job.html", {"job": job})


def job_apply(model_admin, request, job_id):
    _require_importer(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        import_jobs.start_apply(user=request.user, job_id=_own_job(request, job_id).pk)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    return redirect("admin:catalogue_import_job", job_id)
