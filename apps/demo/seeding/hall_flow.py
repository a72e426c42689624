"""The demo hall's flow (issue 18): three service areas at the city centre with its comprehensive
windows, the opening hours 09:00–12:00 and 13:30–17:00, the appointment slots of the booking horizon,
the filing assistant (帮办代办员) and, while the hall takes tickets today, a few waiting tickets.

Window A01 (the demo clerk 王小明's) serves every area, so that one clerk can call any ticket; A02–A04
serve one area each. Idempotent: the areas and hours are found by their natural keys and brought back
to the values below; tickets are issued only when the centre has none today.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from apps.accounts.models import ServiceCentre, User, Window
from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.catalogue.models import ApprovalCategory
from apps.core.errors import Conflict
from apps.visits.models import OpeningPeriod, ServiceArea, Ticket, TicketSource
from apps.visits.slots import booking_horizon, generate_ahead

# (approval category code, ticket prefix, windows serving it)
AREAS = [
    ("market", "A", ["A01", "A02"]),
    ("investment", "B", ["A01", "A03"]),
    ("social", "C", ["A01", "A04"]),
]
HOURS = [(dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 0))]
SLOT_CAPACITY = 4
# The demo logins are the roles' codes (``DemoUser.username``).
ASSISTANT = {"username": Role.ASSISTANT.value, "full_name": "陈帮办"}
# The demo citizen 张三's resident ID (born 1949): his ticket goes first (aged 70 or over).
ELDER_ID = "11010519491231002X"


def _assistant(centre: ServiceCentre) -> User:
    user, created = User.objects.get_or_create(username=ASSISTANT["username"])
    user.full_name = ASSISTANT["full_name"]
    if created or not user.has_usable_password():
        user.set_password(settings.HALL_DEMO_PASSWORD)
    user.save()
    assign_role(user=user, role=Role.ASSISTANT, centre=centre)
    return user


def _areas(centre: ServiceCentre) -> list[ServiceArea]:
    areas = []
    for order, (code, prefix, numbers) in enumerate(AREAS):
        category = ApprovalCategory.objects.get(code=code)
        area, _created = ServiceArea.objects.update_or_create(
            centre=centre,
            category=category,
            defaults={"prefix": prefix, "slot_capacity": SLOT_CAPACITY, "order": order, "is_active": True},
        )
        area.windows.set(Window.objects.filter(centre=centre, number__in=numbers))
        areas.append(area)
    return areas


def _hours(centre: ServiceCentre) -> None:
    OpeningPeriod.objects.filter(centre=centre).exclude(starts_at__in=[opens for opens, _ in HOURS]).delete()
    for opens, closes in HOURS:
        OpeningPeriod.objects.update_or_create(centre=centre, starts_at=opens, defaults={"ends_at": closes})


def _tickets(centre: ServiceCentre, areas: list[ServiceArea]) -> list[str]:
    """A few waiting tickets while the hall takes tickets today (through the kiosk's service); none
    on a day off or after closing, when they would only be closed unserved."""
    from apps.visits.ticketing import issue_ticket

    if Ticket.objects.filter(centre=centre, day=timezone.localdate()).exists():
        return []
    market, investment, _social = areas
    wanted = [
        {"source": TicketSource.WALK_IN, "area_id": market.pk},
        {"source": TicketSource.WALK_IN, "area_id": market.pk},
        {"source": TicketSource.ID_NUMBER, "area_id": market.pk, "id_number": ELDER_ID},
        {"source": TicketSource.WALK_IN, "area_id": investment.pk},
    ]
    try:
        return [issue_ticket(centre_id=centre.pk, **values).number for values in wanted]
    except Conflict:  # the hall is closed now
        return []


def seed_hall_flow(centre_name: str) -> list[str]:
    """Seed the demo hall's flow (idempotent); the lines seed_demo prints about it."""
    centre = ServiceCentre.objects.get(name=centre_name)
    assistant = _assistant(centre)
    areas = _areas(centre)
    _hours(centre)
    generate_ahead(centre.pk)
    today = timezone.localdate()
    tickets = _tickets(centre, areas)
    served = "; ".join(
        f"{area.prefix} {area.category.name} ({'、'.join(w.number for w in area.windows.order_by('number'))})"
        for area in areas
    )
    hours = ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in HOURS)
    lines = [
        f"Hall: service areas {served}; open {hours} on working days; appointments bookable until "
        f"{booking_horizon(centre.pk, today):%Y-%m-%d}.",
        f"  {assistant.username:<10} {Role.ASSISTANT.label} ({assistant.full_name})",
    ]
    if tickets:
        lines.append(
            f"Waiting tickets today: {', '.join(tickets)} (the supervision desk → 大厅设置 shows the set-up)."
        )
    elif not Ticket.objects.filter(centre=centre, day=today).exists():
        lines.append("No tickets seeded: the hall takes no tickets now (a day off, or after closing).")
    return lines
