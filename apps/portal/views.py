"""The online hall's pages: "my hall" and a filing's page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from apps.accounts.permissions import Perm


def citizen_required(view):
    """Logged in, with the citizen portal's permission (a citizen account); staff get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(Perm.USE_CITIZEN_PORTAL):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@citizen_required
def home(request):
    """我的办事大厅: the citizen's filings, what needs doing first."""
    return render(request, "portal/home.html", {"portal_page": "home"})
