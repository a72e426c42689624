"""The approval desk (后台审批台): queues, and the review workspace of one case. Thin views over
``apps.cases.review``; the actions offered are the case's available transitions for this user, and
what they post is checked by their forms (``apps.desks.forms.backoffice``) and run through
``ACTIONS``."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip
from apps.audit.selectors import history_of
from apps.cases.codes import CASE_STEPS
from apps.cases.models import Outcome
from apps.cases.review import selectors, services
from apps.certificates import services as certificates
from apps.certificates.models import IssuedDocument
from apps.desks.actions import Action, dispatch, perform
from apps.desks.forms import backoffice as forms
from apps.desks.forms.base import NoInput
from apps.licences.models import STATUS_ON_LABELS, RevocationMode, Standing
from apps.worktime import calendar
from apps.worktime.codes import SpecialProcedure

BACK_OFFICE = Perm.USE_BACKOFFICE_DESK
PAGE_SIZE = 25


def _record_opinion(*, client_ip=None, **arguments):
    # An opinion is a record of its own, not a step of the case's log: no address is kept with it.
    return services.record_opinion(**arguments)


# Each action the graph may offer: its form, its service, and where the clerk goes when it worked.
ACTIONS = {
    "claim": Action(NoInput, services.claim),
    "release": Action(forms.ReleaseForm, services.release, None, then="desks:backoffice"),
    "record_opinion": Action(forms.OpinionForm, _record_opinion),
    "request_correction": Action(forms.CorrectionForm, services.request_correction),
    "start_special_procedure": Action(forms.SpecialProcedureForm, services.start_special_procedure),
    "resume": Action(NoInput, services.resume),
    "extend": Action(forms.ExtensionForm, services.extend),
    "approve": Action(forms.ApprovalForm, services.decide),
    "deny": Action(forms.DenialForm, services.decide),
    "propose_decision": Action(forms.ProposalForm, services.decide),
    # Each names its decision, so that under the row lock the service signs off what the page showed.
    "sign_off_approval": Action(forms.SignOffForm, partial(services.sign_off, outcome=Outcome.APPROVE)),
    "sign_off_denial": Action(forms.SignOffForm, partial(services.sign_off, outcome=Outcome.DENY)),
    "send_back": Action(forms.SignOffForm, services.send_back),
}
# The workspace includes the page form of each action offered.
ACTION_FORMS = {name: f"desks/backoffice/actions/{name}.html" for name in ACTIONS}
# Revoking (撤销) and cancelling (注销) are different acts: the button, the clerk's message and the
# status shown afterwards each name the one chosen.
REVOCATION_VERBS = {
    RevocationMode.REVOKE: gettext_lazy("Revoke the certificate"),
    RevocationMode.CANCEL: gettext_lazy("Cancel the certificate"),
}
REVOCATION_DONE = {
    RevocationMode.REVOKE: gettext_lazy(
        "The certificate is revoked: the library and the verification page say so."
    ),
    RevocationMode.CANCEL: gettext_lazy(
        "The certificate is cancelled: the library and the verification page say so."
    ),
}
# The library stores one status for both (revoked); the mode is the transition its log holds.
CANCELLED = gettext_lazy("Cancelled (licence ended)")
REVOKE = Action(
    forms.RevocationForm,
    certificates.revoke,
    lambda form: REVOCATION_DONE[form.cleaned_data["mode"]],
)


def _case(request, pk):
    return get_object_or_404(selectors.case_detail(selectors.cases_visible_to(request.user)), pk=pk)


@login_required
@permission_required(BACK_OFFICE, raise_exception=True)
def case(request, pk):
    """The review workspace: everything about the case, and what this user may do now."""
    case = _case(request, pk)
    filing = case.filing
    # The identity number in full is shown here only, and every showing is logged.
    identity = services.show_applicant_identity(case, viewer=request.user, client_ip=client_ip(request))
    today = timezone.localdate()
    clock = case.clock
    # The graph alone says what this user may do now (no resume while a correction is open, no
    # sign-off of one's own proposal): its conditions and permissions.
    actions = [t.name for t in case.get_available_user_state_transitions(request.user)]
    context = {
        "case": case,
        "filing": filing,
        "identity": identity,
        "clock": clock,
        "warning": case.warning_on(today),
        "days_left": calendar.working_days_between(today, clock.due_on, clock.centre_id)
        if clock.due_on >= today
        else -calendar.working_days_between(clock.due_on, today, clock.centre_id),
        "history": [
            (entry, CASE_STEPS.get(entry.transition, entry.transition)) for entry in history_of(case)
        ],
        "actions": [ACTION_FORMS[name] for name in actions if name in ACTION_FORMS],
        "procedures": [
            (v, label) for v, label in SpecialProcedure.choices if v in (case.item.special_procedures or [])
        ],
        "today": today,
        **_issued_document(case, request.user),
    }
    return render(request, "desks/backoffice/case.html", context)


def _issued_document(case, user) -> dict:
    """What the certificate desk issued for the case, and whether this user may revoke it."""
    document = (
        IssuedDocument.objects.filter(case=case).select_related("library_entry__licence_type").first()
        if not case.is_open
        else None
    )
    entry = document.library_entry if document else None
    status = entry.status_on(timezone.localdate()) if entry else None
    # The ways it may stop standing now: the library entry's transitions (revoke 撤销, cancel 注销),
    # offered while it stands today to a decision-maker of the issuing department.
    available = (
        {t.name for t in entry.get_available_user_status_transitions(user)}
        if status == Standing.VALID
        else set()
    )
    modes = [(mode.value, mode.label, REVOCATION_VERBS[mode]) for mode in RevocationMode if mode in available]
    return {
        "document": document,
        "document_status": _status_label(entry, status) if status else None,
        "may_revoke": bool(modes) and certificates.may_revoke(user, document),
        "revocation_modes": modes,
    }


def _status_label(entry, status) -> str:
    """How the certificate stands: a revoked one says whether it was revoked (撤销) or cancelled
    (注销), which only the transition that ended it knows."""
    if status == Standing.REVOKED:
        ended_by = (
            history_of(entry)
            .filter(transition__in=RevocationMode.values)
            .values_list("transition", flat=True)
            .last()
        )
        if ended_by == RevocationMode.CANCEL:
            return CANCELLED
    return STATUS_ON_LABELS[status]


@login_required
@permission_required(BACK_OFFICE, raise_exception=True)
@require_POST
def revoke_certificate(request, pk):
    """撤销 / 注销 the certificate issued for a case: a decision-maker of its department, with a reason."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    document = get_object_or_404(IssuedDocument, case=case)
    return perform(
        request,
        REVOKE,
        obj=document,
        context={"document_id": document.pk, "actor": request.user, "client_ip": client_ip(request)},
        back=reverse("desks:backoffice_case", args=[case.pk]),
    )


@login_required
@permission_required(BACK_OFFICE, raise_exception=True)
@require_POST
def act(request, pk, action):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    return dispatch(
        request,
        ACTIONS,
        action,
        obj=case,
        context={"case_id": case.pk, "actor": request.user, "client_ip": client_ip(request)},
        back=reverse("desks:backoffice_case", args=[case.pk]),
    )
