from django.urls import path

from apps.desks import (
    anomalies,
    assistance,
    at_risk,
    audit_log,
    backoffice,
    calling,
    catalogue_figures,
    devices,
    figures,
    hall_figures,
    hall_setup,
    intake,
    issuing,
    pads,
    phone_ratings,
    rectification,
    supervision,
    verification,
    views,
    work_figures,
)
from apps.desks.navigation import DESKS

app_name = "desks"
urlpatterns = (
    [
        path("", views.home, name="home"),
        path("intake/search/", intake.search, name="intake_search"),
        path("intake/new/", intake.new_filing, name="intake_new"),
        path("intake/check-identity/", intake.check_identity, name="intake_check_identity"),
        path("intake/verify-citizen/", verification.verify_citizen, name="intake_verify_citizen"),
        path("intake/filings/<int:pk>/", intake.filing, name="intake_filing"),
        path(
            "intake/filings/<int:pk>/materials/<int:material_id>/",
            intake.record_material,
            name="intake_material",
        ),
        path(
            "intake/filings/<int:pk>/materials/<int:material_id>/upload/",
            intake.upload_material,
            name="intake_upload",
        ),
        path("intake/filings/<int:pk>/all-received/", intake.all_received, name="intake_all_received"),
        path("intake/filings/<int:pk>/pre-review/<str:action>/", intake.pre_review, name="intake_pre_review"),
        path("intake/filings/<int:pk>/decide/<str:decision>/", intake.decide, name="intake_decide"),
        path("supervision/escalations/<int:pk>/<str:action>/", supervision.act, name="supervision_act"),
        path("issuing/filings/<int:pk>/", issuing.filing, name="issuing_filing"),
        path(
            "issuing/filings/<int:pk>/preview/<int:case_id>/", issuing.preview_pdf, name="issuing_preview_pdf"
        ),
        path("issuing/filings/<int:pk>/<str:action>/", issuing.act, name="issuing_act"),
        path("issuing/seals/", issuing.seals, name="issuing_seals"),
        path("issuing/seals/<int:pk>/status/", issuing.seal_status, name="issuing_seal_status"),
        path("backoffice/cases/<int:pk>/", backoffice.case, name="backoffice_case"),
        path("backoffice/cases/<int:pk>/revoke/", backoffice.revoke_certificate, name="backoffice_revoke"),
        path("backoffice/cases/<int:pk>/<str:action>/", backoffice.act, name="backoffice_act"),
    ]
    + (
        # Ratings (好差评): each module of the desks keeps its own routes.
        rectification.urlpatterns + figures.urlpatterns + pads.urlpatterns + phone_ratings.urlpatterns
    )
    + (
        # The hall's flow: calling at the window, the assistants' desk, the hall's set-up, devices
        # and figures on the supervision desk.
        calling.urlpatterns
        + assistance.urlpatterns
        + hall_setup.urlpatterns
        + devices.urlpatterns
        + hall_figures.urlpatterns
    )
    + (
        # Supervision (电子监察): the work and catalogue figures, the cases at risk, the anomalies, the
        # audit viewer.
        work_figures.urlpatterns
        + catalogue_figures.urlpatterns
        + at_risk.urlpatterns
        + anomalies.urlpatterns
        + audit_log.urlpatterns
    )
    + [
        # The citizens' portal is its own app (apps.portal, /portal/); the staff desks are drawn here.
        path(f"{desk.key}/", views.desk_view(desk.key), name=desk.key)
        for desk in DESKS
        if desk.url_name == f"desks:{desk.key}"
    ]
)
