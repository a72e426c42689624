from django.urls import path

from apps.desks import views
from apps.desks.navigation import DESKS

app_name = "desks"
urlpatterns = [path("", views.home, name="home")] + [
    path(f"{desk.key}/", views.desk_view(desk.key), name=desk.key) for desk in DESKS
]
