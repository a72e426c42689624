"""The audit viewer's search (apps.audit.search) over rows anchored when written (apps.audit.anchors):
by filing, person, action and date, cut by the reader's scope, a keyset page at a time."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.roles import Role
from apps.accounts.scopes import scope_of
from apps.audit import anchors
from apps.audit.models import DisclosureLog, TransitionLog
from apps.audit.search import Log, LogQuery, matching, search, visible_to
from apps.audit.services import record_step
from apps.cases.models import Case, Filing
from apps.catalogue.models import ServiceItem
from tests.audit.planted import plant
from tests.factories.accounts import UserFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db


def _rows_of(model, *subjects):
    """The log rows about these subjects, found by the subject columns (not by the anchors)."""
    keys = {(ContentType.objects.get_for_model(s).pk, str(s.pk)) for s in subjects}
    return {row.pk for row in model.objects.all() if (row.content_type_id, row.object_id) in keys}


def _all(scope, query, size=50):
    return [row.pk for row in search(scope, query, size=size).rows]


def test_every_anchor_path_names_a_real_model_and_lookup():
    for label, paths in anchors.PATHS.items():
        model = apps.get_model(label)
        for column, path in zip(anchors.COLUMNS, paths, strict=True):
            if path is not None:
                str(model._base_manager.values(anchors._lookup(column, path)).query)  # raises if wrong


def test_rows_are_anchored_when_written_at_the_subjects_centre_department_and_filing():
    planted = plant()
    case, filing = planted.case, planted.case.filing
    claim = TransitionLog.objects.get(transition="claim", object_id=str(case.pk))
    assert (claim.centre_id, claim.department_id, claim.filing_number) == (
        planted.centre.pk,
        planted.department.pk,
        filing.number,
    )
    for row in TransitionLog.objects.filter(pk__in=_rows_of(TransitionLog, filing)):
        assert (row.centre_id, row.department_id, row.filing_number) == (
            planted.centre.pk,
            None,
            filing.number,
        )
    shown = DisclosureLog.objects.get(viewer=planted.approver)
    assert (shown.centre_id, shown.filing_number) == (planted.centre.pk, filing.number)
    own = TransitionLog.objects.get(transition="password_changed")
    assert (own.centre_id, own.department_id, own.filing_number) == (None, None, "")


def test_a_subject_far_from_its_anchors_is_anchored_inside_the_insert():
    case = make_case()
    bare = Case.objects.get(pk=case.pk)  # its filing not loaded: the INSERT reads centre and number
    entry = record_step(bare, step="noted")
    entry = TransitionLog.objects.get(pk=entry.pk)
    assert (entry.centre_id, entry.department_id, entry.filing_number) == (
        case.filing.centre_id,
        case.department_id,
        case.filing.number,
    )


def test_fill_anchors_rows_written_in_bulk_without_them():
    case = make_case()
    row = TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk), transition="bulk"
    )
    assert row.centre_id is None
    assert anchors.fill(TransitionLog.objects.filter(pk=row.pk)) == 1
    row.refresh_from_db()
    assert (row.centre_id, row.department_id, row.filing_number) == (
        case.filing.centre_id,
        case.department_id,
        case.filing.number,
    )


def test_a_filing_number_finds_the_filings_rows_and_its_cases_and_no_other():
    planted = plant()
    expected = _rows_of(TransitionLog, planted.case.filing, planted.case)
    found = _all(None, LogQuery(filing=planted.case.filing.number))
    assert set(found) == expected and expected
    assert found == sorted(found, reverse=True)  # newest first
    other = _rows_of(TransitionLog, planted.other_case.filing, planted.other_case)
    assert not other & set(found)
    assert _all(None, LogQuery(log=Log.DISCLOSURES, filing=planted.case.filing.number)) == list(
        DisclosureLog.objects.values_list("pk", flat=True)
    )


def test_a_centres_supervisor_sees_their_centres_rows_a_departments_its_own_a_superuser_all():
    planted = plant()
    centre_rows = _rows_of(
        TransitionLog, planted.case.filing, planted.case, *planted.case.filing.items.all()
    ) | set(TransitionLog.objects.filter(centre=planted.centre).values_list("pk", flat=True))
    supervisor = make_staff(Role.SUPERVISOR, centre=planted.centre)
    seen = set(_all(scope_of(supervisor), LogQuery()))
    assert seen == set(TransitionLog.objects.filter(centre=planted.centre).values_list("pk", flat=True))
    assert _rows_of(TransitionLog, planted.case.filing, planted.case) <= seen <= centre_rows
    assert not seen & _rows_of(TransitionLog, planted.other_case.filing, planted.other_case)

    department_supervisor = make_staff(Role.SUPERVISOR, centre=planted.centre, department=planted.department)
    # The department's own: its case's rows, its catalogue items', and the own rows of the filing its
    # case is part of (opened, accepted …: anchored with no department), not the other filing's.
    items = ServiceItem.objects.filter(department=planted.department)
    filing_rows = _rows_of(TransitionLog, planted.case.filing)
    assert {"open", "accept"} <= set(
        TransitionLog.objects.filter(pk__in=filing_rows).values_list("transition", flat=True)
    )
    assert (
        set(_all(scope_of(department_supervisor), LogQuery()))
        == _rows_of(TransitionLog, planted.case, *items) | filing_rows
    )

    nobody = UserFactory()
    assert _all(visible_to(nobody), LogQuery()) == []
    superuser = UserFactory(is_superuser=True)
    assert set(_all(visible_to(superuser), LogQuery())) == set(
        TransitionLog.objects.values_list("pk", flat=True)
    )


def test_person_by_username_or_part_of_the_name_and_action():
    planted = plant()
    claim = TransitionLog.objects.get(transition="claim").pk
    by_name = _all(None, LogQuery(person="审批"))
    assert claim in by_name and set(by_name) == set(
        TransitionLog.objects.filter(actor=planted.approver).values_list("pk", flat=True)
    )
    assert _all(None, LogQuery(person=planted.approver.username.upper())) == by_name
    assert _all(None, LogQuery(person=planted.approver.username, action="claim")) == [claim]
    assert _all(None, LogQuery(person="无此人")) == []
    shown = list(DisclosureLog.objects.filter(what="applicant_id_number").values_list("pk", flat=True))
    assert _all(None, LogQuery(log=Log.DISCLOSURES, action="applicant_id_number")) == shown and shown
    assert _all(None, LogQuery(log=Log.DISCLOSURES, action="identity_number")) == []


def test_a_date_range_takes_whole_local_days():
    case = make_case()
    days = [dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    written = {}
    for day in days:
        # Late in the evening, local time: a UTC day would put it on the next.
        with time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 30))), tick=False):
            written[day] = record_step(case, step="noted").pk
    query = LogQuery(action="noted", date_from=days[1], date_to=days[1])
    assert _all(None, query) == [written[days[1]]]
    assert _all(None, LogQuery(action="noted", date_from=days[1])) == [written[days[2]], written[days[1]]]
    assert _all(None, LogQuery(action="noted", date_to=days[0])) == [written[days[0]]]


def test_pages_are_keyset_pages_newest_first_without_gaps():
    case = make_case()
    for n in range(5):
        record_step(case, step="noted", n=n)
    every = _all(None, LogQuery(action="noted"))
    pages, before = [], None
    while True:
        page = search(None, LogQuery(action="noted", before=before), size=2)
        pages.append([row.pk for row in page.rows])
        if page.next_before is None:
            break
        before = page.next_before
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sum(pages, []) == every == sorted(every, reverse=True)


def test_newest_first_is_by_the_rows_time_not_its_id_and_pages_follow_it(django_assert_num_queries):
    """A row written late with an earlier time (a step recorded afterwards, a planted history) sorts
    by its time: the id is no order of time. The pages follow that order, each one query."""
    case = make_case()
    now = timezone.now()
    written = {}
    for hours_ago in (0, 5, 1, 3):  # ids in this order, times not
        with time_machine.travel(now - dt.timedelta(hours=hours_ago), tick=False):
            written[hours_ago] = record_step(case, step="noted").pk
    with time_machine.travel(now - dt.timedelta(hours=1), tick=False):
        written["1b"] = record_step(case, step="noted").pk  # the same time as another: by id
    newest_first = [written[k] for k in (0, "1b", 1, 3, 5)]
    assert _all(None, LogQuery(action="noted")) == newest_first
    scope = scope_of(make_staff(Role.SUPERVISOR, centre=case.filing.centre))
    pages, before = [], None
    while True:
        with django_assert_num_queries(1):
            page = search(scope, LogQuery(action="noted", before=before), size=2)
        pages.append([row.pk for row in page.rows])
        if page.next_before is None:
            break
        before = page.next_before
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]


def test_a_page_is_one_query_for_one_row_or_many(django_assert_num_queries):
    case = make_case()
    record_step(case, step="noted")
    supervisor = make_staff(Role.SUPERVISOR, centre=case.filing.centre)
    scope = scope_of(supervisor)
    ContentType.objects.get_for_model(Filing)  # the content type cache, warm as in a running hall
    with django_assert_num_queries(1):
        one = search(scope, LogQuery(action="noted"))
        [str(row.actor) + str(row.centre) + str(row.content_type) for row in one.rows]
    for _ in range(30):
        record_step(case, step="noted", actor=supervisor)
    with django_assert_num_queries(1):
        many = search(scope, LogQuery(action="noted"))
        [str(row.actor) + str(row.centre) + str(row.content_type) for row in many.rows]
    assert len(one.rows) == 1 and len(many.rows) == 31


def test_rows_created_in_bulk_are_anchored_after_the_insert(django_assert_num_queries):
    case, other = make_case(), make_case()
    content_type = ContentType.objects.get_for_model(Case)
    with django_assert_num_queries(2):  # the INSERT, and one UPDATE for the one kind of subject
        TransitionLog.objects.bulk_create(
            TransitionLog(content_type=content_type, object_id=str(c.pk), transition="swept")
            for c in (case, other)
        )
    anchored = TransitionLog.objects.filter(transition="swept").order_by("pk")
    assert [(r.centre_id, r.department_id, r.filing_number) for r in anchored] == [
        (c.filing.centre_id, c.department_id, c.filing.number) for c in (case, other)
    ]


@pytest.mark.postgresql
def test_a_filing_tail_search_walks_the_tail_index_on_postgresql():
    """The (right(number, 12), -at, -id) index is partial (rows with a number): PostgreSQL can use it
    only if the query excludes empty numbers too — without that it read the whole log (300,000 rows:
    118 ms by a sequential scan, 0.3 ms by the index)."""
    from django.db import connection

    case = make_case()
    record_step(case, step="noted")
    query = matching(None, LogQuery(filing=case.filing.number[-12:]))
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "transitionlog_filing_tail" in plan
