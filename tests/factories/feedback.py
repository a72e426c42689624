"""Ratings (好差评) factories: filings with acts to rate, made through the real services, and one
factory per feedback model — ``rating``, ``ticket``, ``pad`` — that writes the row directly (no
service, no ticket opened, no audit), for tests that need ratings to exist rather than to be given.

    filing = closed_filing()                      # window visit, hand-over, whole filing rateable
    bad = rating(filing, level=Level.DISSATISFIED, reason=Reason.WAITING)
    open_one = ticket(bad)                         # due in HALL_RECTIFICATION_DAYS calendar days
    tablet = pad(window=filing.window)
    key = claimed_pad_key(window)                  # a working device key, through the services
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from apps.accounts.roles import Role
from apps.cases.applicants import ApplicantData
from apps.cases.codes import MaterialStatus
from apps.cases.models import Filing
from apps.feedback.acts import act_of
from apps.feedback.models import (
    BAD_LEVELS,
    ActKind,
    Channel,
    EvaluationPad,
    Level,
    Rating,
    Reason,
    RectificationTicket,
    TicketState,
)
from apps.feedback.models.ratings import APPLICANT
from tests.factories.accounts import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, accept_filing, comprehensive_window, make_filing, online_filing
from tests.factories.catalogue import default_children, make_item

# --- filings with acts to rate ----------------------------------------------------------------------


def visited_filing(
    *, applicant: ApplicantData = PERSON, centre=None, window=None, clerk=None, **kw
) -> Filing:
    """A window filing taken and accepted by a clerk at ``window``: its WINDOW_VISIT is rateable,
    charged to that clerk (``filing.decided_by``) and window."""
    return accept_filing(make_filing(applicant=applicant, centre=centre, window=window, clerk=clerk, **kw))


def closed_filing(
    *, applicant: ApplicantData = PERSON, centre=None, issuer=None, issuer_window=None, **ready_kw
) -> Filing:
    """A filing accepted at a window, decided, issued and handed over to the applicant at the
    issuer's window (a new comprehensive window unless ``issuer_window``): CLOSED, with WINDOW_VISIT,
    HANDOVER and FILING rateable. The hand-over is charged to ``issuer`` (a new issuer by default)."""
    from apps.certificates import services
    from tests.factories.certificates import issue, ready_filing

    centre = centre or ServiceCentreFactory()
    filing = ready_filing(applicant=applicant, centre=centre, **ready_kw)
    issue(filing)
    if issuer is None:
        issuer_window = issuer_window or comprehensive_window(centre)
        issuer = make_staff(Role.ISSUER, centre=centre, window=issuer_window)
    services.hand_over(
        filing_id=filing.pk,
        actor=issuer,
        recipient_name=applicant.name,
        recipient_id_number=applicant.id_number,
    )
    filing.refresh_from_db()
    return filing


def pre_reviewed_filing(*, citizen, centre=None, window=None, clerk=None) -> Filing:
    """A citizen's online filing submitted, taken for pre-review by a clerk at ``window`` and
    accepted there: its ONLINE_PRE_REVIEW is rateable. ``citizen`` gets PERSON's identity if it has
    none (the filing is then in their own name)."""
    from apps.cases import services
    from tests.cases.online_hall import submittable

    centre = centre or ServiceCentreFactory()
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children())
    filing = online_filing(citizen=citizen, centre=centre, items=[item])
    submittable(filing, citizen)
    services.submit_online(filing_id=filing.pk, actor=citizen)
    window = window or comprehensive_window(centre)
    clerk = clerk or make_staff(Role.CLERK, centre=centre, window=window)
    services.start_pre_review(filing_id=filing.pk, actor=clerk, window=window)
    received = [
        services.MaterialRecord(material_id, MaterialStatus.ELECTRONIC)
        for material_id in filing.checklist.values_list("material_id", flat=True)
    ]
    services.accept(filing_id=filing.pk, actor=clerk, window=window, materials=received)
    filing.refresh_from_db()
    return filing


# --- one factory per model ---------------------------------------------------------------------------


def rating(
    filing: Filing | None = None,
    *,
    act: str = ActKind.WINDOW_VISIT,
    level: str = Level.SATISFIED,
    reason: str = "",
    channel: str = Channel.PORTAL,
    rater_key: str = APPLICANT,
    rated_at: dt.datetime | None = None,
    **overrides,
) -> Rating:
    """A rating of ``act`` of ``filing`` (a new accepted window filing by default), with who and
    what it judges copied from the act as the service does. A bad level gets a reason (WAITING)
    unless one is given. Written directly: no ticket is opened (make one with ``ticket``)."""
    filing = filing or visited_filing()
    done = act_of(filing, act)
    rated_at = rated_at or timezone.now()
    if level in BAD_LEVELS and not reason:
        reason = Reason.WAITING
    values = {
        "filing": filing,
        "act": act,
        "rater_key": rater_key,
        "level": level,
        "reason": reason,
        "channel": channel,
        "centre_id": done.centre_id,
        "department_id": done.department_id,
        "window_id": done.window_id,
        "staff_id": done.staff_id,
        "item_id": done.item_id,
        "act_at": done.at,
        "rated_at": rated_at,
        "rated_on": timezone.localdate(rated_at),
        **overrides,
    }
    return Rating.objects.create(**values)


def ticket(
    of: Rating | None = None,
    *,
    state: str = TicketState.OPEN,
    opened_at: dt.datetime | None = None,
    due_on: dt.date | None = None,
    **overrides,
) -> RectificationTicket:
    """A rectification ticket of the bad rating ``of`` (a new 不满意 rating by default), in ``state``,
    charged to the rating's department and window, due ``HALL_RECTIFICATION_DAYS`` calendar days after
    it was opened unless ``due_on`` is given (the service counts working days; tests about the due date
    use the service). Written directly: no transition log, no message."""
    from django.conf import settings

    of = of or rating(level=Level.DISSATISFIED)
    opened_at = opened_at or timezone.now()
    due_on = due_on or timezone.localdate(opened_at) + dt.timedelta(days=settings.HALL_RECTIFICATION_DAYS)
    values = {
        "rating": of,
        "state": state,
        "centre_id": of.centre_id,
        "department_id": of.department_id,
        "window_id": of.window_id,
        "opened_at": opened_at,
        "due_on": due_on,
        **overrides,
    }
    return RectificationTicket.objects.create(**values)


def pad(window=None, *, paired_by=None, key_hash: str | None = None, **overrides) -> EvaluationPad:
    """An evaluation pad paired at ``window`` (a new comprehensive window by default) by a supervisor
    of its centre. Its ``key_hash`` is random unless given: a test that needs a working device key
    pairs and claims through ``apps.feedback.pads`` instead."""
    window = window or comprehensive_window()
    paired_by = paired_by or make_staff(Role.SUPERVISOR, centre=window.centre)
    values = {
        "window": window,
        "name": f"{window.number} 评价器",
        "key_hash": key_hash or secrets.token_hex(32),
        "paired_at": timezone.now(),
        "paired_by": paired_by,
        **overrides,
    }
    return EvaluationPad.objects.create(**values)


def claimed_pad_key(window, *, supervisor=None) -> str:
    """The device key of a pad paired at ``window`` by ``supervisor`` (a new supervisor of its centre by
    default) and claimed, both through ``apps.feedback.pads``: what a tablet holds once set up."""
    from apps.feedback import pads

    supervisor = supervisor or make_staff(Role.SUPERVISOR, centre=window.centre)
    _pad, code = pads.pair_pad(window_id=window.pk, name="", actor=supervisor)
    return pads.claim_pad(code=code)[1]
