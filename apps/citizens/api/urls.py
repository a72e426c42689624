"""/api/v1/ routes of citizen accounts (registration, codes, organisations)."""

from django.urls import path

from apps.citizens.api import views

urlpatterns = [
    path("accounts/codes/", views.CodeView.as_view(), name="api-account-codes"),
    path("accounts/register/", views.RegisterView.as_view(), name="api-account-register"),
    path("accounts/login/", views.LoginView.as_view(), name="api-account-login"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="api-account-password-reset"),
    path("organisations/", views.OrganisationListView.as_view(), name="api-organisations"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="api-organisation"),
    path(
        "organisations/<int:pk>/revoke/",
        views.OrganisationRevokeView.as_view(),
        name="api-organisation-revoke",
    ),
    path(
        "organisations/<int:pk>/letter/",
        views.OrganisationLetterView.as_view(),
        name="api-organisation-letter",
    ),
    # A window clerk's: the account checked against the identity card (窗口核验).
    path(
        "accounts/<int:pk>/verify-real-name/",
        views.RealNameVerifyView.as_view(),
        name="api-account-verify-real-name",
    ),
    # A window clerk's: the authorisation checked against its letter (窗口核验).
    path(
        "authorisations/<int:pk>/verify/",
        views.AuthorisationVerifyView.as_view(),
        name="api-authorisation-verify",
    ),
]
