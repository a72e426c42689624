from django.db.models import OuterRef, Subquery

from apps.ops.models import JobRun


def latest_run_per_job() -> list[JobRun]:
    """The most recent run of every job, in one query (history is pruned by ``prune_job_runs``)."""
    newest_pk = JobRun.objects.filter(name=OuterRef("name")).order_by("-started_at", "-pk").values("pk")[:1]
    latest_pks = JobRun.objects.order_by().values("name").distinct().annotate(latest=Subquery(newest_pk))
    return list(JobRun.objects.filter(pk__in=latest_pks.values("latest")).order_by("name"))
