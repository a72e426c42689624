"""The unified certificate desk (统一窗口出证): filings ready for issue, requests awaiting a seal
keeper, documents awaiting delivery, and the seal registry. Thin views over ``apps.certificates``;
a filing's actions follow its available transitions (issue, then deliver), and what they post is
checked by their forms (``apps.desks.forms.issuing``) and run through ``ACTIONS``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.audit.requests import client_ip
from apps.audit.selectors import history_of
from apps.cases.codes import FILING_STEPS
from apps.certificates import selectors, services
from apps.certificates.models import SealStatus, delivers
from apps.certificates.rendering import render_document
from apps.core.errors import error_text as _error_text
from apps.desks.actions import Action, dispatch, perform
from apps.desks.forms import issuing as forms

ISSUING = selectors.ISSUING
PAGE_SIZE = 25

TABS = {
    "ready": gettext_lazy("Ready for issue"),
    "requests": gettext_lazy("Awaiting the seal keeper"),
    "delivery": gettext_lazy("Awaiting delivery"),
}


def desk_context(request) -> dict:
    user = request.user
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "ready"
    if tab == "requests":
        page = Paginator(selectors.pending_requests(user), PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        filings = selectors.ready_for_issue(user) if tab == "ready" else selectors.awaiting_delivery(user)
        page = Paginator(selectors.with_items(filings), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "tab": tab,
        "tabs": list(TABS.items()),
        "page": page,
    }


# The forms of an issue request's transitions: the graph's permissions decide who sees which.
REQUEST_FORMS = {
    "confirm": "desks/issuing/actions/confirm_issue.html",
    "cancel": "desks/issuing/actions/cancel_request.html",
}


def _actions(request, filing, pending) -> list[str]:
    """The forms this user may use on the filing now: the filing's available transitions for them
    (issue, then deliver), and while a request is pending, the request's."""
    user = request.user
    available = {t.name for t in filing.get_available_user_state_transitions(user)}
    forms = []
    if "issue" in available:
        if pending is None:
            forms.append("desks/issuing/actions/request_issue.html")
        else:
            pending.filing = filing  # its permissions read the filing's centre: the one on the page
            forms += [
                REQUEST_FORMS[t.name]
                for t in pending.get_available_user_state_transitions(user)
                if t.name in REQUEST_FORMS
            ]
    # Delivery is the issuer's: a seal keeper is not offered it (``delivers``, the permission the
    # filing's deliver transition carries; asked here too while the graph's transition lacks it).
    if "deliver" in available and delivers(filing, user):
        forms += ["desks/issuing/actions/hand_over.html", "desks/issuing/actions/post.html"]
    return forms


@login_required
@permission_required(ISSUING, raise_exception=True)
def filing(request, pk):
    """One filing at the desk: the preview of what it will get, or what it got, and what to do now."""
    filing = selectors.desk_filing(request.user, pk)
    cases = list(filing.cases.all())
    documents = list(filing.documents.all())
    pending = selectors.pending_request_of(filing)
    planned = [] if documents else services.plan(filing, [c for c in cases if c.state in services.DECIDED])
    context = {
        "filing": filing,
        "cases": cases,
        "planned": planned,
        "documents": documents,
        "pending": pending,
        "delivery": getattr(filing, "delivery", None),
        # What the applicant chose online (领取方式): shown, and the post form filled from it.
        "choice": getattr(filing, "delivery_choice", None),
        "actions": _actions(request, filing, pending),
        "history": [
            (entry, FILING_STEPS.get(entry.transition, entry.transition)) for entry in history_of(filing)
        ],
    }
    return render(request, "desks/issuing/filing.html", context)


@login_required
@permission_required(ISSUING, raise_exception=True)
def preview_pdf(request, pk, case_id):
    """The PDF a case's document would be, unsealed and marked as a preview (nothing is stored)."""
    from apps.uploads.serving import Disclosure, stored_file_response

    filing = selectors.desk_filing(request.user, pk)
    try:
        document = services.preview_document(filing, case_id)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("desks:issuing_filing", filing.pk)
    return stored_file_response(
        request,
        render_document(document),
        filename=f"preview-{filing.number}-{case_id}.pdf",
        content_type="application/pdf",
        disclosure=Disclosure(filing, what="document_preview", owner_id=filing.citizen_id),
    )


# What a filing's page posts: each action with its form, its service and what it says when it worked.
ACTIONS = {
    "request_issue": Action(
        forms.RequestIssueForm,
        services.request_issue,
        gettext_lazy("Requested: a seal keeper confirms the seal's use, and the documents are issued."),
    ),
    "confirm_issue": Action(
        forms.ConfirmIssueForm,
        services.confirm_issue,
        gettext_lazy("Issued: the documents are numbered, sealed and in the e-certificate library."),
    ),
    "cancel_request": Action(
        forms.CancelRequestForm, services.cancel_request, gettext_lazy("The request was cancelled.")
    ),
    "hand_over": Action(
        forms.HandOverForm, services.hand_over, gettext_lazy("Handed over: the filing is closed (办结).")
    ),
    "post": Action(forms.PostForm, services.post, gettext_lazy("Posted: the filing is closed (办结).")),
}
SEAL_STATUS = Action(
    forms.SealStatusForm,
    services.set_seal_status,
    lambda form: (
        _("The seal is suspended.")
        if form.cleaned_data["status"] == SealStatus.SUSPENDED
        else _("The seal is in use again.")
    ),
)


@login_required
@permission_required(ISSUING, raise_exception=True)
@require_POST
def act(request, pk, action):
    filing = selectors.desk_filing(request.user, pk)
    return dispatch(
        request,
        ACTIONS,
        action,
        obj=filing,
        context={"actor": request.user, "client_ip": client_ip(request)},
        back=reverse("desks:issuing_filing", args=[filing.pk]),
    )


@login_required
@permission_required(ISSUING, raise_exception=True)
def seals(request):
    """The seal registry of the user's centres, and the latest uses of each seal."""
    registry = list(selectors.seals_at_desk(request.user))
    chosen = next(
        (s for s in registry if str(s.pk) == request.GET.get("seal")), registry[0] if registry else None
    )
    uses = (
        Paginator(selectors.seal_uses(chosen), PAGE_SIZE).get_page(request.GET.get("page"))
        if chosen
        else None
    )
    return render(
        request,
        "desks/issuing/seals.html",
        {
            "seals": registry,
            "chosen": chosen,
            "uses": uses,
            # The suspend / reinstate form shows on the seals of the centres where the user keeps seals.
            "keeper_centres": set(selectors.keeper_centres(request.user)),
        },
    )


@login_required
@permission_required(services.KEEP_SEALS, raise_exception=True)
@require_POST
def seal_status(request, pk):
    seal = get_object_or_404(selectors.seals_at_desk(request.user), pk=pk)
    if not services.keeps_seals_at(request.user, seal.department.centre_id):
        raise PermissionDenied  # an issuer here who keeps seals at another centre
    return perform(
        request,
        SEAL_STATUS,
        obj=seal,
        context={"seal_id": seal.pk, "actor": request.user, "client_ip": client_ip(request)},
        back=f"{reverse('desks:issuing_seals')}?seal={seal.pk}",
    )
