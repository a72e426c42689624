from django.contrib.auth.decorators import login_required
from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.cases.api import assistance, review_views, views

router = SimpleRouter()
router.register("filings", views.FilingViewSet, basename="filing")
router.register("cases", review_views.CaseViewSet, basename="case")
urlpatterns = (
    router.urls
    + assistance.urlpatterns
    + [
        path(
            "filings/<int:filing_pk>/uploads/<int:upload_pk>/",
            login_required(views.upload_file),
            name="filing-upload",
        ),
        path(
            "cases/<int:case_pk>/correction-files/<int:file_pk>/",
            login_required(review_views.correction_file),
            name="case-correction-file",
        ),
        path(
            "filings/<int:filing_pk>/notices/<int:notice_pk>/",
            login_required(views.notice_pdf),
            name="filing-notice",
        ),
    ]
)
