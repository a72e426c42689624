"""A planted set of cases at risk for the at-risk list and the early escalation: two centres, cases
accepted on one day with different promised limits, swept on a later day (the real deadline sweep on
the real 2026 calendar), so that the centre holds overdue, red, yellow and on-time open cases, and a
decided case whose stored level is still overdue.

What each case's level should be is read in the tests from its clock's dates by the hall's rule
(``expected_level``), never from the list under test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import time_machine

from apps.accounts.roles import Role
from apps.cases.models import Case
from apps.cases.review import services as review
from apps.cases.sweeps import run_all
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, make_case

ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # Thursday 10:00 in Shanghai
SWEPT = dt.date(2026, 10, 9)  # a Friday after National Day: 5-day cases are red, 1-day overdue


def on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 1, 0), tick=False)


def expected_level(case: Case, day: dt.date = SWEPT) -> str:
    """The hall's rule, written out here: past the due date overdue, from the red date red, from the
    yellow date yellow."""
    clock = case.clock
    if day > clock.due_on:
        return "overdue"
    if day >= clock.red_on:
        return "red"
    if day >= clock.yellow_on:
        return "yellow"
    return "normal"


@dataclass
class World:
    centre: object
    other_centre: object
    x: object  # departments of the centre
    y: object
    z: object  # the other centre's department
    centre_supervisor: object
    y_supervisor: object
    other_supervisor: object
    approver_x: object
    cases: dict[str, Case] = field(default_factory=dict)

    def open_cases(self) -> list[Case]:
        return [c for name, c in self.cases.items() if name != "x_decided"]


def build(limits_x=(1, 5, 6, 7, 15), limits_y=(2, 5), limit_z=1, decided=True) -> World:
    centre, other_centre = ServiceCentreFactory(), ServiceCentreFactory()
    x, y = (
        DepartmentFactory(centre=centre, name="市场监管局"),
        DepartmentFactory(centre=centre, name="卫健委"),
    )
    z = DepartmentFactory(centre=other_centre, name="外区市场监管局")
    world = World(
        centre=centre,
        other_centre=other_centre,
        x=x,
        y=y,
        z=z,
        centre_supervisor=make_staff(Role.SUPERVISOR, centre=centre, full_name="督查中心"),
        y_supervisor=make_staff(Role.SUPERVISOR, centre=centre, department=y),
        other_supervisor=make_staff(Role.SUPERVISOR, centre=other_centre),
        approver_x=make_staff(Role.APPROVER, department=x, full_name="李审"),
    )
    with time_machine.travel(ACCEPTED, tick=False):
        for days in limits_x:
            world.cases[f"x{days}"] = make_case(department=x, promised_limit_days=days)
        for days in limits_y:
            world.cases[f"y{days}"] = make_case(department=y, promised_limit_days=days, applicant=COMPANY)
        if limit_z:
            world.cases[f"z{limit_z}"] = make_case(department=z, promised_limit_days=limit_z)
        if decided:
            world.cases["x_decided"] = make_case(department=x, promised_limit_days=1)
    with on(SWEPT):
        run_all()
        if "x5" in world.cases:
            review.claim(case_id=world.cases["x5"].pk, actor=world.approver_x)
        if decided:
            case = world.cases["x_decided"]
            review.claim(case_id=case.pk, actor=world.approver_x)
            review.decide(
                case_id=case.pk, actor=world.approver_x, outcome="approve", holder="张三", scope="食品销售"
            )
    for case in world.cases.values():
        case.refresh_from_db()
    return world
