from django.urls import path

from apps.ops import views

app_name = "ops"
urlpatterns = [path("jobs/", views.job_runs, name="job_runs")]
