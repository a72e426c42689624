from django.contrib.auth.decorators import login_required
from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.cases.api import views

router = SimpleRouter()
router.register("filings", views.FilingViewSet, basename="filing")
urlpatterns = router.urls + [
    path(
        "filings/<int:filing_pk>/uploads/<int:upload_pk>/",
        login_required(views.upload_file),
        name="filing-upload",
    ),
    path(
        "filings/<int:filing_pk>/notices/<int:notice_pk>/",
        login_required(views.notice_pdf),
        name="filing-notice",
    ),
]
