"""/api/v1/ for supervision (电子监察): each module keeps its own routes."""

from apps.supervision.api import anomalies, at_risk, catalogue_figures, work_figures

urlpatterns = (
    work_figures.urlpatterns + catalogue_figures.urlpatterns + at_risk.urlpatterns + anomalies.urlpatterns
)
