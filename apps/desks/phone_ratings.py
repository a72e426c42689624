"""The supervision desk's 12345 page: a supervisor enters a rating the hotline took by phone.

Find a filing of the supervisor's centre by its number (a department's supervisor: a filing of their
department), choose the act the caller rates, enter the caller's name and phone, the level, the
reason and what they said; ``apps.feedback.services.rate_by_phone`` gives it (channel phone), and
its refusals are shown on the fields they concern. The API is ``POST /api/v1/phone-ratings/``
(``apps.feedback.api.ratings``), on the same service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import Perm
from apps.accounts.roles import Role
from apps.accounts.selectors import departments_where, memberships_of, supervised_centres
from apps.audit.requests import client_ip
from apps.cases.models import Filing, FilingItem
from apps.cases.notices.tracking import masked_name
from apps.core.errors import Conflict, error_text
from apps.desks.forms.phone_rating import PhoneRatingForm
from apps.desks.navigation import DESKS_BY_KEY
from apps.feedback.acts import acts_of
from apps.feedback.models import ActKind
from apps.feedback.selectors import ratings_of_filing
from apps.feedback.services import rate_by_phone

SUPERVISOR = Perm.USE_SUPERVISION_DESK
NUMBER_MAX = 64


def filing_to_rate(user, number: str) -> Filing | None:
    """The filing numbered ``number`` that ``user`` supervises: of a centre they supervise, or with
    an item of a department they supervise there; None otherwise (another centre's is not revealed)."""
    number = (number or "").strip().upper()[:NUMBER_MAX]
    if not number:
        return None
    centres = supervised_centres(user)
    departments = departments_where(user, [Role.SUPERVISOR])
    of_department = FilingItem.objects.filter(filing=OuterRef("pk"), item__department_id__in=departments)
    return (
        Filing.objects.filter(number=number)
        .filter(Q(centre_id__in=centres) | Q(Exists(of_department)))
        .select_related("delivery")
        .prefetch_related("items__item")
        .first()
    )


def _rows(filing: Filing, acts) -> list[tuple]:
    """Each act that may be rated, its name, and the applicant's rating of it (or None)."""
    ratings = ratings_of_filing(filing)
    return [(act, ActKind(act.kind).label, ratings.get(act.kind)) for act in acts]


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_http_methods(["GET", "POST"])
def phone_rating(request):
    number = request.POST.get("number") if request.method == "POST" else request.GET.get("number")
    number = (number or "").strip()[:NUMBER_MAX]
    filing = filing_to_rate(request.user, number)
    acts = acts_of(filing) if filing else []
    form = None
    if filing and acts:
        form = PhoneRatingForm(request.POST if request.method == "POST" else None, acts=acts)
        if request.method == "POST" and form.is_valid():
            try:
                rating = rate_by_phone(
                    filing_id=filing.pk,
                    actor=request.user,
                    client_ip=client_ip(request),
                    **form.arguments(),
                )
            except ValidationError as error:
                form.add_error(None, error)  # a dict of refusals lands on the fields it names
            except (PermissionDenied, Conflict) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request,
                    _("12345 rating entered for filing %(number)s: %(act)s, %(level)s.")
                    % {
                        "number": filing.number,
                        "act": rating.get_act_display(),
                        "level": rating.get_level_display(),
                    },
                )
                return redirect(f"{reverse('desks:phone_rating')}?{urlencode({'number': filing.number})}")
    elif request.method == "POST":
        return redirect(f"{reverse('desks:phone_rating')}?{urlencode({'number': number})}")
    context = {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "number": number,
        "filing": filing,
        "applicant": masked_name(filing) if filing else "",
        "rows": _rows(filing, acts) if filing else [],
        "form": form,
        "choices": ("act", "level"),  # drawn as radio buttons in a fieldset
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "desks/supervision/phone.html", context, status=status)


urlpatterns = [
    path("supervision/phone-ratings/", phone_rating, name="phone_rating"),
]
