from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.ops.views import healthz
from hall.api_docs import docs_view, schema_view
from hall.home import home

admin.site.site_header = _("Government Service Hall administration")
admin.site.site_title = _("Government Service Hall")
admin.site.index_title = _("Administration")

api_v1 = [
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.catalogue.api.urls")),
    path("", include("apps.cases.api.urls")),
    path("", include("apps.certificates.api.urls")),
    path("", include("apps.citizens.api.urls")),
    path("", include("apps.feedback.api.urls")),
    path("", include("apps.visits.api.urls")),
    path("", include("apps.supervision.api.urls")),
    path("", include("apps.audit.api.urls")),
    path("portal/", include("apps.portal.api.urls")),
]

urlpatterns = [
    # Before the desks' own "" (desks:home, which it calls for a logged-in user): a visitor gets the
    # public home page instead of a login form.
    path("", home, name="home"),
    path("portal/", include("apps.portal.urls")),
    path("", include("apps.desks.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("apps.citizens.urls")),
    path("guide/", include("apps.guides.urls")),
    path("track/", include("apps.cases.notices.urls")),
    path("verify/", include("apps.certificates.urls")),
    # Ratings (好差评): the public page of a rating link, and the windows' evaluation pads.
    path("rate/", include("apps.feedback.urls")),
    path("pad/", include("apps.feedback.pad_urls")),
    # The hall's flow: the ticket kiosks (取号机) and the hall displays (大屏), both paired devices.
    path("kiosk/", include("apps.visits.kiosk_urls")),
    path("display/", include("apps.visits.display_urls")),
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
# 403, 404 and 500 are Django's own handlers, rendering the portal's templates/403.html, 404.html and
# 500.html (the last one without a request or the database, so it can show whatever went wrong).
