"""/api/v1/audit/: the transition and disclosure logs, searched and exported (supervisors and auditors)."""

urlpatterns = []
