from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from apps.accounts.selectors import memberships_of
from apps.desks.navigation import DESKS_BY_KEY, desks_for


@login_required
def home(request):
    """Land each user on their own desk."""
    desks = desks_for(request.user)
    if desks:
        return redirect(desks[0].url_name)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "desks/no_role.html")


def _catalogue_context(request) -> dict:
    from apps.catalogue import selectors

    # The counts and the review queue of the items this admin maintains (their centres, the base items).
    return {
        "state_counts": selectors.state_counts(request.user),
        "awaiting_review": selectors.awaiting_review(request.user),
    }


def _intake_context(request) -> dict:
    from apps.desks.intake import desk_context

    return desk_context(request)


def _backoffice_context(request) -> dict:
    from apps.desks.backoffice import desk_context

    return desk_context(request)


def _issuing_context(request) -> dict:
    from apps.desks.issuing import desk_context

    return desk_context(request)


def _supervision_context(request) -> dict:
    from apps.desks.supervision import desk_context

    return desk_context(request)


# What each desk shows beyond its shell; desks that later issues fill in add their entry here.
DESK_CONTEXT = {
    "catalogue": _catalogue_context,
    "intake": _intake_context,
    "backoffice": _backoffice_context,
    "issuing": _issuing_context,
    "supervision": _supervision_context,
}


def desk_view(key: str):
    desk = DESKS_BY_KEY[key]

    @login_required
    def view(request):
        if not request.user.has_perm(desk.permission):
            raise PermissionDenied
        extra = DESK_CONTEXT[key](request) if key in DESK_CONTEXT else {}
        context = {"desk": desk, "memberships": memberships_of(request.user), **extra}
        return render(request, f"desks/{key}.html", context)

    view.__name__ = f"{key}_desk"
    return view
