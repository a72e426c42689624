from apps.visits import kiosk

app_name = "kiosk"
urlpatterns = kiosk.urlpatterns
