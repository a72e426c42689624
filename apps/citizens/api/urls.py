"""/api/v1/ routes of citizen accounts (registration, codes, organisations)."""

urlpatterns = []
