"""The clerk's desk (综合受理台): find an item or bundle, enter the applicant, work through the
checklist, decide. Thin views over ``apps.cases.services``: what a page posts is checked by its form
(``apps.desks.forms.intake``) and run through the tables below (``apps.desks.actions``); the decisions
offered come from the filing's state graph."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.identifiers import validate_resident_id, validate_uscc
from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip
from apps.cases import selectors, services
from apps.cases.codes import AT_A_WINDOW, ApplicantKind, MaterialStatus
from apps.cases.models import Filing
from apps.catalogue import selectors as catalogue
from apps.desks.actions import Action, dispatch, perform, problems
from apps.desks.forms import intake as forms
from apps.desks.forms.base import NoInput
from apps.licences.lookup import valid_certificates

CLERK = Perm.USE_INTAKE_DESK
DECIDED = gettext_lazy("Decision recorded.")
# The window's decisions, each with its form and service; offered as the filing's graph allows.
DECISION_ACTIONS = {
    "accept": Action(NoInput, services.accept, DECIDED),
    "accept_with_deficiency": Action(forms.DeficiencyForm, services.accept_with_deficiency, DECIDED),
    "return_for_completion": Action(forms.CompletionForm, services.return_for_completion, DECIDED),
    "refuse": Action(forms.RefusalForm, services.refuse, DECIDED),
    "withdraw": Action(forms.ReasonForm, services.withdraw, DECIDED),
}
# Taking an online filing to the window (网上预审) and handing it back: offered from the graph too.
PRE_REVIEW_ACTIONS = {
    "start_pre_review": Action(NoInput, services.start_pre_review, None),
    "release_pre_review": Action(
        forms.ReasonForm,
        services.release_pre_review,
        gettext_lazy("Handed back to the pre-review queue."),
        then="desks:intake",
    ),
}
# The checklist, one material (its id in the address) or all not checked yet at once.
RECORD_MATERIAL = Action(forms.RecordMaterialForm, services.record_material, None)
UPLOAD = Action(forms.UploadForm, services.attach_upload, None)
ALL_RECEIVED = Action(forms.AllReceivedForm, services.record_materials, None)


def _window(request):
    """The window this desk works at: the clerk's usual window (new filings are made there)."""
    window = selectors.desk_window(request.user)
    if window is None:
        raise PermissionDenied(_("You have no window: ask an administrator to assign your usual window."))
    return window


def desk_context(request) -> dict:
    window = selectors.desk_window(request.user)
    today = timezone.localdate()
    filings, awaiting, mine = [], [], []
    if window is not None:
        filings = list(
            Filing.objects.filter(window=window, created_at__date=today)
            .only("number", "state", "applicant_name", "applicant_id_number", "created_at")
            .order_by("-created_at")[:50]
        )
        awaiting = list(selectors.awaiting_pre_review(window.centre_id)[:20])
        mine = list(selectors.in_pre_review_by(request.user))
    return {
        "window": window,
        "today_filings": filings,
        "awaiting_pre_review": awaiting,
        "my_pre_reviews": mine,
    }


def _offered(request, q: str):
    window = _window(request)
    items = catalogue.search_items(catalogue.offered_items().filter(lineage__centre=window.centre), q=q)
    bundles = catalogue.search_bundles(catalogue.published_bundles().filter(centre=window.centre), q=q)
    return list(items.only(*catalogue.LIST_ROW_FIELDS)[:15]), list(bundles[:5])


@login_required
@permission_required(CLERK, raise_exception=True)
def search(request):
    """Items and bundles of the clerk's centre, by name, code or pinyin initials (htmx fragment)."""
    items, bundles = _offered(request, request.GET.get("q", ""))
    return render(request, "desks/intake/_search_results.html", {"items": items, "bundles": bundles})


@login_required
@permission_required(CLERK, raise_exception=True)
def new_filing(request):
    window = _window(request)
    target = forms.FilingTargetForm.of(request)
    if not target.is_valid():
        raise BadRequest(" ".join(problems(target)))
    item = bundle = None
    if target.cleaned_data["bundle"]:
        bundle = get_object_or_404(
            catalogue.published_bundles(), code=target.cleaned_data["bundle"], centre=window.centre
        )
    else:
        item = get_object_or_404(
            catalogue.offered_items(), pk=target.cleaned_data["item"], lineage__centre=window.centre
        )
    form = forms.ApplicantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filing = services.open_filing(
                centre=window.centre,
                window=window,
                applicant=form.applicant(),
                item_ids=[item.pk] if item else None,
                bundle=bundle,
                actor=request.user,
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            return redirect("desks:intake_filing", filing.pk)
    return render(
        request, "desks/intake/new.html", {"form": form, "item": item, "bundle": bundle, "window": window}
    )


@login_required
@permission_required(CLERK, raise_exception=True)
def check_identity(request):
    """Instant validation of an identity number as the clerk types (htmx)."""
    kind, number = request.GET.get("applicant_kind"), (request.GET.get("applicant_id_number") or "").strip()
    if not number:
        return HttpResponse("")
    try:
        (validate_uscc if kind == ApplicantKind.ORGANISATION else validate_resident_id)(number)
    except ValidationError as error:
        return HttpResponse(f'<span class="error" role="alert">{escape(" ".join(error.messages))}</span>')
    valid = _("Valid")  # outside the f-string, where xgettext finds it
    return HttpResponse(f'<span class="ok">✓ {valid}</span>')


def _filing(request, pk) -> Filing:
    """A filing of a centre where the user is a window clerk (404 for any other)."""
    return get_object_or_404(selectors.filing_detail(selectors.filings_at_windows(request.user)), pk=pk)


@login_required
@permission_required(CLERK, raise_exception=True)
def filing(request, pk):
    filing = _filing(request, pk)
    available = {t.name for t in filing.get_available_user_state_transitions(request.user)}
    held = valid_certificates(filing.applicant_id_number)
    _offer_held_certificates(filing, held)
    decisions = [name for name in DECISION_ACTIONS if name in available]
    context = {
        "filing": filing,
        "decisions": decisions,
        "pre_review": [name for name in PRE_REVIEW_ACTIONS if name in available],
        # The checklist is worked on where the window may decide (a draft, or an online filing taken)
        # and this clerk may: not on another clerk's pre-review (the graph's permission says so).
        "editable": filing.state in AT_A_WINDOW and bool(decisions),
        "statuses": MaterialStatus.choices,
        "today": timezone.localdate(),
        "certificates": held,
    }
    return render(request, "desks/intake/filing.html", context)


def _offer_held_certificates(filing, held) -> None:
    """Each replaceable material's row offers the applicant's valid certificates of its type, so that
    the clerk picks one (免证可办) rather than types a number."""
    by_type = {}
    for certificate in held:
        by_type.setdefault(certificate.licence_type_id, []).append(certificate)
    for entry in filing.checklist.all():  # the prefetched rows the page shows
        entry.held_certificates = by_type.get(entry.replaceable_by_id, [])


def _acting(request, filing) -> dict:
    """Who acts on the filing, where and from which address: what every window action records."""
    return {
        "filing_id": filing.pk,
        "actor": request.user,
        "window": selectors.window_for(request.user, filing),
        "client_ip": client_ip(request),
    }


def _on_filing(request, pk) -> dict:
    """The filing acted on (404 outside the clerk's centres), who acts, and the page to go back to."""
    filing = _filing(request, pk)
    return {
        "obj": filing,
        "context": _acting(request, filing),
        "back": reverse("desks:intake_filing", args=[filing.pk]),
    }


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def record_material(request, pk, material_id):
    return perform(request, RECORD_MATERIAL, address={"material": material_id}, **_on_filing(request, pk))


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def all_received(request, pk):
    """Every material not checked yet: received as an original (the common case, in one keystroke)."""
    return perform(request, ALL_RECEIVED, **_on_filing(request, pk))


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def upload_material(request, pk, material_id):
    return perform(request, UPLOAD, address={"material": material_id}, **_on_filing(request, pk))


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def pre_review(request, pk, action):
    """Take an online filing for pre-review at this window, or hand it back to the centre's queue."""
    return dispatch(request, PRE_REVIEW_ACTIONS, action, **_on_filing(request, pk))


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def decide(request, pk, decision):
    return dispatch(request, DECISION_ACTIONS, decision, **_on_filing(request, pk))
