from django.urls import path

from apps.feedback import public

app_name = "feedback"
urlpatterns = [
    path("<str:token>/", public.rate, name="rate"),
]
