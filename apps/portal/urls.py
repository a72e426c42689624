from django.urls import path

from apps.portal import elder_mode, views, wizard

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder-mode/", elder_mode.switch, name="elder_mode"),
] + wizard.urlpatterns
