"""The desks of the hall and the navigation each user sees.

One table says which permission opens which desk; the navigation, the landing page after login and
the desk views all read it, so a role never sees a link it cannot follow.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import Perm


@dataclass(frozen=True)
class Desk:
    key: str
    title: Promise
    url_name: str
    permission: str
    description: Promise


# In landing order: a user with several roles lands on the first desk they may use.
DESKS = (
    Desk(
        "intake",
        _("Intake desk"),
        "desks:intake",
        Perm.USE_INTAKE_DESK,
        _("Accept filings for any item or bundle at a comprehensive window."),
    ),
    Desk(
        "backoffice",
        _("Approval desk"),
        "desks:backoffice",
        Perm.USE_BACKOFFICE_DESK,
        _("Review and decide the cases of your department."),
    ),
    Desk(
        "issuing",
        _("Certificate desk"),
        "desks:issuing",
        Perm.USE_ISSUING_DESK,
        _("Number, seal, print and hand over certificates."),
    ),
    Desk(
        "supervision",
        _("Supervision desk"),
        "desks:supervision",
        Perm.USE_SUPERVISION_DESK,
        _("Watch deadlines, escalations and service ratings."),
    ),
    Desk(
        "assistance",
        _("Assistance desk"),
        # Its own view (apps.desks.assistance), not the generic desk page.
        "desks:assistance_queue",
        Perm.USE_ASSISTANCE_DESK,
        _("File for people who need help (帮办代办) and follow each filing through to the end."),
    ),
    Desk(
        "catalogue",
        _("Catalogue desk"),
        "desks:catalogue",
        Perm.USE_CATALOGUE_DESK,
        _("Maintain service items, materials, bundles and the calendar."),
    ),
    Desk(
        "portal",
        _("My filings"),
        "portal:home",
        Perm.USE_CITIZEN_PORTAL,
        _("File online, follow your filings and answer correction requests."),
    ),
)
DESKS_BY_KEY = {desk.key: desk for desk in DESKS}


def desks_for(user) -> list[Desk]:
    if not user.is_authenticated:
        return []
    return [desk for desk in DESKS if user.has_perm(desk.permission)]


def navigation(request):
    """Context processor: the desks the current user may open (permissions are cached per request),
    and for a seal keeper, how many issue requests await their confirmation (one count, asked only
    of seal keepers: everyone else's pages cost no query for it)."""
    from apps.desks.lists import awaiting_confirmation

    # The citizens' portal draws its own nav (apps.portal): in the top bar it would only repeat it,
    # and a citizen's bar stays the compact public one on a phone.
    desks = [desk for desk in desks_for(request.user) if desk.key != "portal"]
    waiting = awaiting_confirmation(request.user) if request.user.is_authenticated else 0
    return {"nav_desks": desks, "nav_awaiting_confirmation": waiting}
