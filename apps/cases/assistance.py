"""Assisted filing (帮办代办): an assistant of a service centre files for an applicant who needs help,
and follows the filing through to the end — its draft and uploads, the submission to the windows'
pre-review queue (the same queue as an online filing: a window still pre-reviews and decides it), and
afterwards what the filing needs next — or hands it over to another assistant of the same centre.

The filing's ``assistant`` is the one assistant following it now; its log holds who opened it and each
hand-over. Every action runs in one transaction with the filing locked, as the window's do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import ServiceCentre, User
from apps.accounts.roles import Role
from apps.accounts.selectors import centres_where, holds_role, supervised_centres
from apps.audit.services import record_step
from apps.audit.transitions import apply_transition
from apps.cases import services
from apps.cases.applicants import ApplicantData
from apps.cases.codes import Channel, FilingState
from apps.cases.models import CorrectionRequest, Filing, MaterialUpload
from apps.catalogue.models import Bundle
from apps.core.errors import Conflict

S = FilingState
# Where an assisted filing ends: nothing more to follow (a 一次性告知 is followed: the applicant files
# again with the missing materials, and the assistant helps them).
FINISHED = (S.CLOSED, S.REJECTED, S.WITHDRAWN, S.TERMINATED)

# What an assisted filing needs next, by its state (a correction request of a case comes first).
NEXT_STEPS = {
    S.DRAFT: gettext_lazy("Upload the materials and submit it to the windows"),
    S.SUBMITTED: gettext_lazy("Waiting for a window to pre-review it"),
    S.PRE_REVIEW: gettext_lazy("In pre-review at a window"),
    S.ACCEPTED: gettext_lazy("Being reviewed by the departments"),
    S.ACCEPTED_WITH_DEFICIENCY: gettext_lazy("Hand in the missing materials by the date promised"),
    S.RETURNED: gettext_lazy("Complete the materials listed and file again"),
    S.READY_FOR_ISSUE: gettext_lazy("Ready for issue: arrange the pick-up with the applicant"),
    S.ISSUED: gettext_lazy("Issued: hand the result over to the applicant"),
    S.DELIVERED: gettext_lazy("Delivered: the filing closes next"),
}
ANSWER_CORRECTION = gettext_lazy("Answer the department's correction request (补正)")


# --- who acts ----------------------------------------------------------------------------------


def assistant_centres(user) -> QuerySet:
    """The ids of the centres where ``user`` is an assistant (a subquery)."""
    return centres_where(user, Role.ASSISTANT)


def desk_centre(user) -> ServiceCentre | None:
    """The centre an assistant's desk opens new filings at: their first assistant post."""
    return ServiceCentre.objects.filter(pk__in=assistant_centres(user)).order_by("pk").first()


def _require_assistant_at(centre_id: int, actor) -> None:
    if not holds_role(actor, Role.ASSISTANT, centre_id=centre_id):
        raise PermissionDenied(_("Only an assistant (帮办代办员) of this service centre may do this."))


def _followed(filing_id: int, actor) -> Filing:
    """The assisted filing the actor follows, locked."""
    filing = services._locked(filing_id)
    if filing.channel != Channel.ASSISTED or filing.assistant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assistant following this filing may do this."))
    return filing


def _followed_draft(filing_id: int, actor) -> Filing:
    filing = _followed(filing_id, actor)
    if filing.state != S.DRAFT:
        raise Conflict(_("This filing has been submitted already: it can no longer be changed."))
    return filing


# --- the assistant's actions -------------------------------------------------------------------


@transaction.atomic
def open_assisted_filing(
    *,
    centre,
    applicant: ApplicantData,
    actor,
    item_ids: list[int] | None = None,
    bundle: Bundle | None = None,
    client_ip=None,
) -> Filing:
    """A new assisted draft (channel ``assisted``) for one item or a bundle of ``centre``, the applicant
    as stated (the assistant has seen their ID); the actor, an assistant there, follows it."""
    _require_assistant_at(centre.pk, actor)
    filing = services._create_filing(
        centre=centre,
        channel=Channel.ASSISTED,
        applicant=applicant.cleaned(),
        item_ids=item_ids,
        bundle=bundle,
        actor=actor,
        client_ip=client_ip,
    )
    # An UPDATE of its own: _create_filing is the window's and the online hall's too.
    Filing.objects.filter(pk=filing.pk).update(assistant=actor)
    filing.assistant = actor
    return filing


@transaction.atomic
def attach_assisted_upload(
    *, filing_id: int, material_id: int, file, actor, client_ip=None
) -> MaterialUpload:
    """A file for one material of the assistant's draft, checked by its content and size (as every
    upload is) before anything is stored."""
    filing = _followed_draft(filing_id, actor)
    return services.store_upload(filing, material_id=material_id, file=file, actor=actor, client_ip=client_ip)


@transaction.atomic
def submit_assisted(*, filing_id: int, actor, client_ip=None) -> Filing:
    """The assistant hands the draft to the windows: it joins the centre's pre-review queue (网上预审)
    like an online filing, once every required material has a file (what a window would return it
    for at once is refused here, each material named)."""
    from apps.cases.online import missing_for_submit

    filing = _followed(filing_id, actor)
    if filing.state != S.DRAFT:
        # A double click: the first request submitted it; the second changes nothing.
        raise Conflict(_("This filing has been submitted already."))
    missing = missing_for_submit(filing)
    if missing:
        raise ValidationError(
            {
                "materials": [
                    _("%(material)s is required: upload it first.") % {"material": entry.material.name}
                    for entry in missing
                ]
            }
        )
    apply_transition(filing, "submit", actor=actor, client_ip=client_ip, assisted=True)
    filing.submitted_at = timezone.now()
    filing.save()
    return filing


@transaction.atomic
def hand_over(*, filing_id: int, to_user_id: int, note: str = "", actor, client_ip=None) -> Filing:
    """The filing passes to another assistant of its centre, who follows it from now on: handed over
    by the assistant following it, or by a supervisor of the centre (when that assistant is away)."""
    filing = services._locked(filing_id)
    if filing.channel != Channel.ASSISTED:
        raise ValidationError(_("Only an assisted filing is handed over between assistants."))
    own = filing.assistant_id == getattr(actor, "pk", None)
    if not own and not supervised_centres(actor).filter(centre_id=filing.centre_id).exists():
        raise PermissionDenied(
            _("Only the assistant following this filing, or a supervisor, may hand it over.")
        )
    if filing.state in FINISHED:
        raise Conflict(
            _("This filing has ended (%(state)s): there is nothing more to follow.")
            % {"state": filing.get_state_display()}
        )
    receiver = User.objects.filter(pk=to_user_id, is_active=True).first()
    if receiver is None or not holds_role(receiver, Role.ASSISTANT, centre_id=filing.centre_id):
        raise ValidationError({"to_user": _("Hand it over to an assistant of this service centre.")})
    if receiver.pk == filing.assistant_id:
        raise ValidationError({"to_user": _("This assistant follows the filing already.")})
    previous = filing.assistant_id
    Filing.objects.filter(pk=filing.pk).update(assistant=receiver)
    filing.assistant = receiver
    record_step(
        filing,
        step="hand_over",
        actor=actor,
        comment=(note or "").strip(),
        client_ip=client_ip,
        from_assistant=previous,
        to_assistant=receiver.pk,
    )
    return filing


# --- reads -------------------------------------------------------------------------------------


def assisted_filings_of(user) -> QuerySet[Filing]:
    """The assisted filings ``user`` follows now (all of them, ended ones too): what their desk and the
    API show them in full; another assistant's are a 404."""
    if not getattr(user, "is_authenticated", False):
        return Filing.objects.none()
    return Filing.objects.filter(channel=Channel.ASSISTED, assistant=user)


def assisted_queue(user) -> QuerySet[Filing]:
    """The filings the assistant still follows, each with ``due_on`` (its soonest case's promised
    date) and ``correction_open``; the green channel first, then what is due soonest, then the oldest.
    One query (``filing_assistant_queue`` index)."""
    open_correction = CorrectionRequest.objects.filter(case__filing=OuterRef("pk"), answered_at__isnull=True)
    return (
        assisted_filings_of(user)
        .exclude(state__in=FINISHED)
        .annotate(due_on=Min("cases__due_on"), correction_open=Exists(open_correction))
        .select_related("centre")
        .prefetch_related("items__item")
        .order_by(F("green_channel").desc(), F("due_on").asc(nulls_last=True), "created_at", "pk")
    )


def next_step(filing: Filing) -> str:
    """What the filing needs next, in words (an open correction request first)."""
    if getattr(filing, "correction_open", False):
        return str(ANSWER_CORRECTION)
    return str(NEXT_STEPS.get(filing.state, filing.get_state_display()))


def assistants_at(centre_id: int, *, besides=None) -> QuerySet[User]:
    """The assistants of a centre a filing may be handed over to (all but ``besides``)."""
    users = User.objects.filter(
        is_active=True, memberships__role=Role.ASSISTANT, memberships__centre_id=centre_id
    ).distinct()
    if besides is not None:
        users = users.exclude(pk=besides.pk)
    return users.order_by("full_name", "username")
