"""Factories of the hall's flow (apps.visits). One per model; a helper for a centre's usual set-up."""

import datetime as dt

import factory

from apps.visits.models import OpeningPeriod, ServiceArea
from tests.factories.accounts import ServiceCentreFactory
from tests.factories.catalogue import ApprovalCategoryFactory


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    centre = factory.SubFactory(ServiceCentreFactory)
    category = factory.SubFactory(ApprovalCategoryFactory)
    prefix = factory.Sequence(lambda n: "ABCDEFGHJKLMNPQRSTUVWXYZ"[n % 24])
    slot_capacity = 4

    @factory.post_generation
    def windows(self, create, extracted, **kwargs):
        if create and extracted:
            self.windows.add(*extracted)


class OpeningPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningPeriod

    centre = factory.SubFactory(ServiceCentreFactory)
    starts_at = dt.time(9, 0)
    ends_at = dt.time(12, 0)


def open_hall(centre) -> list[OpeningPeriod]:
    """The usual hours: 09:00–12:00 and 13:30–17:00 on each working day."""
    return [
        OpeningPeriodFactory(centre=centre, starts_at=dt.time(9, 0), ends_at=dt.time(12, 0)),
        OpeningPeriodFactory(centre=centre, starts_at=dt.time(13, 30), ends_at=dt.time(17, 0)),
    ]
