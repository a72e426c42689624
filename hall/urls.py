from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.ops.views import healthz
from hall.api_docs import docs_view, schema_view

admin.site.site_header = _("Government Service Hall administration")
admin.site.site_title = _("Government Service Hall")
admin.site.index_title = _("Administration")

api_v1 = [
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.catalogue.api.urls")),
    path("", include("apps.cases.api.urls")),
    path("", include("apps.certificates.api.urls")),
]

urlpatterns = [
    path("", include("apps.desks.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("guide/", include("apps.guides.urls")),
    path("track/", include("apps.cases.notices.urls")),
    path("verify/", include("apps.certificates.urls")),
    path("ops/", include("apps.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", schema_view, name="api-schema"),
    path("api/docs/", docs_view, name="api-docs"),
    path("healthz", healthz, name="healthz"),
]

# A refusal says why (hall/request_guards.py); under /api/ every error is JSON (hall/api_errors.py).
handler400 = "hall.request_guards.bad_request"
