"""The OpenAPI schema and its Swagger UI page.

In production they need a login (any user): the schema maps every endpoint and its parameters, which
is an attacker's reading list, and nobody outside the hall needs it. In development they stay open for
tools that read the schema.

The page is drf-spectacular's split view: its start-up script is a separate request (``?script=``) from
the portal's own origin rather than an inline <script>, so the page keeps the content security policy
of every other page (see hall/security_headers.py); templates/drf_spectacular/swagger_ui.html moves the
page's few inline style rules to a static file.
"""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.permissions import LoggedInInProduction

schema_view = SpectacularAPIView.as_view(permission_classes=[LoggedInInProduction])
docs_view = SpectacularSwaggerSplitView.as_view(
    url_name="api-schema", permission_classes=[LoggedInInProduction]
)
