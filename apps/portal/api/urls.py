"""The online hall's own API (/api/v1/portal/…); filing actions stay on /api/v1/filings/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.portal.api import views

router = SimpleRouter()
router.register("inbox", views.InboxViewSet, basename="portal-inbox")
router.register("wallet", views.WalletViewSet, basename="portal-wallet")
urlpatterns = router.urls + [
    path("filings/<int:pk>/delivery/", views.delivery, name="portal-delivery"),
]
