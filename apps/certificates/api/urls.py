from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.certificates.api import views

router = SimpleRouter()
router.register("issuing/filings", views.IssuingFilingViewSet, basename="issuing-filing")
router.register("issuing/requests", views.IssueRequestViewSet, basename="issue-request")
router.register("documents", views.DocumentViewSet, basename="document")
urlpatterns = router.urls + [
    path("library/", views.library, name="library"),
    path("verify/", views.verify_number, name="verify-number"),
    path("verify/<str:token>/", views.verify_token, name="verify-token"),
]
