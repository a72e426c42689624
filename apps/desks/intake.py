"""The clerk's desk (综合受理台): find an item or bundle, enter the applicant, work through the
checklist, decide. Thin views over ``apps.cases.services``: what a page posts is checked by its form
(``apps.desks.forms.intake``) and run through the tables below (``apps.desks.actions``); the decisions
offered come from the filing's state graph."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from apps.accounts.identifiers import validate_resident_id, validate_uscc
from apps.accounts.permissions import Perm
from apps.audit.input_limits import FREE_TEXT_MAX_LENGTH
from apps.audit.requests import client_ip
from apps.cases import selectors, services
from apps.cases.codes import AT_A_WINDOW, ApplicantKind, FilingState, MaterialStatus
from apps.cases.models import Filing
from apps.cases.notices.models import Notice, NoticeKind
from apps.catalogue import selectors as catalogue
from apps.core.errors import Conflict, error_text
from apps.desks.actions import Action, FromResult, dispatch, perform, problems, run, tell
from apps.desks.forms import intake as forms
from apps.desks.forms.base import NoInput
from apps.licences.lookup import valid_certificates
from apps.visits.calling import link_filing
from apps.visits.calling_selectors import current_ticket

CLERK = Perm.USE_INTAKE_DESK


def _notice_number(filing, kind: str) -> str:
    """The number of the notice the decision just issued (one of each kind per filing)."""
    return Notice.objects.filter(filing_id=filing.pk, kind=kind).values_list("number", flat=True).get()


def _accepted(filing) -> str:
    return _("Accepted: acceptance notice No. %(number)s issued.") % {
        "number": _notice_number(filing, NoticeKind.ACCEPTANCE)
    }


def _accepted_with_deficiency(filing) -> str:
    return _(
        "Accepted with a deficiency: notice No. %(number)s issued; the missing materials are due by %(date)s."
    ) % {"number": _notice_number(filing, NoticeKind.DEFICIENCY), "date": filing.commitment_date}


def _returned(filing) -> str:
    return _("Returned for completion: one-time notice No. %(number)s issued.") % {
        "number": _notice_number(filing, NoticeKind.COMPLETION)
    }


def _refused(filing) -> str:
    return _("Refused: notice of refusal No. %(number)s issued.") % {
        "number": _notice_number(filing, NoticeKind.REFUSAL)
    }


def _correction_answered(correction) -> str:
    return _("Correction recorded: %(item)s is back in review, its clock running again.") % {
        "item": correction.case.item.name
    }


def _deficiency_step(filing) -> str:
    missing = list(
        filing.checklist.filter(status=MaterialStatus.DEFICIENT).values_list("material__name", flat=True)
    )
    if missing:
        return _("Recorded as handed in. Still missing: %(materials)s.") % {"materials": "、".join(missing)}
    if filing.state == FilingState.READY_FOR_ISSUE:
        return _(
            "All missing materials handed in: the deficiency is cleared and the filing is ready for issue."
        )
    return _(
        "All missing materials handed in: the deficiency is cleared; the filing goes to issue once its "
        "cases are decided."
    )


def _marked(entries) -> str:
    """What "all originals received" did: the materials it marked (the rest is the clerk's)."""
    if not entries:
        return _("Nothing marked: no required original is left unchecked.")
    names = "、".join(entry.material.name for entry in entries)
    return _("Originals received: %(materials)s. Check the rest one by one.") % {"materials": names}


DECIDE = "decide"  # where a decision's messages are shown on the filing's page (its panel's id)
# The window's decisions, each with its form and service; offered as the filing's graph allows.
DECISION_ACTIONS = {
    "accept": Action(NoInput, services.accept, FromResult(_accepted), place=DECIDE),
    "accept_with_deficiency": Action(
        forms.DeficiencyForm,
        services.accept_with_deficiency,
        FromResult(_accepted_with_deficiency),
        place=DECIDE,
    ),
    "return_for_completion": Action(
        forms.CompletionForm, services.return_for_completion, FromResult(_returned), place=DECIDE
    ),
    "refuse": Action(forms.RefusalForm, services.refuse, FromResult(_refused), place=DECIDE),
    "withdraw": Action(
        forms.ReasonForm,
        services.withdraw,
        gettext_lazy("Withdrawn at the applicant's request; any cases it opened are withdrawn with it."),
        place=DECIDE,
    ),
}
# What the window records after the acceptance: a correction (补正) handed in, a missing material
# (容缺) handed in. Offered where the filing has one open.
ANSWER_ACTIONS = {
    "answer_correction": Action(
        forms.AnswerCorrectionForm,
        services.answer_filing_correction,
        FromResult(_correction_answered),
        place="corrections",
    ),
    "clear_deficiency": Action(
        forms.ClearDeficiencyForm, services.clear_deficiency, FromResult(_deficiency_step), place="deficiency"
    ),
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
# The checklist, one material (its id in the address) or all not checked yet at once; answered in
# place (htmx: the row, or the checklist), or as a page for a browser without script.
CHECKLIST = "checklist"
RECORD_MATERIAL = Action(forms.RecordMaterialForm, services.record_material, None, place=CHECKLIST)
UPLOAD = Action(forms.UploadForm, services.attach_upload, gettext_lazy("File uploaded."), place=CHECKLIST)
ALL_RECEIVED = Action(forms.AllReceivedForm, services.record_materials, FromResult(_marked), place=CHECKLIST)


def _window(request):
    """The window this desk works at: the clerk's usual window (new filings are made there)."""
    window = selectors.desk_window(request.user)
    if window is None:
        raise PermissionDenied(_("You have no window: ask an administrator to assign your usual window."))
    return window


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
    # The person the window is serving (叫号): their ticket's name and ID fill the form in, and the
    # filing is linked to the ticket.
    ticket = current_ticket(window.pk)
    form = forms.WindowFilingForm(request.POST or None, initial=_from_ticket(ticket), centre=window.centre)
    if request.method == "POST" and form.is_valid():
        try:
            filing = services.open_filing(
                centre=window.centre,
                window=window,
                applicant=form.applicant(),
                item_ids=[item.pk] if item else None,
                bundle=bundle,
                resubmission_of=form.cleaned_data["resubmission_of"],
                actor=request.user,
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            if ticket is not None:
                _link_to_ticket(request, ticket, filing)
            return redirect("desks:intake_filing", filing.pk)
    # The applicant's returned filings here, offered to link (一次性告知 answered at the window); the
    # identity field refreshes them as the clerk types (``check_identity``).
    answerable = form.answerable(form["applicant_id_number"].value() or "")
    context = {"form": form, "item": item, "bundle": bundle, "window": window, "answerable": answerable}
    return render(request, "desks/intake/new.html", context)


def _from_ticket(ticket) -> dict:
    """What the ticket knows of the person served: their name and ID, and a booking's phone."""
    if ticket is None or not (ticket.name or ticket.id_number):
        return {}
    initial = {"applicant_name": ticket.name, "applicant_id_number": ticket.id_number}
    if ticket.appointment_id is not None:
        initial["applicant_phone"] = ticket.appointment.phone
    return initial


def _link_to_ticket(request, ticket, filing) -> None:
    """The new filing is made for the ticket the window serves. The filing stands if the ticket moved
    on meanwhile (finished or transferred in another tab): the clerk is told, nothing else fails."""
    try:
        link_filing(
            ticket_id=ticket.pk, filing_id=filing.pk, actor=request.user, client_ip=client_ip(request)
        )
    except (Conflict, ValidationError, PermissionDenied) as error:
        messages.warning(
            request,
            _("The filing was not linked to ticket %(ticket)s: %(reason)s")
            % {"ticket": ticket.number, "reason": error_text(error)},
        )


@login_required
@permission_required(CLERK, raise_exception=True)
def check_identity(request):
    """Instant validation of an identity number as the clerk types (htmx), and, out of band, the
    applicant's filings returned for completion at the clerk's centre (to link the new one to)."""
    kind, number = request.GET.get("applicant_kind"), (request.GET.get("applicant_id_number") or "").strip()
    if not number:
        return HttpResponse(_answerable_fragment(request, []))
    try:
        (validate_uscc if kind == ApplicantKind.ORGANISATION else validate_resident_id)(number)
    except ValidationError as error:
        alert = f'<span class="error" role="alert">{escape(" ".join(error.messages))}</span>'
        return HttpResponse(alert + _answerable_fragment(request, []))
    valid = _("Valid")  # outside the f-string, where xgettext finds it
    window = selectors.desk_window(request.user)
    answerable = forms.answerable_filings(window.centre, number) if window is not None else []
    return HttpResponse(f'<span class="ok">✓ {valid}</span>' + _answerable_fragment(request, answerable))


def _answerable_fragment(request, answerable) -> str:
    return render_to_string(
        "desks/intake/_answerable.html", {"answerable": answerable, "oob": True}, request=request
    )


def _filing(request, pk) -> Filing:
    """A filing of a centre where the user is a window clerk (404 for any other)."""
    return get_object_or_404(selectors.filing_detail(selectors.filings_at_windows(request.user)), pk=pk)


@login_required
@permission_required(CLERK, raise_exception=True)
def filing(request, pk):
    filing = _filing(request, pk)
    typed = request.session.pop(TYPED, None)
    if typed and typed.get("filing") == filing.pk:
        return _page(request, filing, typed=typed["action"], data=typed["data"])
    return _page(request, filing)


def _page(request, filing, *, typed: str | None = None, data: dict | None = None):
    """The filing's page; after a refused post, with what was typed (``data``, posted to the action
    ``typed``) back in its fields."""
    available = {t.name for t in filing.get_available_user_state_transitions(request.user)}
    held = valid_certificates(filing.applicant_id_number)
    _offer_held_certificates(filing, held)
    decisions = _decisions(request, filing, available)
    data = data or {}
    if typed == "return_for_completion":
        for entry in filing.checklist.all():
            entry.typed_reason = data.get(f"reason_{entry.material_id}", "")
    corrections = [
        correction
        for case in filing.cases.all()
        for correction in case.corrections.all()
        if correction.is_open
    ]
    for correction in corrections:
        if typed == "answer_correction" and data.get("correction") == str(correction.pk):
            correction.typed_answer = data.get("answer", "")
    context = {
        "filing": filing,
        "decisions": decisions,
        "pre_review": [name for name in PRE_REVIEW_ACTIONS if name in available],
        "editable": _editable(filing, decisions),
        "statuses": MaterialStatus.choices,
        "today": timezone.localdate(),
        "certificates": held,
        "corrections": corrections,
        "deficient": [e for e in filing.checklist.all() if e.status == MaterialStatus.DEFICIENT]
        if filing.has_open_deficiency
        else [],
        "handed_in": forms.HANDED_IN,
        "typed": typed,
        "data": data,
    }
    return render(request, "desks/intake/filing.html", context)


def _decisions(request, filing, available=None) -> list[str]:
    """The window's decisions the filing's graph offers this user now."""
    if available is None:
        available = {t.name for t in filing.get_available_user_state_transitions(request.user)}
    return [name for name in DECISION_ACTIONS if name in available]


def _editable(filing, decisions) -> bool:
    # The checklist is worked on where the window may decide (a draft, or an online filing taken)
    # and this clerk may: not on another clerk's pre-review (the graph's permission says so).
    return filing.state in AT_A_WINDOW and bool(decisions)


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


def _fresh(request, pk) -> Filing:
    """The filing as it is now, after an action, with what its page shows of it."""
    filing = _filing(request, pk)
    _offer_held_certificates(filing, valid_certificates(filing.applicant_id_number))
    return filing


def _in_place(request, pk, action: Action, *, material_id=None):
    """A checklist action answered in place (htmx): the row of the material (or, for all at once, the
    checklist), with what went wrong at the row, and the page staying where it is. Without htmx the
    page comes back at the checklist, with the same words."""
    on = _on_filing(request, pk)
    address = {"material": material_id} if material_id is not None else None
    if not request.htmx:
        return perform(request, action, address=address, **on)
    outcome = run(request, action, obj=on["obj"], context=on["context"], address=address)
    filing = _fresh(request, pk)
    context = {
        "filing": filing,
        "editable": _editable(filing, _decisions(request, filing)),
        "statuses": MaterialStatus.choices,
        "errors": outcome.errors,
        "done": outcome.done,
    }
    if material_id is None:
        return render(request, "desks/intake/_checklist.html", context)
    entry = next((e for e in filing.checklist.all() if e.material_id == material_id), None)
    if entry is None:  # not on this filing's list (a made-up id): said at the checklist's top
        return retarget(
            reswap(render(request, "desks/intake/_checklist.html", context), "outerHTML"), "#checklist"
        )
    context.update(entry=entry, saved=outcome.ok)
    return render(request, "desks/intake/_checklist_row.html", context)


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def record_material(request, pk, material_id):
    return _in_place(request, pk, RECORD_MATERIAL, material_id=material_id)


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def all_received(request, pk):
    """全部收取原件: each required material asked for as an original and not checked yet, received as
    an original (the common case, in one keystroke); the rest is left for the clerk."""
    return _in_place(request, pk, ALL_RECEIVED)


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def upload_material(request, pk, material_id):
    return _in_place(request, pk, UPLOAD, material_id=material_id)


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def pre_review(request, pk, action):
    """Take an online filing for pre-review at this window, or hand it back to the centre's queue."""
    return dispatch(request, PRE_REVIEW_ACTIONS, action, **_on_filing(request, pk))


# What the filing's page posts to ``decide``: the window's decisions, and its answers after them.
WINDOW_ACTIONS = {**DECISION_ACTIONS, **ANSWER_ACTIONS}


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def decide(request, pk, decision):
    """A decision, or an answer after it (a correction, a missing material). Back on the page at the
    action, with the words of what happened; refused, with what was typed still in its fields."""
    action = WINDOW_ACTIONS.get(decision)
    on = _on_filing(request, pk)
    if action is None:
        return dispatch(request, WINDOW_ACTIONS, decision, **on)
    outcome = run(request, action, obj=on["obj"], context=on["context"], offered=decision)
    tell(request, action, outcome)
    if not outcome.ok:
        request.session[TYPED] = {"filing": on["obj"].pk, "action": decision, "data": _typed(outcome.form)}
    return redirect(f"{on['back']}#{action.place}")


TYPED = "intake_typed"  # the session's key for what a refused post had typed, until the page shows it


def _typed(form) -> dict[str, str]:
    """What was typed into the form's own fields (no other name), each cut to what its field takes:
    the page shows it again in its fields after the refusal."""
    typed = {}
    for name, field in form.fields.items():
        value = form.data.get(name)
        if isinstance(value, str) and value:
            typed[name] = value[: getattr(field, "max_length", None) or FREE_TEXT_MAX_LENGTH]
    return typed
