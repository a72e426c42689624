"""/api/v1/ at_risk."""

urlpatterns = []
