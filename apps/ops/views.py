from django.contrib.auth.decorators import permission_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from apps.accounts.permissions import Perm
from apps.ops.selectors import latest_run_per_job


@never_cache
def healthz(request):
    """Liveness and database reachability, for load balancers and compose healthchecks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@permission_required(Perm.VIEW_JOBRUN, raise_exception=True)
def job_runs(request):
    return render(request, "ops/job_runs.html", {"runs": latest_run_per_job()})
