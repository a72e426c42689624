"""Demo supervision (电子监察): what the supervision desk's work figures, cases at risk and anomalies
show after ``make run``.

Four months of window work at the city centre's window A01, by the demo clerk: filings accepted and
decided by the demo approver (the demo's back office is 示范市市场监督管理局: the demo has one approver,
so the cases decided are that department's), some late, one extended, two with a site survey (踏勘) —
one running far past its planned end —, a denial, one decided with no opinion; filings of every
department returned with a one-time notice (一次性告知, one answered and accepted, one returned twice
for the same material), refused, withdrawn; five accepted in the same second (bulk clicking). Then
cases open today in several departments at each warning level (黄牌 / 红牌 / 逾期, one held by the
approver, one escalated early by the supervisor), a few green ones, the deadline sweep, the work
roll-ups rebuilt over the period and the anomaly scan.

Through the services, as the hall's people would, each action on its own day: the services read the
time from ``django.utils.timezone.now``, which ``moments.on`` sets to that day's hour while the action runs,
so every row they write — filing numbers, clocks counted on the hall's calendar, the transition log,
opinions, suspensions — carries the day, and the roll-ups and the rules find what they would have
found had the work happened then. (The ratings' seed moves its rows back afterwards instead; here
there are too many kinds of rows to move.) The messages to applicants are queued as at the real time
(their ``next_attempt_at`` is a field default), and sent when ``make run`` starts.

Idempotent: seeded once (the first history applicant's filing marks it done).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.models import ServiceCentre, Window
from apps.accounts.roles import Role
from apps.cases import services as cases
from apps.cases import sweeps
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind, MaterialStatus
from apps.cases.models import Case, Filing
from apps.cases.review import services as review
from apps.catalogue import selectors as catalogue
from apps.catalogue.models import ServiceItem
from apps.certificates.services import delivery, issuing
from apps.demo.seeding.moments import at, on
from apps.demo.seeding.organisation import demo_account
from apps.worktime import calendar
from apps.worktime.codes import SpecialProcedure
from apps.worktime.services import compute_dates, thresholds
from apps.worktime.warnings import WarningLevel, level_of

BACK_OFFICE = "示范市市场监督管理局"  # the demo approver's department: the cases decided are its
WINDOW = "A01"  # the demo clerk's
HISTORY = 20  # filings accepted, decided and issued over the period (each costs a quarter second)
SPAN = 80  # working days back the history starts (about four months)
EXTENDED, SURVEYED, LONG_SURVEY = 3, 6, 9  # history filings with a story of their own (below)
LATE = {5, 11}  # decided two working days after their due date
DENIED = {4, 13}
WITHOUT_OPINION = 8  # decided with nothing in the opinion box
BULK = range(14, 14 + settings.HALL_BULK_CLICK_MIN)  # accepted in one second by the clerk
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = ("建国", "秀英", "志强", "丽华", "海燕", "文斌", "春梅", "国庆", "红霞", "晓东", "桂兰", "明辉")


def _person(n: int) -> ApplicantData:
    """The n-th demo applicant of the supervision history (resident IDs of their own district)."""
    first17 = f"3501031985{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return ApplicantData(
        kind=ApplicantKind.PERSON,
        name=SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 5) % len(GIVEN)],
        id_number=first17 + resident_id_check_char(first17),
        phone=f"1370018{n:04d}",
    )


# What the demo's staff write as their reasons (free text, not codes).
EXTENSION_REASON = "需现场核查经营场所，申请延长审批期限。"
SURVEY_REASON = "对生产经营场所进行现场踏勘。"
WITHDRAWAL_REASON = "申请人主动撤回申请。"


@dataclass
class Hall:
    centre: ServiceCentre
    window: Window
    clerk: object
    approver: object
    signer: object
    supervisor: object
    issuer: object
    keeper: object
    today: dt.date

    def back(self, working_days: int) -> dt.date:
        return calendar.add_working_days(self.today, -working_days, self.centre)

    def after(self, day: dt.date, working_days: int) -> dt.date:
        return calendar.add_working_days(day, working_days, self.centre) if working_days else day


def _open(hall: Hall, item: ServiceItem, n: int, **extra) -> Filing:
    return cases.open_filing(
        centre=hall.centre,
        applicant=_person(n),
        item_ids=[item.pk],
        actor=hall.clerk,
        window=hall.window,
        **extra,
    )


def _everything(filing: Filing, *, but=None) -> list[cases.MaterialRecord]:
    return [
        cases.MaterialRecord(material_id, MaterialStatus.ORIGINAL)
        for material_id in filing.checklist.values_list("material_id", flat=True)
        if material_id != but
    ]


def _accept(hall: Hall, filing: Filing) -> Case:
    cases.accept(filing_id=filing.pk, actor=hall.clerk, window=hall.window, materials=_everything(filing))
    return filing.cases.get()


def _return(hall: Hall, filing: Filing, material_id: int, reason: str) -> None:
    """一次性告知 of one material: the rest recorded as handed in."""
    cases.record_materials(
        filing_id=filing.pk,
        records=_everything(filing, but=material_id),
        actor=hall.clerk,
        window=hall.window,
    )
    cases.return_for_completion(
        filing_id=filing.pk,
        corrections=[{"material": material_id, "reason": reason}],
        actor=hall.clerk,
        window=hall.window,
    )


def _decide(hall: Hall, case: Case, *, deny: bool = False, opinion: str = "材料齐全，符合法定条件。") -> None:
    if deny:
        review.decide(
            case_id=case.pk,
            actor=hall.approver,
            outcome="deny",
            opinion=opinion,
            reasons="申请人不符合法定条件。",
            legal_basis="《中华人民共和国行政许可法》第三十八条第二款",
        )
    else:
        review.decide(
            case_id=case.pk,
            actor=hall.approver,
            outcome="approve",
            opinion=opinion,
            holder=case.filing.applicant_name,
            scope="依申请事项核准。",
        )


def _history(hall: Hall, items: list[ServiceItem]) -> int:
    """The back office's four months: accepted at A01, claimed and decided by the approver."""
    by_name = {item.name: item for item in items}
    # Three filings with a story of their own (kept on items that allow it).
    extended, surveyed, long_survey = (
        by_name.get(name) for name in ("食品经营许可", "食品生产许可", "药品经营许可（零售）")
    )
    rng = random.Random(19)  # the same demo every time
    for k in range(HISTORY):
        item = items[k % len(items)]
        if k == EXTENDED and extended is not None:
            item = extended
        elif k == SURVEYED and surveyed is not None:
            item = surveyed
        elif k == LONG_SURVEY and long_survey is not None:
            item = long_survey
        offset = SPAN - (k * (SPAN - 6)) // HISTORY
        if k in BULK:
            offset = SPAN - (BULK.start * (SPAN - 6)) // HISTORY
        accepted_on = hall.back(offset)
        # Opened, then accepted five minutes later; five accepted in one second (bulk clicking).
        opened = at(accepted_on, 9, (k * 17) % 50)
        with on(opened):
            filing = _open(hall, item, k)
        with on(at(accepted_on, 10) if k in BULK else opened + dt.timedelta(minutes=5)):
            case = _accept(hall, filing)
        limit = item.promised_limit_days
        used = limit + 2 if k in LATE else rng.randint(0, limit)
        decided_on = hall.after(accepted_on, used)
        with on(at(accepted_on, 11, k)):  # claimed the day it came in
            review.claim(case_id=case.pk, actor=hall.approver)
        if k == EXTENDED and item is extended:
            # 延期 approved by the department's decision-maker; decided within the extended limit.
            with on(at(hall.after(accepted_on, 1), 15)):
                review.extend(
                    case_id=case.pk,
                    actor=hall.signer,
                    days=3,
                    reason=EXTENSION_REASON,
                )
            decided_on = hall.after(accepted_on, limit + 2)
        if (k, item) in ((SURVEYED, surveyed), (LONG_SURVEY, long_survey)):
            # Planned for five working days; the long one ran to twenty-five (特别程序超时).
            survey_days = 25 if k == LONG_SURVEY else 3
            start = hall.after(accepted_on, 1)
            with on(at(start, 14)):
                review.start_special_procedure(
                    case_id=case.pk,
                    actor=hall.approver,
                    procedure=SpecialProcedure.SITE_SURVEY,
                    reason=SURVEY_REASON,
                    planned_end_on=hall.after(start, 5),
                )
            resumed = hall.after(start, survey_days)
            with on(at(resumed, 9)):
                review.resume(case_id=case.pk, actor=hall.approver)
            decided_on = hall.after(resumed, 1)
        with on(at(decided_on, 16, (k * 7) % 50)):
            case.refresh_from_db()
            opinion = "" if k == WITHOUT_OPINION else "材料齐全，符合法定条件。"
            _decide(hall, case, deny=k in DENIED, opinion="经审查不符合条件。" if k in DENIED else opinion)
        _issue(hall, case.filing, hall.after(decided_on, 1), post=k % 3 == 0)
    return HISTORY


def _issue(hall: Hall, filing: Filing, day: dt.date, *, post: bool) -> None:
    """The unified desk the next working day: the issuer asks, the seal keeper confirms, the documents
    are posted (where the item allows it) or collected by the applicant at C01."""
    with on(at(day, 10, filing.pk % 60)):
        request = issuing.request_issue(filing_id=filing.pk, actor=hall.issuer)
        issuing.confirm_issue(request_id=request.pk, actor=hall.keeper)
    with on(at(day, 15, filing.pk % 60)):
        if post and all(item.item.postal_delivery_supported for item in filing.items.select_related("item")):
            delivery.post(
                filing_id=filing.pk,
                actor=hall.issuer,
                recipient_name=filing.applicant_name,
                phone=filing.applicant_phone,
                address="示范市鼓楼区五一北路 100 号",
                carrier="中国邮政 EMS",
                tracking_number=f"EMS{filing.pk:010d}",
            )
        else:
            delivery.hand_over(
                filing_id=filing.pk,
                actor=hall.issuer,
                recipient_name=filing.applicant_name,
                recipient_id_number=filing.applicant_id_number,
            )


def _window_outcomes(hall: Hall, market: list[ServiceItem], others: list[ServiceItem]) -> int:
    """What the window decides without a case: returns (one answered at the window and accepted, one
    returned twice for the same material), refusals, a withdrawal."""
    n, made = HISTORY, 0

    def first_material(filing: Filing) -> int:
        return filing.checklist.order_by("order", "pk").values_list("material_id", flat=True).first()

    # Returned for the premises' proof, answered at the window three days later, accepted and decided.
    item = market[1]
    day = hall.back(SPAN - 10)
    with on(at(day, 10, 5)):
        returned = _open(hall, item, n)
        _return(hall, returned, first_material(returned), "申请表未签字，请签字后重新提交。")
    answered = hall.after(day, 3)
    with on(at(answered, 10, 5)):
        case = _accept(hall, _open(hall, item, n, resubmission_of=returned))
    with on(at(answered, 15)):
        review.claim(case_id=case.pk, actor=hall.approver)
        _decide(hall, case)
    _issue(hall, case.filing, hall.after(answered, 1), post=False)
    made += 2
    # Returned twice for the same material: the answer brought it wrong again.
    item = others[0]
    day = hall.back(30)
    with on(at(day, 9, 40)):
        returned = _open(hall, item, n + 1)
        material = first_material(returned)
        _return(hall, returned, material, "申请表填写不完整。")
    with on(at(hall.after(day, 2), 9, 40)):
        again = _open(hall, item, n + 1, resubmission_of=returned)
        _return(hall, again, material, "申请表仍未填写完整，法定代表人未签字。")
    made += 2
    # Returned and not answered yet; refused; withdrawn before the decision.
    for j, (item, back) in enumerate(zip(others[1:4], (55, 21, 4), strict=False)):
        with on(at(hall.back(back), 14, 10 + j)):
            filing = _open(hall, item, n + 2 + j)
            _return(hall, filing, first_material(filing), "申请材料不齐全，请补齐后再来。")
        made += 1
    for j, (item, back) in enumerate(zip(others[4:6], (47, 12), strict=False)):
        with on(at(hall.back(back), 15, 20 + j)):
            filing = _open(hall, item, n + 5 + j)
            cases.refuse(
                filing_id=filing.pk,
                reasons="申请事项不属于本中心受理范围。",
                legal_basis="《中华人民共和国行政许可法》第三十二条第一款第二项",
                actor=hall.clerk,
                window=hall.window,
            )
        made += 1
    day = hall.back(38)
    with on(at(day, 11)):
        filing = _open(hall, market[2], n + 7)
        _accept(hall, filing)
    with on(at(hall.after(day, 1), 9, 15)):
        cases.withdraw(filing_id=filing.pk, reason=WITHDRAWAL_REASON, actor=hall.clerk, window=hall.window)
    return made + 1


# Open today, by department: the levels the at-risk list shows (and a few green ones).
AT_RISK = (WarningLevel.OVERDUE, WarningLevel.RED, WarningLevel.YELLOW)


def _started_for(hall: Hall, limit: int, level: str, extra: int = 0) -> dt.date:
    """The working day a clock of ``limit`` days must have started on to be at ``level`` today (``extra``
    working days further back once there, for an overdue one)."""
    policy = thresholds(hall.centre.pk)
    for back in range(0, limit + 40):
        start = hall.back(back)
        dates = compute_dates(hall.centre.pk, start, limit, policy)
        found = level_of(due_on=dates.due_on, yellow_on=dates.yellow_on, red_on=dates.red_on, on=hall.today)
        if found == level:
            return hall.back(back + extra)
    return hall.back(limit + extra)


def _open_cases(hall: Hall, items: list[ServiceItem]) -> dict[str, int]:
    """Cases open today: two overdue, two red, three yellow and three green, across departments."""
    plan = [
        (WarningLevel.OVERDUE, 3),
        (WarningLevel.OVERDUE, 1),
        (WarningLevel.RED, 0),
        (WarningLevel.RED, 0),
        (WarningLevel.YELLOW, 0),
        (WarningLevel.YELLOW, 0),
        (WarningLevel.YELLOW, 0),
        (WarningLevel.NORMAL, 0),
        (WarningLevel.NORMAL, 0),
        (WarningLevel.NORMAL, 0),
    ]
    counts: dict[str, int] = {}
    for j, (level, extra) in enumerate(plan):
        item = items[j % len(items)]
        start = (
            hall.today
            if level == WarningLevel.NORMAL
            else _started_for(hall, item.promised_limit_days, level, extra)
        )
        with on(at(start, 9, 10 + 3 * j)):
            case = _accept(hall, _open(hall, item, HISTORY + 20 + j))
        if item.department.name == BACK_OFFICE and level != WarningLevel.NORMAL:
            with on(at(start, 14)):
                review.claim(case_id=case.pk, actor=hall.approver)  # held by the approver, not queued
        counts[level] = counts.get(level, 0) + 1
    return counts


def _escalate_one_early(hall: Hall) -> None:
    """The supervisor does not wait for a red case to go overdue: one escalated early, with a note."""
    red = (
        Case.objects.filter(
            warning=WarningLevel.RED,
            filing__applicant_id_number__startswith="350103",
            escalations__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if red is not None:
        review.escalate_early(
            case_id=red.pk, actor=hall.supervisor, note="今日到期，请科室负责人当日办结并反馈。"
        )


def seed_supervision(centre_name: str) -> list[str]:
    """Seed the supervision desk's demo (idempotent); the lines seed_demo prints about it."""
    from apps.supervision import anomalies, rollups

    centre = ServiceCentre.objects.get(name=centre_name)
    if Filing.objects.filter(applicant_id_number=_person(0).id_number).exists():
        return []
    offered = list(
        catalogue.offered_items()
        .filter(lineage__centre=centre)
        .select_related("department")
        .order_by("department__name", "name")
    )
    # The back office's items the unified desk can issue a certificate for (a type with its rule).
    market = [
        item
        for item in offered
        if item.department.name == BACK_OFFICE and item.result_licence_type_id is not None
    ]
    # Another department's items with a limit long enough for yellow to come before red.
    others = [
        item for item in offered if item.department.name != BACK_OFFICE and item.promised_limit_days >= 3
    ]
    if not market or len(others) < 6:
        return []
    hall = Hall(
        centre=centre,
        window=Window.objects.get(centre=centre, number=WINDOW),
        clerk=demo_account(Role.CLERK),
        approver=demo_account(Role.APPROVER),
        signer=demo_account(Role.DECISION_MAKER),
        supervisor=demo_account(Role.SUPERVISOR),
        issuer=demo_account(Role.ISSUER),
        keeper=demo_account(Role.SEAL_KEEPER),
        today=timezone.localdate(),
    )
    first = hall.back(SPAN)
    decided = _history(hall, market)
    window_only = _window_outcomes(hall, market, others)
    # Every other department in turn, and the back office's own.
    spread = [others[i] for i in range(0, len(others), max(1, len(others) // 8))][:8]
    at_risk = _open_cases(
        hall, [*spread[:2], *[i for i in market if i.promised_limit_days >= 3][:1], *spread[2:]]
    )
    sweeps.sweep_warnings(hall.today)
    sweeps.escalate(hall.today)
    _escalate_one_early(hall)
    written = rollups.rebuild(first, hall.today)
    found = anomalies.scan()
    risky = ", ".join(f"{count} {level}" for level, count in at_risk.items() if level in AT_RISK)
    findings = ", ".join(f"{count} {rule}" for rule, count in found.items() if count)
    return [
        f"Supervision: {decided} filings accepted at {WINDOW}, decided by {BACK_OFFICE} and issued since "
        f"{first}, {window_only} more decided at the window (returned, answered, refused, withdrawn); "
        f"open today: {risky}; {written} work roll-up rows, anomalies: {findings or 'none'}. "
        "Login: supervisor — /supervision/work/, /supervision/at-risk/, /supervision/anomalies/."
    ]
