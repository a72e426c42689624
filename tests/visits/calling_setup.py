"""What the calling tests share: a centre with areas A and B, two windows serving A (the first one B
too), a clerk at each; tickets planted with ``tests.factories.visits.make_ticket``."""

from __future__ import annotations

from apps.accounts.roles import Role
from tests.factories import ServiceCentreFactory, make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.visits import ServiceAreaFactory


class CallingHall:
    def __init__(self, centre=None):
        self.centre = centre or ServiceCentreFactory()
        self.window = comprehensive_window(self.centre)
        self.other_window = comprehensive_window(self.centre)
        self.area = ServiceAreaFactory(
            centre=self.centre, prefix="A", windows=[self.window, self.other_window]
        )
        self.other_area = ServiceAreaFactory(centre=self.centre, prefix="B", windows=[self.window])
        # An area no window of this hall serves.
        self.unserved_area = ServiceAreaFactory(centre=self.centre, prefix="C")
        self.clerk = make_staff(Role.CLERK, centre=self.centre, window=self.window)
        self.other_clerk = make_staff(Role.CLERK, centre=self.centre, window=self.other_window)
