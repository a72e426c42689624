"""/api/v1/ work_figures."""

urlpatterns = []
