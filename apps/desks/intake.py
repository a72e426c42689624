"""The clerk's desk (综合受理台): find an item or bundle, enter the applicant, work through the
checklist, decide. Thin views over ``apps.cases.services``; the decisions offered come from the
filing's state graph."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.identifiers import validate_resident_id, validate_uscc
from apps.audit.models import TransitionLog
from apps.audit.requests import client_ip
from apps.cases import selectors, services
from apps.cases.applicants import ApplicantData
from apps.cases.codes import AT_A_WINDOW, ApplicantKind, MaterialStatus
from apps.cases.models import ChecklistEntry, Filing
from apps.catalogue import selectors as catalogue
from apps.core.errors import Conflict
from apps.core.errors import error_text as _error_text
from apps.desks.posted import address_id, checked_text, ids_in_names, posted_text, whole_number
from apps.licences.lookup import valid_certificates

CLERK = "accounts.use_intake_desk"
DECISIONS = ("accept", "accept_with_deficiency", "return_for_completion", "refuse", "withdraw")
# Taking an online filing to the window (网上预审) and handing it back: offered from the graph too.
PRE_REVIEW = ("start_pre_review", "release_pre_review")


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


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=gettext_lazy("Applicant type"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        initial=ApplicantKind.PERSON,
    )
    applicant_name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    applicant_id_number = forms.CharField(label=gettext_lazy("Identity number"), max_length=18)
    applicant_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    legal_representative = forms.CharField(
        label=gettext_lazy("Legal representative"), max_length=100, required=False
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=100, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=20, required=False)
    agent_name = forms.CharField(label=gettext_lazy("Agent"), max_length=100, required=False)
    agent_id_number = forms.CharField(
        label=gettext_lazy("Agent's resident ID number"), max_length=18, required=False
    )
    agent_phone = forms.CharField(label=gettext_lazy("Agent's phone"), max_length=20, required=False)

    def applicant(self) -> ApplicantData:
        d = self.cleaned_data
        return ApplicantData(
            kind=d["applicant_kind"],
            name=d["applicant_name"],
            id_number=d["applicant_id_number"],
            phone=d["applicant_phone"],
            legal_representative=d["legal_representative"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
            agent_name=d["agent_name"],
            agent_id_number=d["agent_id_number"],
            agent_phone=d["agent_phone"],
        )


FORM_FIELDS = {
    "kind": "applicant_kind",
    "name": "applicant_name",
    "id_number": "applicant_id_number",
    "phone": "applicant_phone",
}


@login_required
@permission_required(CLERK, raise_exception=True)
def new_filing(request):
    window = _window(request)
    item = bundle = None
    bundle_code = request.GET.get("bundle") or request.POST.get("bundle")
    if bundle_code:
        bundle = get_object_or_404(catalogue.published_bundles(), code=bundle_code, centre=window.centre)
    else:
        item_id = whole_number(request.GET.get("item") or request.POST.get("item"))
        if item_id is None:
            raise BadRequest(_("Choose an item of this service centre."))
        item = get_object_or_404(catalogue.offered_items(), pk=item_id, lineage__centre=window.centre)
    form = ApplicantForm(request.POST or None)
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
            for field, errors in error.message_dict.items():
                form.add_error(
                    FORM_FIELDS.get(field, field) if FORM_FIELDS.get(field, field) in form.fields else None,
                    errors,
                )
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
    available = {t.name for t in filing.get_available_state_transitions()}
    held = valid_certificates(filing.applicant_id_number)
    _offer_held_certificates(filing, held)
    context = {
        "filing": filing,
        "decisions": [name for name in DECISIONS if name in available],
        "pre_review": [name for name in PRE_REVIEW if name in available],
        # The checklist is worked on where the window may decide (a draft, or an online filing taken).
        "editable": filing.state in AT_A_WINDOW,
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


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def record_material(request, pk, material_id):
    filing = _filing(request, pk)
    try:
        services.record_material(
            **_acting(request, filing),
            material_id=address_id(material_id),
            status=request.POST.get("status", ""),
            note=posted_text(request.POST, "note", ChecklistEntry),
            certificate_reference=posted_text(request.POST, "certificate_reference", ChecklistEntry),
        )
    except (ValidationError, Conflict, ValueError) as error:
        messages.error(request, _error_text(error))
    return redirect("desks:intake_filing", filing.pk)


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def all_received(request, pk):
    """Every material not checked yet: received as an original (the common case, in one keystroke)."""
    filing = _filing(request, pk)
    unchecked = [e.material_id for e in filing.checklist.all() if e.status == MaterialStatus.PENDING]
    try:
        services.record_materials(
            **_acting(request, filing),
            records=[services.MaterialRecord(mid, MaterialStatus.ORIGINAL) for mid in unchecked],
        )
    except (ValidationError, Conflict) as error:
        messages.error(request, _error_text(error))
    return redirect("desks:intake_filing", filing.pk)


def _acting(request, filing) -> dict:
    """Who acts on the filing, where and from which address: what every window action records."""
    return {
        "filing_id": filing.pk,
        "actor": request.user,
        "window": selectors.window_for(request.user, filing),
        "client_ip": client_ip(request),
    }


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def pre_review(request, pk, action):
    """Take an online filing for pre-review at this window, or hand it back to the centre's queue."""
    if action not in PRE_REVIEW:
        raise PermissionDenied
    filing = _filing(request, pk)
    common = _acting(request, filing)
    try:
        if action == "start_pre_review":
            services.start_pre_review(**common)
        else:
            services.release_pre_review(
                reason=posted_text(request.POST, "reason", TransitionLog, "comment"), **common
            )
    except (ValidationError, Conflict) as error:
        messages.error(request, _error_text(error))
        return redirect("desks:intake_filing", filing.pk)
    if action == "release_pre_review":
        messages.success(request, _("Handed back to the pre-review queue."))
        return redirect("desks:intake")
    return redirect("desks:intake_filing", filing.pk)


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def upload_material(request, pk, material_id):
    filing = _filing(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            acting = _acting(request, filing)
            services.attach_upload(
                filing_id=filing.pk,
                material_id=address_id(material_id),
                file=upload,
                actor=request.user,
                window=acting["window"],
                client_ip=acting["client_ip"],
            )
        except (ValidationError, Conflict) as error:
            messages.error(request, _error_text(error))
    return redirect("desks:intake_filing", filing.pk)


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def decide(request, pk, decision):
    if decision not in DECISIONS:
        raise PermissionDenied
    filing = _filing(request, pk)
    common = _acting(request, filing)
    post = request.POST
    try:
        if decision == "accept":
            services.accept(**common)
        elif decision == "accept_with_deficiency":
            raw = post.get("commitment_date") or ""
            services.accept_with_deficiency(
                commitment_date=dt.date.fromisoformat(raw) if raw else None, **common
            )
        elif decision == "return_for_completion":
            corrections = [
                {
                    "material": material,
                    "reason": checked_text(value, name=name, model=Filing, field="completion_list"),
                }
                for material, name, value in ids_in_names(post, "reason_")
            ]
            general = posted_text(post, "general_reason", Filing, "completion_list")
            if general.strip():
                corrections.append({"material": None, "reason": general})
            services.return_for_completion(corrections=corrections, **common)
        elif decision == "refuse":
            services.refuse(
                reasons=posted_text(post, "reasons", Filing, "decision_reasons"),
                legal_basis=posted_text(post, "legal_basis", Filing, "decision_legal_basis"),
                **common,
            )
        else:
            services.withdraw(reason=posted_text(post, "reason", TransitionLog, "comment"), **common)
    except (ValidationError, Conflict, ValueError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("desks:intake_filing", filing.pk)
