"""Supervision and statistics (电子监察, issue 19): the work dashboard over roll-ups equivalent to
10,000,000 historical cases, the roll-up of a day of 50,000 filings, and the list of cases at risk
with 50,000 open cases.

Targets on PostgreSQL: the dashboard page (``desks:work_figures``) p95 ≤ 200 ms with a constant
number of queries; ``apps.supervision.rollups.refresh_days([day])`` of a day of 50,000 filings ≤ 5 s;
the at-risk list (``desks:at_risk`` and ``/api/v1/cases-at-risk/``) p95 ≤ 50 ms.

One centre as a city hall is: 30 departments, 4 items each (made through the catalogue's services),
40 comprehensive windows.

- **Dashboard.** ``WorkRollup`` rows for every day of five years (90 days small), as the roll-up
  writes them — one row per centre, department, item lineage and window, for all departments
  (department NULL) and again for each department alone — whose decided cases add up to 10,000,000
  (100,000 small). Written set-based (generate_series), with counts that are consistent with each
  other (accepted ≤ decided, on time ≤ decided, …). Measured as a centre supervisor and a
  department supervisor, the page as it opens, a month, a year by month, and the API.
- **A day rolled up.** One of each of the hall's paths is walked through the real services —
  window and online filings accepted, 容缺 (and one cleared), returned (and resubmitted at the window),
  refused, withdrawn; cases decided (approved and denied), issued and collected or posted, suspended
  for a correction or a special procedure, extended — some accepted a week ago and decided today,
  the others all today. Those rows (filings, their items and checklists, cases, clocks,
  suspensions, extensions, documents, deliveries, the transition log …) are then copied set-based,
  every id shifted and every unique text suffixed, until today holds 50,000 window decisions (5,000
  small). ``refresh_days([today])`` is timed as the Celery job runs it (median of three).
- **Cases at risk.** 50,000 open cases (5,000 small) with their filings and clocks, written set-based
  over the 30 departments: 60 % in time, 20 % yellow, 12 % red, 8 % overdue (the sweep's levels,
  set by ``sweep_warnings``), a third claimed, one overdue in four escalated. Measured as a centre
  supervisor and a department supervisor: the page, a level filter, a department filter, a deep page,
  the API.

PostgreSQL only (the figures the issue sets are PostgreSQL's): on SQLite the module reports nothing.
The SQL is assembled from integers and fixed fragments of this module (ruff S608 is silenced for
that reason), never from input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from benchmarks.harness import CpuMeter, time_calls

SIZES = {
    "small": {"cases": 100_000, "days": 90, "day_filings": 5_000, "open": 5_000, "samples": 30},
    "full": {"cases": 10_000_000, "days": 5 * 365, "day_filings": 50_000, "open": 50_000, "samples": 100},
}
DEPARTMENTS, ITEMS_PER_DEPARTMENT, WINDOWS = 30, 4, 40
REGION = "350194"  # credit codes of its own (the portal has 350196): benchmarks share a database
PREFIX = "bench_supervision"


# --- the world ------------------------------------------------------------------------------------


def _world() -> dict:
    """The centre, its departments, items and windows, and the staff the benchmark acts as."""
    from apps.accounts.models import Window, WindowKind
    from apps.accounts.roles import Role
    from tests.factories import DepartmentFactory, ServiceCentreFactory
    from tests.factories.accounts import make_staff, valid_uscc
    from tests.factories.catalogue import make_item

    centre = ServiceCentreFactory(name="基准电子监察中心")
    departments = [
        DepartmentFactory(
            centre=centre, name=f"监察基准局{n:02d}", credit_code=valid_uscc(970000 + n, region=REGION)
        )
        for n in range(DEPARTMENTS)
    ]
    windows = Window.objects.bulk_create(
        Window(centre=centre, number=f"S{n:02d}", kind=WindowKind.COMPREHENSIVE) for n in range(WINDOWS)
    )
    items = [make_item(department=d) for d in departments for _ in range(ITEMS_PER_DEPARTMENT)]
    return {
        "centre": centre,
        "departments": departments,
        "windows": windows,
        "items": items,
        "supervisor": make_staff(Role.SUPERVISOR, centre=centre),
        "department_supervisor": make_staff(Role.SUPERVISOR, centre=centre, department=departments[0]),
    }


def _array(values) -> str:
    return "ARRAY[" + ", ".join(str(int(v)) for v in values) + "]::bigint[]"


def _analyse(*tables: str) -> None:
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - fixed table names
    finally:
        connection.set_autocommit(autocommit)


def _count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} {where}")  # noqa: S608 - fixed fragments
        return cursor.fetchone()[0]


def _statements_of(client, url: str) -> int:
    statements: list[str] = []

    def count(execute, sql, *args):
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(statements)


def _measure(clients: dict, pages: dict, prefix: str, samples: int) -> dict[str, float]:
    """Median / p95 ms, queries and CPU per request of each page, as ``feedback.py`` measures."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    metrics: dict[str, float] = {}
    for name, (who, url) in pages.items():
        try:
            resolve(url.split("?", 1)[0])
        except Resolver404:  # a page or endpoint not routed (yet): said, and left out
            print(f"bench_supervision: {url} is not routed: {prefix}_{name} not measured", file=sys.stderr)
            continue
        client = clients[who]
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        metrics[f"{prefix}_{name}_queries"] = _statements_of(client, url)
        meter = CpuMeter(connection).start()
        timing = time_calls(lambda url=url, client=client: client.get(url), samples)
        python_cpu, database_cpu = meter.stop()
        metrics[f"{prefix}_{name}_median_ms"] = timing["median_ms"]
        metrics[f"{prefix}_{name}_p95_ms"] = timing["p95_ms"]
        metrics[f"{prefix}_{name}_python_cpu_ms"] = python_cpu * 1000 / (samples + 1)
        if database_cpu is not None:
            metrics[f"{prefix}_{name}_database_cpu_ms"] = database_cpu * 1000 / (samples + 1)
    return metrics


def _clients(world: dict) -> dict:
    clients = {}
    for who in ("supervisor", "department_supervisor"):
        clients[who] = Client()
        clients[who].force_login(world[who])
    return clients


# --- a day of the hall's work, walked once through the services, then copied -------------------


def _template_staff(world: dict, items: dict) -> dict:
    from apps.accounts.roles import Role
    from tests.factories.accounts import make_staff
    from tests.factories.certificates import make_seal

    window = world["windows"][0]
    departments = {item.department_id: item.department for item in items.values()}
    staff = {
        "clerk": make_staff(Role.CLERK, centre=world["centre"], window=window),
        "window": window,
        "issuer": make_staff(Role.ISSUER, centre=world["centre"], window=world["windows"][1]),
        "keeper": make_staff(Role.SEAL_KEEPER, centre=world["centre"]),
        "citizen": make_staff(Role.CITIZEN),
        "approvers": {pk: make_staff(Role.APPROVER, department=d) for pk, d in departments.items()},
        "signers": {pk: make_staff(Role.DECISION_MAKER, department=d) for pk, d in departments.items()},
    }
    make_seal(items["certificate"].department)
    return staff


def _template_items(world: dict) -> dict:
    """The items the hall's paths need, in the first departments: a certificate item posted or
    collected, one allowing a special procedure and an extension, one with a 容缺后补 material."""
    from apps.worktime.codes import SpecialProcedure
    from tests.factories.catalogue import MaterialFactory, checklist, make_item, requirement
    from tests.factories.certificates import issuing_rule

    departments = world["departments"]
    rule = issuing_rule()
    return {
        "plain": world["items"][0],
        "second": world["items"][ITEMS_PER_DEPARTMENT + 1],
        "certificate": make_item(
            department=departments[2],
            result_licence_type=rule.licence_type,
            postal_delivery_supported=True,
        ),
        "procedures": make_item(
            department=departments[3],
            special_procedures=[SpecialProcedure.EXPERT_REVIEW],
            max_extension_days=10,
        ),
        "deferrable": make_item(
            department=departments[4],
            children=checklist(
                requirement(MaterialFactory(name="身份证")),
                requirement(MaterialFactory(name="场所证明"), necessity="deferrable"),
            ),
        ),
    }


def _walk_the_day(world: dict, items: dict, staff: dict) -> int:
    """One filing down each of the hall's paths through the real services: a week ago for the cases
    decided, suspended, extended and issued today, and the filings returned or 容缺 then; today for
    the rest (``items`` and ``staff``: ``_template_items``, ``_template_staff``). Returns how many
    window decisions fell on today."""
    import time_machine

    from apps.accounts.identifiers import resident_id_check_char
    from apps.cases import services
    from apps.cases.codes import MaterialStatus
    from apps.cases.models import Outcome
    from apps.cases.review import services as review
    from apps.certificates import services as issuing
    from tests.cases.online_hall import submittable
    from tests.factories.cases import PERSON as SOMEONE
    from tests.factories.cases import online_filing

    # The day's applicant, with an identity of this benchmark's region: the online filing gives it
    # to the citizen's account, and an account's identity is unique (another benchmark's has the
    # factories' own).
    first17 = f"{REGION}19800101123"
    PERSON = dataclasses.replace(SOMEONE, id_number=first17 + resident_id_check_char(first17))  # noqa: N806

    clerk, window, centre = staff["clerk"], staff["window"], world["centre"]
    here = {"actor": clerk, "window": window}
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)), tz)

    def draft(*keys):
        return services.open_filing(
            centre=centre, applicant=PERSON, item_ids=[items[k].pk for k in keys], **here
        )

    def received(filing, *, status=MaterialStatus.ORIGINAL, leave=()):
        return [
            services.MaterialRecord(material_id, status)
            for material_id in filing.checklist.values_list("material_id", flat=True)
            if material_id not in leave
        ]

    def accepted(*keys):
        filing = draft(*keys)
        return services.accept(filing_id=filing.pk, materials=received(filing), **here)

    def deferred():
        filing = draft("deferrable")
        missing = filing.checklist.get(material__name="场所证明").material_id
        services.accept_with_deficiency(
            filing_id=filing.pk,
            commitment_date=timezone.localdate() + dt.timedelta(days=3),
            materials=received(filing, leave={missing}),
            **here,
        )
        return filing, missing

    def returned():
        filing = draft("plain")
        material = filing.checklist.values_list("material_id", flat=True).first()
        return services.return_for_completion(
            filing_id=filing.pk, corrections=[{"material": material, "reason": "复印件不清晰"}], **here
        )

    def claimed(case):
        approver = staff["approvers"][case.department_id]
        review.claim(case_id=case.pk, actor=approver)
        return approver

    week_ago = today - dt.timedelta(days=7)
    with time_machine.travel(at(week_ago, 10), tick=True):
        collected = accepted("certificate")
        posted = accepted("certificate")
        denied = accepted("plain")
        corrected = accepted("plain")
        special = accepted("procedures")
        extended = accepted("procedures")
        to_clear, missing = deferred()
        to_resubmit = returned()
    with time_machine.travel(at(today, 10), tick=True):
        # The window's day: each decision below is one of today's.
        accepted("plain")
        accepted("plain", "second")
        filing = online_filing(
            citizen=staff["citizen"], centre=centre, items=[items["second"]], applicant=PERSON
        )
        submittable(filing, staff["citizen"])
        services.submit_online(filing_id=filing.pk, actor=staff["citizen"])
        services.start_pre_review(filing_id=filing.pk, **here)
        services.accept(
            filing_id=filing.pk, materials=received(filing, status=MaterialStatus.ELECTRONIC), **here
        )
        deferred()
        returned()
        filing = draft("plain")
        services.refuse(
            filing_id=filing.pk,
            reasons="不属于本机关职权范围。",
            legal_basis="《行政许可法》第三十二条",
            **here,
        )
        filing = accepted("plain")
        services.withdraw(filing_id=filing.pk, reason="申请人撤回", **here)
        again = services.open_filing(
            centre=centre, applicant=PERSON, item_ids=[items["plain"].pk], resubmission_of=to_resubmit, **here
        )
        services.accept(filing_id=again.pk, materials=received(again), **here)
        decided_today = 8
        # The 容缺 of a week ago cleared today.
        services.clear_deficiency(
            filing_id=to_clear.pk, material_id=missing, status=MaterialStatus.ORIGINAL, **here
        )
        # The back office's day on the filings of a week ago.
        for filing in (collected, posted):
            case = filing.cases.get()
            approver = claimed(case)
            review.decide(
                case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, holder=PERSON.name, scope="食品销售"
            )
            request = issuing.request_issue(filing_id=filing.pk, actor=staff["issuer"])
            issuing.confirm_issue(request_id=request.pk, actor=staff["keeper"])
        issuing.hand_over(
            filing_id=collected.pk,
            actor=staff["issuer"],
            recipient_name=PERSON.name,
            recipient_id_number=PERSON.id_number,
        )
        issuing.post(
            filing_id=posted.pk,
            actor=staff["issuer"],
            recipient_name=PERSON.name,
            phone=PERSON.phone,
            address="福州市鼓楼区示范路1号",
            carrier="EMS",
            tracking_number="EMS0001",
        )
        case = denied.cases.get()
        review.decide(
            case_id=case.pk,
            actor=claimed(case),
            outcome=Outcome.DENY,
            reasons="经营场所与申请材料不符。",
            legal_basis="《中华人民共和国行政许可法》第三十八条",
        )
        case = corrected.cases.get()
        material = corrected.checklist.values_list("material_id", flat=True).first()
        review.request_correction(
            case_id=case.pk, actor=claimed(case), items=[{"material": material, "what": "章程缺少股东签字"}]
        )
        case = special.cases.get()
        review.start_special_procedure(
            case_id=case.pk, actor=claimed(case), procedure="expert_review", reason="需专家评审"
        )
        case = extended.cases.get()
        claimed(case)
        review.extend(case_id=case.pk, actor=staff["signers"][case.department_id], days=5, reason="情况复杂")
    return decided_today


def _tables():
    """Every concrete model with an integer id, and its table (auto-created M2M tables too)."""
    from django.apps import apps

    models = []
    for model in apps.get_models(include_auto_created=True):
        pk = model._meta.pk
        if not model._meta.managed or model._meta.proxy:
            continue
        if pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}:
            models.append(model)
    return models


def _high_water() -> dict:
    marks = {}
    with connection.cursor() as cursor:
        for model in _tables():
            table = model._meta.db_table
            cursor.execute(f"SELECT coalesce(max({model._meta.pk.column}), 0) FROM {table}")  # noqa: S608
            marks[model] = cursor.fetchone()[0]
    return marks


# What a day's work writes, copied: the filings and everything hanging off them. Not copied: the
# staff, the catalogue, counters and the outbox (the roll-up reads none of them per filing), nor the
# uploaded files (their rows point at stored files).
COPIED = (
    "cases.Filing",
    "cases.FilingItem",
    "cases.ChecklistEntry",
    "cases.Case",
    "cases.CorrectionRequest",
    "cases.Notice",
    "worktime.Clock",
    "worktime.Suspension",
    "worktime.Extension",
    "licences.ElectronicCertificate",
    "certificates.IssueRequest",
    "certificates.IssuedDocument",
    "certificates.SealUse",
    "certificates.Delivery",
    "audit.TransitionLog",
)
# The log's copy of its filing's number (``apps.audit.anchors``): suffixed as the filing's own.
ANCHORS = {"filing_number"}
# Each copy's times are the template's plus this many seconds per copy (wrapping round): the
# copies' events spread over six hours of the same day instead of one instant.
SPREAD_SECONDS = 6 * 3600


def _unique_texts(model) -> set[str]:
    """The text columns a unique constraint holds (alone or with others): each copy suffixes them."""
    texts = {
        f.column
        for f in model._meta.concrete_fields
        if f.get_internal_type() in {"CharField", "TextField", "SlugField"}
    }
    held = {f.column for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        for name in getattr(constraint, "fields", ()):
            held.add(model._meta.get_field(name).column)
    for together in model._meta.unique_together:
        held.update(model._meta.get_field(name).column for name in together)
    return texts & held


def _copy(before: dict, after: dict, copies: int) -> dict[str, int]:
    """Copy the rows each COPIED model gained between ``before`` and ``after`` (the walked day)
    ``copies`` times, in one INSERT … SELECT per table: ids shifted by the copy's number times the
    template's span, so that every reference between copied rows (a foreign key, or the log's
    subject) points into the same copy. Returns the rows written per table."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from apps.audit.models import TransitionLog

    models = [apps.get_model(label) for label in COPIED]
    span = {m: after[m] - before[m] for m in models}
    written: dict[str, int] = {}

    def shifted(column: str, model) -> str:
        lo, hi = before[model], after[model]
        inside = f"r.{column} > {lo} AND r.{column} <= {hi}"
        return f"CASE WHEN {inside} THEN r.{column} + k * {span[model]} ELSE r.{column} END"

    with connection.cursor() as cursor:
        for model in models:
            if not span[model]:
                continue
            table, pk = model._meta.db_table, model._meta.pk.column
            suffixed = _unique_texts(model) | (ANCHORS if model is TransitionLog else set())
            columns, selected = [], []
            for field in model._meta.concrete_fields:
                column = field.column
                columns.append(connection.ops.quote_name(column))
                if field.primary_key:
                    selected.append(f"r.{pk} + k * {span[model]}")
                elif field.is_relation and field.related_model in span:
                    selected.append(shifted(column, field.related_model))
                elif column in suffixed:
                    room = field.max_length - 8 if field.max_length else 200
                    selected.append(
                        f"CASE WHEN r.{column} IS NULL OR r.{column} = '' THEN r.{column} "
                        f"ELSE left(r.{column}, {room}) || '~' || k END"
                    )
                elif field.get_internal_type() == "DateTimeField":
                    selected.append(f"r.{column} + (k %% {SPREAD_SECONDS}) * interval '1 second'")
                elif model is TransitionLog and column == "object_id":
                    cases = " ".join(
                        f"WHEN {ContentType.objects.get_for_model(m).pk} THEN "
                        f"CASE WHEN r.object_id::bigint > {before[m]} AND r.object_id::bigint <= {after[m]} "
                        f"THEN (r.object_id::bigint + k * {span[m]})::text ELSE r.object_id END"
                        for m in models
                        if span[m] and m is not TransitionLog
                    )
                    selected.append(f"CASE r.content_type_id {cases} ELSE r.object_id END")
                else:
                    selected.append(f"r.{connection.ops.quote_name(column)}")
            where = f"r.{pk} > {before[model]} AND r.{pk} <= {after[model]}"
            if model is TransitionLog:  # only the log of what is copied
                types = ", ".join(
                    str(ContentType.objects.get_for_model(m).pk)
                    for m in models
                    if span[m] and m is not TransitionLog
                )
                where += f" AND r.content_type_id IN ({types})"
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                f"SELECT {', '.join(selected)} FROM {table} AS r, generate_series(1, %(copies)s) AS k "
                f"WHERE {where}",
                {"copies": copies},
            )
            written[table] = cursor.rowcount
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), (SELECT max({pk}) FROM {table}))"
            )
    return written


# The walked day's counts at the centre (filed items; ``_walk_the_day``'s plan, by hand): today's window
# decisions on 9 filed items — accepted 1 + 2 (two items) + 1 online + 1 withdrawn later today + the
# resubmission 1, 容缺 1, returned 1, refused 1 — of which 8 are first decisions (not the
# resubmission) and 6 of those passed; the 容缺 of a week ago cleared; three cases decided (two
# approved and issued, one collected and one posted; one denied), one suspended for a correction, one
# for a special procedure, one extended.
DAY_PLAN = {
    "decided_window": 8,
    "decided_online": 1,
    "decided_assisted": 0,
    "accepted": 6,
    "accepted_with_deficiency": 1,
    "returned": 1,
    "refused": 1,
    "withdrawn": 1,
    "first_decisions": 8,
    "first_time_passed": 6,
    "deficiencies_cleared": 1,
    "deficiencies_lapsed": 0,
    "materials_by_certificate": 0,
    "cases_decided": 3,
    "cases_approved": 2,
    "cases_denied": 1,
    "cases_on_time": 3,
    "days_counted": 3,
    "suspensions_correction": 1,
    "suspensions_special": 1,
    "extensions": 1,
    "certificates_issued": 2,
    "documents_posted": 1,
    "documents_collected": 1,
}


def _day_differs(world: dict, day: dt.date, units: int) -> dict:
    """The counts of the centre's row of ``day`` that differ from the plan times ``units`` (the walked
    day and its copies): {count: (rolled up, planned)}. Empty when the roll-up counted the plan."""
    from apps.supervision.models import WorkRollup

    row = WorkRollup.objects.filter(
        day=day, centre=world["centre"], department__isnull=True, dimension="centre"
    ).values(*DAY_PLAN)
    found = row.first() or {}
    return {
        name: (found.get(name), planned * units)
        for name, planned in DAY_PLAN.items()
        if found.get(name) != planned * units
    }


def _plant_day(world: dict, filings: int) -> dict:
    """Today's work: the walked day copied until it holds ``filings`` window decisions."""
    items = _template_items(world)
    staff = _template_staff(world, items)
    before = _high_water()
    decided = _walk_the_day(world, items, staff)
    after = _high_water()
    copies = max(0, -(-filings // decided) - 1)
    start = time.perf_counter()
    from django.db import transaction

    with transaction.atomic():
        written = _copy(before, after, copies)
    seconds = time.perf_counter() - start
    _analyse(*written)
    return {"copies": copies, "written": written, "seconds": seconds, "decided": decided * (copies + 1)}


# --- the dashboard's history: roll-up rows ---------------------------------------------------------

# What a roll-up row counts, as a multiple of its decided cases (b): consistent with each other
# (accepted ≤ decided, on time ≤ decided, …) and near a city hall's shares.
ROLLUP_COUNTS = {
    "decided_window": "round(b * 0.75)",
    "decided_online": "round(b * 0.35)",
    "decided_assisted": "round(b * 0.05)",
    "accepted": "round(b * 0.95)",
    "accepted_with_deficiency": "round(b * 0.06)",
    "returned": "round(b * 0.10)",
    "refused": "round(b * 0.02)",
    "withdrawn": "round(b * 0.01)",
    "first_decisions": "round(b * 1.05)",
    "first_time_passed": "round(b * 0.93)",
    "deficiencies_cleared": "round(b * 0.05)",
    "deficiencies_lapsed": "round(b * 0.005)",
    "materials_by_certificate": "round(b * 0.8)",
    "cases_decided": "b",
    "cases_approved": "b - round(b * 0.03)",
    "cases_denied": "round(b * 0.03)",
    "cases_on_time": "round(b * 0.97)",
    "days_counted": "b",
    "days_used": "b * 6",
    "days_promised": "b * 10",
    "days_legal": "b * 20",
    "suspensions_correction": "round(b * 0.04)",
    "suspensions_special": "round(b * 0.01)",
    "extensions": "round(b * 0.005)",
    "certificates_issued": "round(b * 0.9)",
    "documents_posted": "round(b * 0.3)",
    "documents_collected": "round(b * 0.6)",
}


def _rollup_keys(world: dict) -> list[tuple]:
    """(department or None, dimension, key, share of the day's cases) of every row a day has, as the
    roll-up writes them: each dimension for all departments, and again within each department."""
    centre = world["centre"].pk
    departments = [d.pk for d in world["departments"]]
    items = [(i.department_id, i.lineage_id) for i in world["items"]]
    windows = [w.pk for w in world["windows"]]
    d, n_items, n_windows = len(departments), len(items), len(windows)
    keys = [(None, "centre", centre, 1.0)]
    keys += [(None, "department", pk, 1 / d) for pk in departments]
    keys += [(None, "item", lineage, 1 / n_items) for _department, lineage in items]
    keys += [(None, "window", pk, 1 / n_windows) for pk in windows]
    for department in departments:
        keys.append((department, "centre", centre, 1 / d))
        keys.append((department, "department", department, 1 / d))
        keys += [(department, "item", lineage, 1 / n_items) for dep, lineage in items if dep == department]
        keys += [(department, "window", pk, 1 / (d * n_windows)) for pk in windows]
    return keys


def _fill_rollups(world: dict, cases: int, days: int) -> None:
    """Every day of ``days`` up to yesterday, each row's decided cases its share of the day's (the
    days add up to ``cases`` at the centre), the weekdays busier than the weekend, in one INSERT."""
    from apps.supervision.models.rollups import COUNTS

    keys = _rollup_keys(world)
    per_day = cases / days
    first = timezone.localdate() - dt.timedelta(days=days)
    departments = ", ".join("NULL" if k[0] is None else str(int(k[0])) for k in keys)
    dimensions = ", ".join(f"'{k[1]}'" for k in keys)
    key_ids = ", ".join(str(int(k[2])) for k in keys)
    shares = ", ".join(repr(float(k[3])) for k in keys)
    counts = ", ".join(ROLLUP_COUNTS[name] for name in COUNTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO supervision_workrollup (day, centre_id, department_id, dimension, "key",
                {", ".join(COUNTS)}, refreshed_at)
            SELECT day, %(centre)s, department_id, dimension, key, {counts}, now()
            FROM (
                SELECT DATE '{first.isoformat()}' + g AS day, k.department_id, k.dimension, k.key,
                    -- a day's share, give or take a fifth by key and day, so that the rows differ
                    greatest(0, round(
                        %(per_day)s * k.share * (0.8 + ((g * 7 + k.n * 13) %% 41) / 100.0)
                    ))::int AS b
                FROM generate_series(0, %(days)s - 1) AS g,
                    unnest(ARRAY[{departments}]::bigint[], ARRAY[{dimensions}]::text[],
                           ARRAY[{key_ids}]::bigint[], ARRAY[{shares}]::float8[])
                        WITH ORDINALITY AS k(department_id, dimension, key, share, n)
            ) AS rows
            """,  # noqa: S608 - integers and this module's fixed fragments
            {"centre": world["centre"].pk, "per_day": per_day, "days": days},
        )
    _analyse("supervision_workrollup")


# --- cases at risk ---------------------------------------------------------------------------------


def _fill_cases(world: dict, open_total: int, history: int) -> None:
    """``open_total`` open cases and ``history`` decided ones over the centre's departments (the
    department's first item), each with its filing, filed item and clock, in four INSERT … SELECT.
    The open cases' levels are set by the real sweep — 60 % in time, 20 % yellow, 12 % red, 8 %
    overdue — the overdue escalated by the real sweep, a third of them claimed by the department's
    approver, one in fifty on the green channel. The decided ones spread over the two years before
    today (what a day's roll-up reads past, and the at-risk index leaves out)."""
    from apps.accounts.roles import Role
    from apps.cases.sweeps import open_escalations, sweep_warnings
    from tests.factories.accounts import make_staff

    departments = world["departments"]
    items = [world["items"][n * ITEMS_PER_DEPARTMENT] for n in range(DEPARTMENTS)]
    approvers = [make_staff(Role.APPROVER, department=d).pk for d in departments]
    n = len(departments)
    is_open = "g < %(open)s"
    # bucket: g % 100 — <60 in time, <80 yellow, <92 red, else overdue (days from today)
    bucket = "(g %% 100)"
    yellow_on = f"CASE WHEN {bucket} < 60 THEN 5 WHEN {bucket} < 80 THEN -1 ELSE -4 END"
    red_on = f"CASE WHEN {bucket} < 60 THEN 8 WHEN {bucket} < 80 THEN 2 ELSE -1 END"
    due_on = (
        f"CASE WHEN {bucket} < 60 THEN 10 + g %% 20 WHEN {bucket} < 80 THEN 3 + g %% 7 "
        f"WHEN {bucket} < 92 THEN g %% 2 ELSE -1 - g %% 15 END"
    )
    # A decided case: accepted 1 to 730 days before today, decided 12 working days later or so.
    accepted = f"CASE WHEN {is_open} THEN current_date - 10 ELSE current_date - (1 + g %% 730) - 16 END"
    decided = "(current_date - (1 + g %% 730))"
    params = {"open": open_total, "n": open_total + history, "centre": world["centre"].pk}
    pick = "(ARRAY[{}])[1 + (g / 100) %% " + str(n) + "]"
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_filing")
        params["base"] = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM worktime_clock")
        params["clock_base"] = cursor.fetchone()[0] + 1
        cursor.execute(
            f"""
            INSERT INTO cases_filing (id, number, tracking_token, centre_id, window_id, channel, state,
                applicant_kind, applicant_name, applicant_id_number, applicant_phone, legal_representative,
                contact_name, contact_phone, agent_name, agent_id_number, agent_phone, created_at,
                decided_at, accepted_on, decision_reasons, completion_list, decision_legal_basis,
                green_channel, green_channel_reason)
            SELECT %(base)s + g, 'RISK' || g, md5('risk' || g), %(centre)s,
                {pick.format(", ".join(str(w.pk) for w in world["windows"]))},
                CASE WHEN g %% 3 = 0 THEN 'online' ELSE 'window' END,
                CASE WHEN {is_open} THEN 'accepted' ELSE 'closed' END,
                'person', '申请人' || g, '11010519491231002X', '13800000000', '', '', '', '', '', '',
                a.on_ + time '09:00', a.on_ + time '09:30', a.on_, '', '[]', '', g %% 50 = 0, ''
            FROM generate_series(0, %(n)s - 1) AS g, LATERAL (SELECT {accepted} AS on_) AS a
            """,  # noqa: S608 - integers and this module's fixed fragments
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO worktime_clock (id, centre_id, started_on, limit_days, extension_days, suspended_days,
                yellow_on, red_on, due_on, provisional, stopped_on, used_days)
            SELECT %(clock_base)s + g, %(centre)s, a.on_, 10, 0, 0,
                CASE WHEN {is_open} THEN current_date + ({yellow_on}) ELSE a.on_ + 11 END,
                CASE WHEN {is_open} THEN current_date + ({red_on}) ELSE a.on_ + 13 END,
                CASE WHEN {is_open} THEN current_date + ({due_on}) ELSE a.on_ + 14 END, false,
                CASE WHEN NOT {is_open} THEN {decided} END, CASE WHEN NOT {is_open} THEN 5 + g %% 9 END
            FROM generate_series(0, %(n)s - 1) AS g, LATERAL (SELECT {accepted} AS on_) AS a
            """,  # noqa: S608 - this module's fixed fragments
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO cases_case (filing_id, item_id, department_id, approval_category_id, clock_id,
                due_on, warning, state, created_at, claimed_by_id, claimed_at, decided_at, proposed_outcome,
                decision_holder, decision_scope, denial_reasons, denial_legal_basis, green_channel)
            SELECT %(base)s + g, {pick.format(", ".join(str(i.pk) for i in items))},
                {pick.format(", ".join(str(i.department_id) for i in items))},
                {pick.format(", ".join(str(i.approval_category_id) for i in items))},
                %(clock_base)s + g, k.due_on, 'normal',
                CASE WHEN NOT {is_open} THEN (CASE WHEN g %% 30 = 1 THEN 'denied' ELSE 'approved' END)
                     WHEN g %% 3 = 0 THEN 'in_review' ELSE 'queued' END,
                k.started_on + time '09:30',
                CASE WHEN g %% 3 = 0 THEN {pick.format(", ".join(map(str, approvers)))} END,
                CASE WHEN g %% 3 = 0 THEN k.started_on + time '10:00' END,
                CASE WHEN NOT {is_open} THEN {decided} + time '15:00' END,
                '', '', '', '', '', g %% 50 = 0
            FROM generate_series(0, %(n)s - 1) AS g JOIN worktime_clock k ON k.id = %(clock_base)s + g
            """,  # noqa: S608 - integers and this module's fixed fragments
            params,
        )
        cursor.execute(
            'INSERT INTO cases_filingitem (filing_id, item_id, "order") '
            "SELECT filing_id, item_id, 0 FROM cases_case WHERE filing_id >= %(base)s",
            params,
        )
        for table in ("cases_filing", "worktime_clock"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    sweep_warnings()
    open_escalations()
    _analyse("cases_filing", "cases_filingitem", "worktime_clock", "cases_case", "cases_escalation")


# --- the measurements ------------------------------------------------------------------------------


def _at_risk(world: dict, scale: str) -> dict[str, float]:
    from django.urls import reverse

    from apps.cases.models import OPEN_CASE, Case

    page = reverse("desks:at_risk")
    open_here = Case.objects.filter(state__in=OPEN_CASE, department__centre=world["centre"])
    at_risk = open_here.exclude(warning="normal").count()
    middle = max(1, at_risk // 25 // 2)
    department = world["departments"][1].pk
    pages = {
        "page": ("supervisor", page),
        "red": ("supervisor", f"{page}?level=red"),
        "department": ("supervisor", f"{page}?department={department}"),
        "deep_page": ("supervisor", f"{page}?page={middle}"),
        "department_supervisor": ("department_supervisor", page),
        "api": ("supervisor", "/api/v1/cases-at-risk/"),
        "api_red": ("supervisor", "/api/v1/cases-at-risk/?level=red"),
    }
    metrics = {
        "supervision_at_risk_open_cases": open_here.count(),
        "supervision_at_risk_cases": at_risk,
    }
    metrics.update(_measure(_clients(world), pages, "supervision_at_risk", SIZES[scale]["samples"]))
    return metrics


def _rollup_day(world: dict, scale: str) -> dict[str, float]:
    from apps.cases.models import Filing
    from apps.supervision import rollups

    today = timezone.localdate()
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    planted = _plant_day(world, SIZES[scale]["day_filings"])
    rollups.refresh_days([today])  # warm
    _analyse("supervision_workrollup")
    samples, rows, day_database = [], 0, None
    for _ in range(3):
        meter = CpuMeter(connection).start()
        start = time.perf_counter()
        rows = rollups.refresh_days([today])
        samples.append(time.perf_counter() - start)
        _python, day_database = meter.stop()
    samples.sort()
    # What the refresh costs without PostgreSQL's JIT compilation, which its cost estimate switches on
    # (a diagnosis: the hall's settings keep jit on).
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        try:
            start = time.perf_counter()
            rollups.refresh_days([today])
            without_jit = time.perf_counter() - start
        finally:
            cursor.execute("RESET jit")
    # The benchmark times a roll-up that counts what was planted: a difference is said (the figures
    # stand, the counts are the roll-up's owner's to look at).
    differs = _day_differs(world, today, planted["copies"] + 1)
    if differs:
        print(f"bench_supervision: today's roll-up differs from the plan: {differs}", file=sys.stderr)
    metrics = {
        "supervision_rollup_day_counts_as_planned": int(not differs),
        "supervision_rollup_day_jit_off_seconds": without_jit,
        "supervision_rollup_day_filings": Filing.objects.filter(
            centre=world["centre"], decided_at__gte=midnight, decided_at__lt=midnight + dt.timedelta(days=1)
        ).count(),
        "supervision_rollup_day_all_filings": _count("cases_filing"),
        "supervision_rollup_day_log_rows": _count("audit_transitionlog"),
        "supervision_rollup_day_copy_seconds": planted["seconds"],
        "supervision_rollup_day_seconds": samples[1],
        "supervision_rollup_day_rows": rows,
    }
    if day_database is not None:
        metrics["supervision_rollup_day_database_cpu_seconds"] = day_database
    return metrics


def _dashboard(world: dict, scale: str) -> dict[str, float]:
    from django.urls import reverse

    sizes = SIZES[scale]
    start = time.perf_counter()
    _fill_rollups(world, sizes["cases"], sizes["days"])
    fill_seconds = time.perf_counter() - start
    today = timezone.localdate()
    page = reverse("desks:work_figures")
    export = reverse("desks:work_figures_export")
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    year = f"from={(today - dt.timedelta(days=364)).isoformat()}&to={today.isoformat()}&period=month"
    everything = (
        f"from={(today - dt.timedelta(days=sizes['days'])).isoformat()}&to={today.isoformat()}&period=month"
    )
    department = world["departments"][1].pk
    pages = {
        "page": ("supervisor", page),
        "month": ("supervisor", f"{page}?month={last_month}"),
        "year": ("supervisor", f"{page}?{year}"),
        "all_years": ("supervisor", f"{page}?{everything}"),
        "department_year": ("supervisor", f"{page}?{year}&department={department}"),
        "department_supervisor_year": ("department_supervisor", f"{page}?{year}"),
        "xlsx_year": ("supervisor", f"{export}?{year}"),
        "api_year": ("supervisor", f"/api/v1/work-figures/?{year}"),
    }
    metrics = {
        "supervision_dashboard_rollup_rows": _count("supervision_workrollup"),
        "supervision_dashboard_cases": _sum_cases(world),
        "supervision_dashboard_fill_seconds": fill_seconds,
    }
    metrics.update(_measure(_clients(world), pages, "supervision_dashboard", sizes["samples"]))
    return metrics


def _sum_cases(world: dict) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(cases_decided), 0) FROM supervision_workrollup "
            "WHERE centre_id = %s AND department_id IS NULL AND dimension = 'centre'",
            [world["centre"].pk],
        )
        return int(cursor.fetchone()[0])


def run(scale: str) -> dict[str, float]:
    if connection.vendor != "postgresql":
        return {}
    sizes = SIZES[scale]
    world = _world()
    start = time.perf_counter()
    _fill_cases(world, sizes["open"], sizes["open"] * 20)
    metrics = {"supervision_cases_fill_seconds": time.perf_counter() - start}
    # The at-risk list first, while the open cases are the planted ones only.
    metrics.update(_at_risk(world, scale))
    metrics.update(_rollup_day(world, scale))
    metrics.update(_dashboard(world, scale))
    return metrics


if __name__ == "__main__":  # python -m benchmarks.bench_supervision [small|full]: this benchmark alone
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")
    os.environ.setdefault("DEBUG", "0")
    django.setup()
    from benchmarks.harness import benchmark_database, describe_database, print_table

    chosen = sys.argv[1] if len(sys.argv) > 1 else "small"
    with benchmark_database() as db:
        database = describe_database(db)
        figures = run(chosen)
    print_table(figures, scale=chosen, database=database)
