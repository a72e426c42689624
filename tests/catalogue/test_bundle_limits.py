"""A bundle's promised limit and its items' own (docs/domain.md, "Bundles"): each case runs on its own
item's promised limit; the bundle's promise is the whole filing's, so it is no shorter than its longest
item's promise (the items are approved in parallel) and no longer than its longest legal limit. Checked
when a bundle is saved (a draft on its limits) and when it is published, naming the item."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.cases.models import Case
from apps.catalogue import services
from apps.catalogue.models import Bundle, BundleState
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import at_window, make_filing
from tests.factories.catalogue import BundleFactory, make_item

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def items():
    """A registration promised in 1 day and a school licence promised in 30 (legal 60), one centre."""
    centre = ServiceCentreFactory()
    return [
        make_item(
            department=DepartmentFactory(centre=centre),
            name="企业设立登记",
            legal_limit_days=3,
            promised_limit_days=1,
        ),
        make_item(
            department=DepartmentFactory(centre=centre),
            name="民办学校办学许可",
            legal_limit_days=60,
            promised_limit_days=30,
        ),
    ]


def _draft(items, promised: int) -> Bundle:
    bundle = BundleFactory(centre=items[0].lineage.centre, promised_limit_days=30)
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    if promised != 30:
        Bundle.objects.filter(pk=bundle.pk).update(promised_limit_days=promised)  # as an old row
    return Bundle.objects.get(pk=bundle.pk)


def test_publishing_a_bundle_that_promises_less_than_an_item_is_refused_naming_the_item(items):
    bundle = _draft(items, 3)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.publish_bundle(bundle_id=bundle.pk)
    message = " ".join(exc.value.message_dict["promised_limit_days"])
    assert "民办学校办学许可" in message and items[1].lineage.code in message and "30" in message
    assert Bundle.objects.get(pk=bundle.pk).state == BundleState.DRAFT


def test_saving_a_draft_that_promises_less_than_an_item_is_refused(items):
    bundle = _draft(items, 30)
    with pytest.raises(ValidationError) as exc:
        services.save_bundle(
            values={"promised_limit_days": 3}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk
        )
    assert "民办学校办学许可" in " ".join(exc.value.message_dict["promised_limit_days"])
    assert Bundle.objects.get(pk=bundle.pk).promised_limit_days == 30


def test_a_bundle_promises_between_its_longest_item_promise_and_its_longest_legal_limit(items):
    bundle = _draft(items, 61)
    with pytest.raises(ValidationError) as exc:
        services.publish_bundle(bundle_id=bundle.pk)
    assert "60" in " ".join(exc.value.message_dict["promised_limit_days"])
    for promised in (30, 60):
        Bundle.objects.filter(pk=bundle.pk).update(promised_limit_days=promised)
        services.save_bundle(
            values={"promised_limit_days": promised},
            lineage_ids=[i.lineage_id for i in items],
            bundle_id=bundle.pk,
        )
    assert services.publish_bundle(bundle_id=bundle.pk).state == BundleState.PUBLISHED


@time_machine.travel(TODAY, tick=False)
def test_each_case_of_a_bundle_filing_runs_on_its_own_items_promised_limit(items):
    """The 30-day item gets its 30 days, the 1-day item its 1 day, whatever the bundle promises.
    (Needs the ``_case_limit`` of apps/cases/services.py given in the duties report.)"""
    bundle = _draft(items, 30)
    services.publish_bundle(bundle_id=bundle.pk)
    filing = make_filing(bundle=bundle)
    from tests.factories.cases import accept_filing

    accept_filing(filing, actor=at_window(filing)["actor"])
    cases_by_item = {
        c.item.name: c.clock.limit_days
        for c in Case.objects.filter(filing=filing).select_related("clock", "item")
    }
    assert cases_by_item == {"企业设立登记": 1, "民办学校办学许可": 30}
