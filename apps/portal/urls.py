from django.urls import path

from apps.portal import (
    appointments,
    delivery,
    elder_mode,
    inbox,
    organisations,
    ratings,
    views,
    wallet,
    wizard,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder-mode/", elder_mode.switch, name="elder_mode"),
    path("filings/<int:pk>/", views.filing, name="filing"),
    path(
        "filings/<int:pk>/corrections/<int:correction_pk>/answer/",
        views.answer_correction,
        name="filing_answer_correction",
    ),
    path("filings/<int:pk>/resubmit/", views.resubmit, name="filing_resubmit"),
    path("filings/<int:pk>/withdraw/", views.withdraw, name="filing_withdraw"),
    path("filings/<int:pk>/discard/", views.discard, name="filing_discard"),
] + (
    # Each module of the online hall keeps its own routes.
    wizard.urlpatterns
    + organisations.urlpatterns
    + inbox.urlpatterns
    + wallet.urlpatterns
    + delivery.urlpatterns
    + ratings.urlpatterns
    + appointments.urlpatterns
)
