from apps.visits import display

app_name = "display"
urlpatterns = display.urlpatterns
