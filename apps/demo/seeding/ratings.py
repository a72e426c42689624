"""Demo ratings (好差评): four months of window visits rated at the city centre's window A01 (the demo
clerk's: the demo has one user per role), across the centre's items and departments, a few bad ones
with their rectification tickets at different steps, and the figures' roll-ups
refreshed, so that the supervision desk's 好差评统计 and 整改 pages have something to show after
``make run``.

Through the services, as the hall's people would: the clerk takes and accepts the filings at the window
(``apps.cases.services``), applicants rate them (``apps.feedback.services.rate``: a bad rating opens its
ticket), the department's approver records the follow-up and the measures and the supervisor verifies
(``apps.feedback.tickets``). Only the dates are then moved back over the last months — a demo cannot
wait for them — with the tickets' due dates counted again from the new dates on the hall's calendar.

Idempotent: seeded once (the first demo applicant's filing marks it done).
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.models import ServiceCentre, StaffMembership, User, Window
from apps.accounts.roles import Role
from apps.cases import services as cases
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind, MaterialStatus
from apps.cases.models import Filing
from apps.catalogue import selectors as catalogue
from apps.demo.seeding.moments import on
from apps.demo.seeding.organisation import demo_account
from apps.feedback import rollups, tickets
from apps.feedback import services as feedback
from apps.feedback.models import ActKind, Channel, FollowUpMethod, Level, Reason, RectificationTicket
from apps.worktime import calendar

COUNT = 96
DAYS_BACK = 120
VISIT_GAP_SECONDS = 2  # between two visits at the window (the bulk-clicking rule looks within one second)
# The demo clerk's (王小明) window: the demo has one user per role (tests/demo/test_seed_demo.py).
WINDOWS = ("A01",)
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明")
# Most people are content; one in twenty-five is not (the bad ones are placed by hand below).
LEVELS = [Level.VERY_SATISFIED] * 11 + [Level.SATISFIED] * 8 + [Level.FAIRLY_SATISFIED] * 3
GOOD_CHANNELS = (Channel.PAD, Channel.PAD, Channel.QR, Channel.SMS)
# The bad ratings: which visit (by number), level, reason, what the applicant wrote, and how far its
# ticket got: closed in time, submitted for verification, open and overdue, open and not yet due.
BAD = {
    7: (Level.DISSATISFIED, Reason.WAITING, "排队等了一个多小时，叫号屏也不显示。", "closed"),
    29: (Level.VERY_DISSATISFIED, Reason.MATERIALS, "同一份营业执照复印件交了两次。", "submitted"),
    53: (Level.DISSATISFIED, Reason.ATTITUDE, "窗口人员解释不耐烦。", "open"),
    91: (Level.DISSATISFIED, Reason.VISITS, "少带一份材料又跑了一趟，希望一次告知。", "open"),
}


def _person(n: int) -> ApplicantData:
    first17 = f"3501021980{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return ApplicantData(
        kind=ApplicantKind.PERSON,
        name=SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3) % len(GIVEN)],
        id_number=first17 + resident_id_check_char(first17),
        phone=f"1390017{n:04d}",
    )


def _clerks(centre: ServiceCentre) -> dict[str, tuple[Window, User]]:
    clerk = demo_account(Role.CLERK)
    return {number: (Window.objects.get(centre=centre, number=number), clerk) for number in WINDOWS}


def _visit(centre, window, clerk, item, applicant) -> Filing:
    filing = cases.open_filing(
        centre=centre, applicant=applicant, item_ids=[item.pk], actor=clerk, window=window
    )
    received = [
        cases.MaterialRecord(material_id, MaterialStatus.ORIGINAL)
        for material_id in filing.checklist.values_list("material_id", flat=True)
    ]
    cases.accept(filing_id=filing.pk, actor=clerk, window=window, materials=received)
    return filing


def _move_back(rating, when: dt.datetime) -> None:
    """The rating (and its ticket) as if given at ``when``, its act an hour earlier."""
    type(rating).objects.filter(pk=rating.pk).update(
        rated_at=when, rated_on=timezone.localdate(when), act_at=when - dt.timedelta(hours=1)
    )
    opened_on = timezone.localdate(when)
    due_on = calendar.add_working_days(opened_on, settings.HALL_RECTIFICATION_DAYS, rating.centre)
    RectificationTicket.objects.filter(rating=rating).update(opened_at=when, due_on=due_on)


def _rectify(rating, how_far: str, supervisor, approver) -> None:
    if how_far == "open":
        return
    ticket = RectificationTicket.objects.get(rating=rating)
    tickets.record_follow_up(
        ticket_id=ticket.pk,
        method=FollowUpMethod.PHONE,
        followed_up_at=timezone.now(),
        note="已电话回访，申请人表示理解，希望改进。",
        actor=approver,
    )
    tickets.record_rectification(
        ticket_id=ticket.pk,
        cause="窗口高峰时段人手不足，一次性告知不到位。",
        measures="高峰时段增开窗口；材料清单打印给申请人，收件前逐项核对。",
        actor=approver,
    )
    tickets.submit_ticket(ticket_id=ticket.pk, actor=approver)
    if how_far == "closed":
        tickets.verify_ticket(ticket_id=ticket.pk, note="经核实，整改措施已落实。", actor=supervisor)
        # Closed within its time, as the dates were moved back.
        ticket.refresh_from_db()
        closed_at = ticket.opened_at + dt.timedelta(days=6)
        RectificationTicket.objects.filter(pk=ticket.pk).update(
            followed_up_at=ticket.opened_at + dt.timedelta(days=1),
            submitted_at=ticket.opened_at + dt.timedelta(days=5),
            closed_at=closed_at,
        )


def seed_ratings(centre_name: str) -> list[str]:
    """Seed the demo's ratings (idempotent); the lines seed_demo prints about them."""
    centre = ServiceCentre.objects.get(name=centre_name)
    if Filing.objects.filter(applicant_id_number=_person(0).id_number).exists():
        return []
    approver, supervisor = demo_account(Role.APPROVER), demo_account(Role.SUPERVISOR)
    offered = list(
        catalogue.offered_items().filter(lineage__centre=centre).select_related("department").order_by("name")
    )
    # The bad ones are the approver's department's, so that the demo approver finds their tickets.
    department_id = (
        StaffMembership.objects.filter(user=approver, role=Role.APPROVER)
        .values_list("department_id", flat=True)
        .first()
    )
    own = [item for item in offered if item.department_id == department_id]
    if not offered or not own:
        return []
    clerks = _clerks(centre)
    rng = random.Random(17)  # the same demo every time
    now = timezone.now()
    for n in range(COUNT):
        number = WINDOWS[n % len(WINDOWS)]
        window, clerk = clerks[number]
        bad = BAD.get(n)
        item = rng.choice(own) if bad else offered[(n * 5) % len(offered)]
        with transaction.atomic():
            # A visit every few seconds, ending now: a window's clerk, not a script (the supervision
            # desk's bulk-clicking rule would find a burst; the supervision demo plants its own).
            with on(now - dt.timedelta(seconds=VISIT_GAP_SECONDS * (COUNT - n))):
                filing = _visit(centre, window, clerk, item, _person(n))
            level, reason, comment, how_far = bad or (rng.choice(LEVELS), "", "", None)
            rating = feedback.rate(
                filing_id=filing.pk,
                act=ActKind.WINDOW_VISIT,
                level=level,
                reason=reason,
                comment=comment,
                channel=Channel.QR if bad else rng.choice(GOOD_CHANNELS),
            )
            # Spread over the last months, the most recent ones today; the last bad one is recent
            # (its ticket not yet due), the others long enough ago to have been dealt with, or not.
            days_back = (COUNT - 1 - n) * DAYS_BACK // COUNT
            _move_back(rating, now - dt.timedelta(days=days_back, hours=rng.randint(0, 6)))
            if bad:
                _rectify(rating, how_far, supervisor, approver)
    first = timezone.localdate(now) - dt.timedelta(days=DAYS_BACK)
    rollups.rebuild(first, timezone.localdate(now))
    return [
        f"Ratings: {COUNT} window visits rated over the last {DAYS_BACK} days at {', '.join(WINDOWS)}, "
        f"{len(BAD)} bad ones with rectification tickets (closed, submitted, open): "
        "the figures at /supervision/figures/ (login: supervisor), the tickets at /rectification/ "
        "(login: approver)."
    ]
