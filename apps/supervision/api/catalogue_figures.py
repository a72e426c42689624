"""/api/v1/ catalogue_figures."""

urlpatterns = []
