"""消息: the citizen's in-site messages — the list (unread first), a message (opening it marks it
read, and it links to the filing it is about), and the unread count on every page's nav."""

from __future__ import annotations

import functools

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from apps.accounts.permissions import Perm
from apps.notifications import inbox
from apps.portal.views import citizen_required

PAGE_SIZE = 20
# What a message's reference points at in the online hall: the filing's page.
LINKS = {"cases.filing": "portal:filing"}


def inbox_unread(request) -> dict:
    """Context processor: the citizen's unread messages, for the badge of the online hall's nav.

    A callable, which the template calls when it draws the badge: a page that shows no badge (a
    desk, the public pages) runs no query, and a portal page runs one COUNT however often it asks."""

    @functools.cache
    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.has_perm(Perm.USE_CITIZEN_PORTAL):
            return 0
        return inbox.unread_count(user)

    return {"inbox_unread": count}


def link_of(message) -> tuple[str, int] | None:
    """The portal page a message is about, as (url name, pk), if the online hall has one."""
    concerns = inbox.concerns(message)
    if concerns is None or concerns[0] not in LINKS:
        return None
    return LINKS[concerns[0]], concerns[1]


@require_GET
@citizen_required
def messages_list(request):
    page = Paginator(inbox.inbox_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"portal_page": "inbox", "page": page})


@require_GET
@citizen_required
def message(request, pk):
    """Opening a message marks it read (another's: 404)."""
    opened = inbox.open_message(message_id=pk, user=request.user)
    link = link_of(opened)
    return render(
        request,
        "portal/inbox_message.html",
        {
            "portal_page": "inbox",
            "message": opened,
            "link_name": link[0] if link else "",
            "link_pk": link[1] if link else None,
        },
    )


urlpatterns = [
    path("inbox/", messages_list, name="inbox"),
    path("inbox/<int:pk>/", message, name="inbox_message"),
]
