from apps.visits.api import appointments, areas, calls, devices, display, figures, tickets

# Each part of the hall flow's API keeps its own routes.
urlpatterns = (
    areas.urlpatterns
    + appointments.urlpatterns
    + tickets.urlpatterns
    + calls.urlpatterns
    + devices.urlpatterns
    + display.urlpatterns
    + figures.urlpatterns
)
