"""The catalogue search stays answerable from its indexes on PostgreSQL (migration 0004): a search whose
condition cannot use them (a department subquery OR-ed into it, say) reads the whole catalogue for
every search and every result count. Timings are not asserted; the plan's shape is."""

import pytest
from django.db import connection

from apps.catalogue import selectors
from apps.catalogue.models import ServiceItem
from tests.capabilities import require
from tests.factories import DepartmentFactory
from tests.factories.catalogue import make_item

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test catalogue is small enough to read whole or walk in code order: forbid both, to see
        # which index the search condition itself can be looked up in.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "query, index",
    [
        ("食品经营", "item_name_trgm"),
        ("spjy", "item_initials_prefix"),
        ("市场监督", "catalogue_serviceitem_department_id"),  # the department's name
        ("CODE", "item_basic_code_prefix"),
    ],
)
def test_a_search_and_its_count_are_answered_from_the_search_indexes(query, index):
    require("postgresql")
    department = DepartmentFactory(name="测试市市场监督管理局")
    item = make_item(name="食品经营许可证核发", department=department)
    make_item(name="民办学校办学许可")
    query = item.basic_code if query == "CODE" else query
    assert list(selectors.search_items(selectors.offered_items(), q=query)) == [item]
    # The search's own condition, on all the items (the guide adds "published", which a test
    # catalogue of two items would rather look up in another index).
    found = selectors.search_items(ServiceItem.objects.all(), q=query)
    for queryset in (found, found.order_by()):  # the page, and (unordered) what the count reads
        plan = _plan(queryset)
        assert f"Bitmap Index Scan on {index}" in plan, plan
        assert "Seq Scan on catalogue_serviceitem" not in plan, plan


def test_a_longer_word_still_lists_its_matches_in_code_order():
    department = DepartmentFactory()
    items = [make_item(name=f"测试排序事项{n}", department=department) for n in range(4)]
    found = selectors.search_items(selectors.offered_items(), q="排序事项")
    assert [i.pk for i in found] == [i.pk for i in sorted(items, key=lambda i: (i.basic_code, i.pk))]
    if connection.vendor == "postgresql":  # matches sorted, not the whole code index walked for them
        assert "item_state_code" not in _plan(found)
