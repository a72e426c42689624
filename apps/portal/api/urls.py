"""The online hall's own API (/api/v1/portal/…); filing actions stay on /api/v1/filings/."""

urlpatterns = []
