from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from apps.accounts.selectors import memberships_of
from apps.desks import lists
from apps.desks.navigation import DESKS_BY_KEY, desks_for


@login_required
def home(request):
    """Land each user on their own desk."""
    if request.user.is_superuser:
        # A superuser holds every permission, so every desk would "open" for it, yet it holds no
        # role there (no window, no department) to work one with: its place is the administration.
        return redirect("admin:index")
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


def _supervision_context(request) -> dict:
    from apps.desks.supervision import ACTION_FORMS

    def offered(escalation, user) -> list[str]:
        # Each row's forms: the escalation's available transitions for this user (an acknowledged
        # one is not acknowledged again; raising is the sweep's, not a supervisor's).
        return [
            ACTION_FORMS[t.name]
            for t in escalation.get_available_user_state_transitions(user)
            if t.name in ACTION_FORMS
        ]

    return lists.supervision(request, offered)


# What each desk shows beyond its shell; desks that later issues fill in add their entry here.
DESK_CONTEXT = {
    "catalogue": _catalogue_context,
    "intake": lists.intake,
    "backoffice": lists.backoffice,
    "issuing": lists.issuing,
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
