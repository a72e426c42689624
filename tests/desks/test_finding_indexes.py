"""The name search is answerable from its index on PostgreSQL (cases migration 0012): the index's
expression is the one Django's case-insensitive containment writes, or it is never used. Timings are
not asserted; the plan's shape is."""

import pytest
from django.db import connection

from apps.cases import finding
from apps.cases.models import Filing
from tests.capabilities import require
from tests.factories.cases import COMPANY, PERSON, make_filing

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is small enough to read whole: forbid that, to see which index the condition
        # itself can be looked up in.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "field, q, index",
    [
        ("applicant_name__icontains", "示范餐饮", "filing_applicant_name_trgm"),
        # Django's varchar_pattern_ops index of the unique number (named for the model's old name).
        ("number__startswith", "NUMBER", "_number_"),
        ("applicant_id_number", PERSON.id_number, "filing_applicant"),
    ],
)
def test_each_way_of_finding_a_filing_has_its_index(field, q, index):
    require("postgresql")
    ours = make_filing(applicant=COMPANY)
    make_filing(applicant=PERSON)
    q = ours.number[:-4] if q == "NUMBER" else q
    if field == "applicant_id_number":
        q = ours.applicant_id_number
    typed = Filing.objects.filter(finding.matching(q, finding.FILINGS))
    assert list(typed) == [ours]
    plan = _plan(Filing.objects.filter(**{field: q}))
    scanned = [line for line in plan.splitlines() if "Index Scan on" in line]
    assert any(index in line for line in scanned), plan
    assert "Seq Scan" not in plan, plan
