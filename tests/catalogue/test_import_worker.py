"""The import job runs in a real Celery worker process, which reads the stored workbook and records
its progress on the job's row (issue 15, item 21)."""

import pytest
from django.core.files.base import ContentFile

from apps.accounts.roles import Role
from apps.catalogue.models import ImportJob, ServiceItem
from apps.catalogue.tasks import run_import_job
from apps.catalogue.transfer.template import template_workbook
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import ApprovalCategoryFactory
from tests.workers import celery_worker


@pytest.mark.needs_worker
@pytest.mark.django_db(transaction=True)
def test_a_dry_run_and_an_import_run_in_a_worker_process(settings):
    ApprovalCategoryFactory(code="market", name="市场准入")
    admin = make_staff(Role.CATALOGUE_ADMIN, centre=DepartmentFactory().centre)
    job = ImportJob(created_by=admin, file_name="c.xlsx", fmt="xlsx", language="zh-hans")
    job.file.save("c.xlsx", ContentFile(template_workbook()))

    with celery_worker(extra_env={"HALL_MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as (_worker, queue):
        run_import_job.apply_async(args=[job.pk], queue=queue).get(timeout=90)
        job.refresh_from_db()
        assert (job.state, job.percent, job.stage) == ("checked", 100, "done")
        assert ServiceItem.objects.count() == 0

        ImportJob.objects.filter(pk=job.pk).update(mode="apply", state="queued", percent=0)
        run_import_job.apply_async(args=[job.pk], queue=queue).get(timeout=90)
    job.refresh_from_db()
    assert job.state == "applied"
    assert job.report["counts"][1]["created"] == 1
    assert ServiceItem.objects.count() == 1
