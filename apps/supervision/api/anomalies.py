"""/api/v1/ anomalies."""

urlpatterns = []
