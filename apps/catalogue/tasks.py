from celery import shared_task

from apps.catalogue import import_jobs


# A file of thousands of rows takes longer than the default task limits (settings: 300 s / 240 s).
@shared_task(name="apps.catalogue.tasks.run_import_job", time_limit=1800, soft_time_limit=1700)
def run_import_job(job_id: int) -> None:
    import_jobs.run_job(job_id)
