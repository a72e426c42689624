from django.urls import path

from apps.certificates import views

app_name = "verification"
urlpatterns = [
    path("", views.by_number, name="number"),
    path("<str:token>/", views.by_token, name="token"),
]
