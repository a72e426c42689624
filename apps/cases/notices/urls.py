from django.urls import path

from apps.cases.notices import tracking

app_name = "tracking"
urlpatterns = [
    path("", tracking.find, name="find"),
    path("<str:token>/", tracking.tracking, name="filing"),
]
