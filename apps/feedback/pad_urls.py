from apps.feedback import pad

app_name = "pad"
urlpatterns = pad.urlpatterns
