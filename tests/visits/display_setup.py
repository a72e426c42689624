"""A hall with service areas, windows, tickets and calls, for the display's tests and benchmark."""

import datetime as dt

from apps.accounts.roles import Role
from apps.visits.models import TicketCall
from apps.visits.models.codes import CallKind, TicketState
from tests.factories.accounts import make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.catalogue import ApprovalCategoryFactory
from tests.factories.visits import ServiceAreaFactory, make_ticket


def _category(name):
    from apps.catalogue.models import ApprovalCategory

    found = ApprovalCategory.objects.filter(name=name).first()
    return found or ApprovalCategoryFactory(name=name)


def hall_areas(centre, names=("市场准入", "投资建设", "社会事务")):
    """The centre's areas A, B, C … with one window each."""
    areas = []
    for index, name in enumerate(names):
        window = comprehensive_window(centre)
        areas.append(
            ServiceAreaFactory(
                centre=centre,
                category=_category(name),
                prefix="ABCDEFGH"[index],
                order=index,
                windows=[window],
            )
        )
    return areas


def call_ticket(ticket, *, window, at, clerk=None, kind=CallKind.CALL) -> TicketCall:
    """What a clerk's "call next" leaves (apps.visits.calling): the ticket called to ``window``, and
    its call on the display's record."""
    clerk = clerk or make_staff(Role.CLERK, centre=ticket.centre, window=window)
    ticket.__dict__["state"] = TicketState.CALLED
    ticket.window = window
    ticket.called_at = at
    ticket.first_called_at = ticket.first_called_at or at
    ticket.call_count += 1
    ticket.save()
    return TicketCall.objects.create(
        centre=ticket.centre, ticket=ticket, window=window, kind=kind, at=at, by=clerk
    )


def called_ticket(area, *, issued, called, name="张三", clerk=None, **fields) -> TicketCall:
    ticket = make_ticket(area, at=issued, name=name, **fields)
    return call_ticket(ticket, window=area.windows.first(), at=called, clerk=clerk)


def at_local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
