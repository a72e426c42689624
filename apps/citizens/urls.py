from django.urls import path

from apps.citizens import views

app_name = "citizens"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/code/", views.login_with_code, name="login_code"),
    path("password-reset/", views.password_reset, name="password_reset"),
]
