"""The online hall's pages: "my hall" and a filing's page, with what a citizen does there after
submitting — answer a correction (补正), resubmit after a 一次性告知, withdraw.

Thin views: the reads are ``apps.cases`` selectors, the actions its services (the same the window and
the API use). A filing the account may not see is a 404, never a 403: its existence is not told.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip
from apps.cases import online, services
from apps.cases.citizen_view import NextAction, filing_timeline, my_hall, working_days_left
from apps.cases.codes import ApplicantKind, FilingState, MaterialStatus
from apps.cases.models import Case, ChecklistEntry, CorrectionRequest, Filing
from apps.core.errors import Conflict, error_text
from apps.feedback.selectors import unrated
from apps.portal.forms import AnswerCorrectionForm, WithdrawForm

S = FilingState


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


# --- what to do next on a filing (its card in my hall, the top of its page) ---

# The states in which the applicant's own account may withdraw (the graph's, less the pre-review: a
# clerk is checking the materials then, and the service says so).
WITHDRAWABLE = (S.SUBMITTED, S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY)
DELIVERY_CHOSEN_IN = (S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY, S.READY_FOR_ISSUE)
# How a state reads to the applicant: waiting on the hall, their turn, done, or stopped.
TONES = {
    S.DRAFT: "draft",
    S.RETURNED: "act",
    S.READY_FOR_ISSUE: "act",
    S.ISSUED: "done",
    S.DELIVERED: "done",
    S.CLOSED: "done",
    S.REJECTED: "stopped",
    S.WITHDRAWN: "stopped",
    S.TERMINATED: "stopped",
}


@dataclass(frozen=True)
class NextStep:
    """What the applicant should do now (``act``), or what the hall is doing (``wait``), or that it
    is over (``done``); with the date it is due by and where to do it on the page or elsewhere."""

    tone: str
    what: str
    due_on: object = None
    url: str = ""
    button: str = ""


def _url(name: str, *args) -> str:
    """A route of another part of the hall (the wizard, the delivery choice), empty until it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _next_step(filing: Filing, resubmission: Filing | None = None) -> NextStep:
    """The one thing to tell first about a filing, on its card in my hall and on its page: from the
    ``next_action`` and ``action_due_on`` that ``citizen_view.my_hall`` annotated (one rule of what
    comes first, for the pages, the API and the order of my hall)."""
    page = reverse("portal:filing", args=[filing.pk])
    action, due_on = filing.next_action, filing.action_due_on
    if action == NextAction.DRAFT:
        return NextStep(
            "act",
            _("Finish your application and submit it."),
            url=_url("portal:wizard_materials", filing.pk),
            button=_("Continue the application"),
        )
    if action == NextAction.CORRECTION:
        return NextStep(
            "act",
            _("A department asks you to correct your materials."),
            due_on=due_on,
            url=f"{page}#corrections",
            button=_("Answer the correction"),
        )
    if action == NextAction.COMPLETION:
        return NextStep(
            "act",
            _("The window needs more materials: complete what it listed and submit again."),
            url=f"{page}#completion",
            button=_("See what to complete"),
        )
    if action == NextAction.DEFICIENCY:
        return NextStep(
            "act",
            _("Hand in the missing materials at a window of the centre."),
            due_on=due_on,
            url=f"{page}#materials",
            button=_("See what is missing"),
        )
    if action == NextAction.DELIVERY:
        return NextStep(
            "act",
            _("Your documents are ready to be issued: choose how to receive them."),
            url=_url("portal:delivery", filing.pk),
            button=_("Choose collection or post"),
        )
    if action == NextAction.DOCUMENTS:
        return NextStep(
            "act", _("Your documents are issued: collect them as you chose, or wait for the post.")
        )
    if filing.state == S.RETURNED and resubmission is not None:
        return NextStep(
            "done",
            _("Submitted again as filing %(number)s.") % {"number": resubmission.number},
            url=reverse("portal:filing", args=[resubmission.pk]),
            button=_("Open the new filing"),
        )
    waiting = {
        S.SUBMITTED: _("Submitted: a window of the centre will check your materials."),
        S.PRE_REVIEW: _("A window is checking your materials now."),
        S.ACCEPTED: _("Accepted: the departments are reviewing it."),
        S.ACCEPTED_WITH_DEFICIENCY: _("Accepted: the departments are reviewing it."),
        S.READY_FOR_ISSUE: _("Your documents are being issued."),
        S.ISSUED: _("Your documents are issued."),
        S.DELIVERED: _("Your documents are delivered."),
        S.CLOSED: _("This filing is completed."),
        S.RETURNED: _("Returned for completion."),
        S.REJECTED: _("The filing was not accepted: see the reasons on its page."),
        S.WITHDRAWN: _("You withdrew this filing."),
        S.TERMINATED: _("This filing was ended by the hall's rules."),
    }
    tone = "done" if TONES.get(filing.state) in ("done", "stopped") else "wait"
    return NextStep(tone, waiting.get(filing.state, filing.get_state_display()))


def _title(filing: Filing) -> str:
    if filing.bundle_id:
        return filing.bundle.name
    return "、".join(filed.item.name for filed in filing.items.all())


def _organisation(filing: Filing) -> str:
    """The organisation filed for (empty for the account holder's own filing)."""
    return filing.applicant_name if filing.applicant_kind == ApplicantKind.ORGANISATION else ""


# --- my hall ---

PER_PAGE = 20


@dataclass(frozen=True)
class Card:
    """A filing in my hall: the filing, what to do next and the promised completion date."""

    filing: Filing
    next_step: NextStep
    tone: str
    title: str
    promised: object
    days_left: int | None
    organisation: str = ""


def _cards(filings) -> list[Card]:
    """Cards of one page of ``my_hall``'s filings: its annotations and two prefetches (the items for
    the title, the resubmission of a returned filing), no query per filing."""
    cards = []
    for filing in filings:
        resubmissions = list(filing.resubmissions.all())
        cards.append(
            Card(
                filing=filing,
                next_step=_next_step(filing, resubmissions[0] if resubmissions else None),
                tone=TONES.get(filing.state, "wait"),
                title=_title(filing),
                promised=filing.due_on,
                days_left=working_days_left(filing),
                organisation=_organisation(filing),
            )
        )
    return cards


@citizen_required
def home(request):
    """我的办事大厅: the citizen's filings (and their organisations'), what needs doing first."""
    filings = my_hall(request.user).prefetch_related(
        "items__item",
        Prefetch("resubmissions", Filing.objects.only("pk", "number", "resubmission_of_id")),
    )
    page = Paginator(filings, PER_PAGE).get_page(request.GET.get("page"))
    cards = _cards(page.object_list)
    context = {
        "portal_page": "home",
        "cards": cards,
        "page": page,
        # Over every page, not this one only (one COUNT).
        "needs_action": filings.exclude(next_action=NextAction.NONE).count() if cards else 0,
        # 去评价 on the cards with an act not rated yet (two queries for the page).
        "unrated": unrated(page.object_list),
    }
    return render(request, "portal/home.html", context)


# --- a filing's page ---


def _own_filing(request, pk: int) -> Filing:
    """The filing as ``my_hall`` has it (with what to do next), if the account may see it as an
    applicant — its own, or an organisation's it acts for today; anyone else's is a 404."""
    cases = Case.objects.select_related("clock", "department", "item").prefetch_related(
        Prefetch("corrections", CorrectionRequest.objects.prefetch_related("files"))
    )
    return get_object_or_404(
        my_hall(request.user)
        .select_related("centre")
        .prefetch_related(
            "items__item",
            Prefetch("checklist", ChecklistEntry.objects.select_related("material")),
            Prefetch("cases", cases.order_by("pk")),
            "notices",
        ),
        pk=pk,
    )


def _completion_list(filing: Filing) -> list[dict]:
    """The 一次性告知's lines with their material's name (a line may concern no material)."""
    names = {entry.material_id: entry.material.name for entry in filing.checklist.all()}
    return [
        {"material": names.get(line.get("material"), ""), "reason": line.get("reason", "")}
        for line in filing.completion_list
    ]


def _page(request, filing: Filing, *, answer_forms=None, withdraw_form=None, status=200):
    cases = list(filing.cases.all())
    corrections = [c for case in cases for c in case.corrections.all()]
    names = {c.pk: case.item.name for case in cases for c in case.corrections.all()}
    answer_forms = answer_forms or {}
    materials = {entry.material_id: entry.material.name for entry in filing.checklist.all()}
    delivery_url = _url("portal:delivery", filing.pk)
    resubmission = filing.resubmissions.only("pk", "number").first() if filing.state == S.RETURNED else None
    timeline = filing_timeline(filing)
    context = {
        "portal_page": "filing",
        "filing": filing,
        "tone": TONES.get(filing.state, "wait"),
        "next_step": _next_step(filing, resubmission),
        "items": [filed.item for filed in filing.items.all()],
        "promised": filing.due_on,
        "provisional": any(case.clock.provisional for case in cases),
        "days_left": working_days_left(filing),
        "organisation": _organisation(filing),
        "progress": timeline.departments,
        "timeline": timeline.steps,
        "completion": _completion_list(filing) if filing.state == S.RETURNED else [],
        "deficient": [e for e in filing.checklist.all() if e.status == MaterialStatus.DEFICIENT],
        "corrections": [
            {
                "request": c,
                "item": names[c.pk],
                # What to correct, each line with the material it concerns (if it names one).
                "lines": [
                    {"material": materials.get(line.get("material"), ""), "what": line.get("what", "")}
                    for line in c.items
                ],
                "form": answer_forms.get(c.pk) or AnswerCorrectionForm(correction_id=c.pk),
            }
            for c in corrections
        ],
        # A correction is answered by an account that speaks for the applicant today (the review
        # service's rule, as for every other online action).
        "answers_corrections": online.acts_for_applicant(filing, request.user),
        "notices": list(filing.notices.all()),
        "refused": filing.state == S.REJECTED,
        "resubmission": resubmission,
        "resubmit_url": reverse("portal:filing_resubmit", args=[filing.pk]),
        "may_withdraw": filing.state in WITHDRAWABLE or filing.state == S.PRE_REVIEW,
        "withdraw_waits": filing.state == S.PRE_REVIEW,
        "withdraw_url": reverse("portal:filing_withdraw", args=[filing.pk]),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "may_discard": filing.state == S.DRAFT,
        "delivery_url": delivery_url,
        # The delivery choice is the applicant's until the documents are issued.
        "delivery_offered": bool(delivery_url) and filing.state in DELIVERY_CHOSEN_IN,
    }
    return render(request, "portal/filing.html", context, status=status)


@citizen_required
def filing(request, pk):
    """A filing's page: what to do next, the promised date, the outcome, corrections, the timeline."""
    return _page(request, _own_filing(request, pk))


@citizen_required
@require_POST
def answer_correction(request, pk, correction_pk):
    """补正 answered online: a note and files, each file checked by its content (the service's)."""
    filing = _own_filing(request, pk)
    if not any(c.pk == correction_pk for case in filing.cases.all() for c in case.corrections.all()):
        raise Http404
    form = AnswerCorrectionForm(request.POST, request.FILES, correction_id=correction_pk)
    if form.is_valid():
        try:
            services.answer_filing_correction(
                filing_id=filing.pk,
                correction_id=correction_pk,
                answer=form.cleaned_data["answer"],
                files=form.cleaned_data["files"],
                actor=request.user,
                window=None,
                client_ip=client_ip(request),
            )
        except (ValidationError, Conflict, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your correction is sent: the review goes on."))
            return redirect(reverse("portal:filing", args=[filing.pk]) + "#corrections")
    # What was typed stays in the form; the files must be chosen again (a browser never refills them).
    return _page(request, filing, answer_forms={correction_pk: form}, status=400)


@citizen_required
@require_POST
def resubmit(request, pk):
    """一次性告知 answered online: a new draft with what was not on the list carried over, opened at the
    wizard's materials step to supply the rest (a second click lands on the draft made by the first)."""
    filing = _own_filing(request, pk)
    try:
        draft = online.resubmit_returned(
            filing_id=filing.pk, actor=request.user, client_ip=client_ip(request)
        )
    except Conflict as error:
        existing = filing.resubmissions.first()
        if existing is None:
            messages.error(request, error_text(error))
            return redirect("portal:filing", filing.pk)
        draft = existing
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("portal:filing", filing.pk)
    else:
        messages.success(
            request,
            _("A new filing %(number)s is prepared: supply what the notice asked for, then submit it.")
            % {"number": draft.number},
        )
    if draft.state == S.DRAFT and (step := _url("portal:wizard_materials", draft.pk)):
        return redirect(step)
    return redirect("portal:filing", draft.pk)


@citizen_required
@require_POST
def withdraw(request, pk):
    """撤回 by the applicant's own account, while the filing's state allows it (the service's rule)."""
    filing = _own_filing(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            online.withdraw_online(
                filing_id=filing.pk,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                client_ip=client_ip(request),
            )
        except (ValidationError, Conflict, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Withdrawn. Any review it had started is stopped."))
            return redirect("portal:filing", filing.pk)
    return _page(request, filing, withdraw_form=form, status=400)


@citizen_required
@require_POST
def discard(request, pk):
    """A draft never submitted, deleted with its files (the service's rule: only an own draft)."""
    filing = _own_filing(request, pk)
    try:
        online.discard_draft(filing_id=filing.pk, actor=request.user, client_ip=client_ip(request))
    except (ValidationError, Conflict, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("portal:filing", filing.pk)
    messages.success(request, _("Draft %(number)s is deleted.") % {"number": filing.number})
    return redirect("portal:home")
