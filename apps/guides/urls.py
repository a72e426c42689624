from django.urls import path

from apps.guides import views

app_name = "guides"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("items/<str:code>/", views.item_guide, name="item"),
    path("items/<str:code>/result-sample/", views.result_sample, name="result_sample"),
    path("bundles/<str:code>/", views.bundle_guide, name="bundle"),
    path("files/<int:requirement_id>/<str:kind>/", views.material_file, name="material_file"),
]
