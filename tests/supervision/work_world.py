"""A planted fortnight of one hall's work, made through the real services (window and online filings,
accepted, 容缺 cleared and lapsed, returned and resubmitted, refused, withdrawn; cases decided on time
and late, suspensions of both kinds, an extension; certificates issued, posted and collected), and its
right answers worked out by hand from this plan (``EXPECTED``), never by the roll-up.

The hall (one centre, one window A01, three departments):
- 土地 (L): item iL, promised 5 / legal 20 working days, expert review allowed, extensions up to 5,
  a certificate item;
- 市场 (M): item iM, promised 2 / legal 10, a certificate item;
- 综合 (O): the online hall's item iO (promised 10 / legal 20): an identity card, a business licence
  the applicant holds as an e-certificate (免证), a lease that may follow (容缺后补), a photo.

March 2026 (no holidays: Monday 2 … Monday 9):

Day 1, Mon 03-02
  F1 window, iL + iM (two filed items), accepted;
  F2 window, iL, refused;
  F3 online, iO, taken at A01 and returned for completion (its licence an e-certificate);
  F4 window, iO, 容缺 (the lease by 03-03);
  F6 window, iO, 容缺 (the lease by 03-06);
  F8 window, iM, accepted.
Day 2, Tue 03-03
  F5 online, iO: the resubmission of F3, taken and accepted (the e-certificate carried over);
  F6's lease handed in: its deficiency cleared;
  F7 window, iL, opened and withdrawn;
  F8's case approved (due 03-04: on time; 1 working day used), issued and collected at the window.
Day 3, Wed 03-04
  F1's iL case: expert review started (特别程序);
  F4's deficiency lapses (its commitment date has passed);
  F5's case: a correction requested (补正).
Day 5, Fri 03-06
  F1's iL case: review resumed (2 working days suspended), extended by 3, approved (due 03-16: on
  time; 4 − 2 = 2 working days used);
  F1's iM case denied (due 03-04: late; 4 working days used).
Day 8, Mon 03-09
  F1 issued (iL's certificate, iM's decision of denial) and posted;
  F6's case approved (due 03-16: on time; 5 working days used).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine

from apps.accounts.roles import Role
from apps.cases import online, services
from apps.cases.codes import MaterialStatus
from apps.cases.models import Case, Filing, Outcome
from apps.cases.review import services as review
from apps.certificates import services as issuing
from apps.worktime.codes import SpecialProcedure
from tests.cases.online_hall import accepted, make_hall, returned, submittable, submitted, taken
from tests.factories.accounts import DepartmentFactory, make_staff
from tests.factories.cases import PERSON, accept_filing, make_filing
from tests.factories.certificates import certificate_item, issue, make_seal

ZONE = ZoneInfo("Asia/Shanghai")
DAY_1, DAY_2, DAY_3, DAY_5, DAY_8 = (dt.date(2026, 3, d) for d in (2, 3, 4, 6, 9))
DAYS = (DAY_1, DAY_2, DAY_3, DAY_5, DAY_8)

PARCEL = {
    "recipient_name": PERSON.name,
    "phone": "13812343210",
    "address": "福建省福州市鼓楼区示范路1号",
    "carrier": "中国邮政EMS",
    "tracking_number": "1234567890123",
}


def at(day: dt.date, hour: int = 10, minute: int = 0):
    """Travel to ``day`` at ``hour`` local time (the clock still)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE), tick=False)


# The plan's right answers: per day, per department (L, M, O), the counts that are not zero.
EXPECTED = {
    DAY_1: {
        "L": {
            "decided_window": 2,  # F1's iL, F2
            "accepted": 1,
            "refused": 1,
            "first_decisions": 2,
            "first_time_passed": 1,
        },
        "M": {
            "decided_window": 2,  # F1's iM, F8
            "accepted": 2,
            "first_decisions": 2,
            "first_time_passed": 2,
        },
        "O": {
            "decided_window": 2,  # F4, F6
            "decided_online": 1,  # F3
            "accepted_with_deficiency": 2,
            "returned": 1,
            "first_decisions": 3,
            "first_time_passed": 2,
            "materials_by_certificate": 1,  # F3's licence
        },
    },
    DAY_2: {
        "L": {"withdrawn": 1},  # F7
        "M": {  # F8's case
            "cases_decided": 1,
            "cases_approved": 1,
            "cases_on_time": 1,
            "days_counted": 1,
            "days_used": 1,
            "days_promised": 2,
            "days_legal": 10,
            "certificates_issued": 1,
            "documents_collected": 1,
        },
        "O": {
            "decided_online": 1,  # F5, a resubmission: no first decision
            "accepted": 1,
            "materials_by_certificate": 1,  # F5's licence, carried over
            "deficiencies_cleared": 1,  # F6
        },
    },
    DAY_3: {
        "L": {"suspensions_special": 1},
        "O": {"deficiencies_lapsed": 1, "suspensions_correction": 1},
    },
    DAY_5: {
        "L": {
            "extensions": 1,
            "cases_decided": 1,
            "cases_approved": 1,
            "cases_on_time": 1,
            "days_counted": 1,
            "days_used": 2,
            "days_promised": 5,
            "days_legal": 20,
        },
        "M": {
            "cases_decided": 1,
            "cases_denied": 1,
            "days_counted": 1,
            "days_used": 4,
            "days_promised": 2,
            "days_legal": 10,
        },
    },
    DAY_8: {
        "L": {"certificates_issued": 1, "documents_posted": 1},
        "M": {"documents_posted": 1},  # the decision of denial, in the same parcel
        "O": {
            "cases_decided": 1,
            "cases_approved": 1,
            "cases_on_time": 1,
            "days_counted": 1,
            "days_used": 5,
            "days_promised": 10,
            "days_legal": 20,
        },
    },
}


@dataclass
class WorkWorld:
    hall: object
    departments: dict  # "L" / "M" / "O" -> Department
    items: dict  # "L" / "M" / "O" -> ServiceItem
    filings: dict  # "F1" … -> Filing
    approvers: dict

    @property
    def centre(self):
        return self.hall.centre

    @property
    def window(self):
        return self.hall.window


def _approve(case: Case, approver) -> None:
    review.decide(
        case_id=case.pk,
        actor=approver,
        outcome=Outcome.APPROVE,
        holder=PERSON.name,
        scope="预包装食品销售",
    )


def _window_filing(world_hall, items):
    return make_filing(
        items=items, centre=world_hall.centre, window=world_hall.window, clerk=world_hall.clerk
    )


def _clerk(hall) -> dict:
    return {"actor": hall.clerk, "window": hall.window}


def plant() -> WorkWorld:
    hall = make_hall()
    hall.certificate(PERSON.id_number)  # the business licence held as an e-certificate (免证)
    land = DepartmentFactory(centre=hall.centre, name="土地")
    market = DepartmentFactory(centre=hall.centre, name="市场")
    hall.item.department.name = "综合"
    hall.item.department.save(update_fields=["name"])
    for department in (land, market):
        make_seal(department)
    i_l = certificate_item(
        land,
        name="建设用地许可",
        promised_limit_days=5,
        legal_limit_days=20,
        special_procedures=[SpecialProcedure.EXPERT_REVIEW],
        max_extension_days=5,
        postal_delivery_supported=True,
    )
    i_m = certificate_item(
        market,
        name="食品经营许可",
        promised_limit_days=2,
        legal_limit_days=10,
        postal_delivery_supported=True,
    )
    departments = {"L": land, "M": market, "O": hall.item.department}
    approvers = {key: make_staff(Role.APPROVER, department=d) for key, d in departments.items()}
    signer = make_staff(Role.DECISION_MAKER, department=land)
    issuer = make_staff(Role.ISSUER, centre=hall.centre)
    f = {}

    with at(DAY_1):
        f["F1"] = accept_filing(_window_filing(hall, [i_l, i_m]))
        f["F2"] = _window_filing(hall, [i_l])
        services.refuse(
            filing_id=f["F2"].pk,
            reasons="不符合条件。",
            legal_basis="《行政许可法》第三十二条",
            **_clerk(hall),
        )
        f["F3"] = returned(hall, taken(hall, submitted(hall, hall.draft())), materials=[hall.id_card])
        f["F4"] = accepted(hall, _window_filing(hall, [hall.item]), deficiency_until=DAY_2)
        f["F6"] = accepted(hall, _window_filing(hall, [hall.item]), deficiency_until=DAY_5)
        f["F8"] = accept_filing(_window_filing(hall, [i_m]))

    with at(DAY_2):
        again = online.resubmit_returned(filing_id=f["F3"].pk, actor=hall.citizen)
        submittable(again, hall.citizen)
        services.submit_online(filing_id=again.pk, actor=hall.citizen)
        f["F5"] = accepted(hall, taken(hall, again))
        services.clear_deficiency(
            filing_id=f["F6"].pk, material_id=hall.lease.pk, status=MaterialStatus.ORIGINAL, **_clerk(hall)
        )
        f["F7"] = _window_filing(hall, [i_l])
        services.withdraw(filing_id=f["F7"].pk, reason="申请人撤回。", **_clerk(hall))
        case = f["F8"].cases.get()
        review.claim(case_id=case.pk, actor=approvers["M"])
        _approve(case, approvers["M"])
        issue(Filing.objects.get(pk=f["F8"].pk), issuer=issuer)
        issuing.hand_over(
            filing_id=f["F8"].pk,
            actor=issuer,
            recipient_name=PERSON.name,
            recipient_id_number=PERSON.id_number,
        )

    case_l = f["F1"].cases.get(item=i_l)
    case_m = f["F1"].cases.get(item=i_m)
    with at(DAY_3):
        review.claim(case_id=case_l.pk, actor=approvers["L"])
        review.start_special_procedure(
            case_id=case_l.pk,
            actor=approvers["L"],
            procedure=SpecialProcedure.EXPERT_REVIEW,
            reason="专家评审",
        )
        review.lapse_deficiency(filing_id=f["F4"].pk)
        case_o5 = f["F5"].cases.get()
        review.claim(case_id=case_o5.pk, actor=approvers["O"])
        review.request_correction(
            case_id=case_o5.pk, actor=approvers["O"], items=[{"material": None, "what": "补充门头照片"}]
        )

    with at(DAY_5):
        review.resume(case_id=case_l.pk, actor=approvers["L"])
        review.extend(case_id=case_l.pk, actor=signer, days=3, reason="情况复杂")
        _approve(case_l, approvers["L"])
        review.claim(case_id=case_m.pk, actor=approvers["M"])
        review.decide(
            case_id=case_m.pk,
            actor=approvers["M"],
            outcome=Outcome.DENY,
            reasons="经营场所与申请材料不符。",
            legal_basis="《中华人民共和国行政许可法》第三十八条",
        )

    with at(DAY_8):
        issue(Filing.objects.get(pk=f["F1"].pk), issuer=issuer)
        issuing.post(filing_id=f["F1"].pk, actor=issuer, **PARCEL)
        case_o6 = f["F6"].cases.get()
        review.claim(case_id=case_o6.pk, actor=approvers["O"])
        _approve(case_o6, approvers["O"])

    items = {"L": i_l, "M": i_m, "O": hall.item}
    return WorkWorld(hall, departments, items, f, approvers)
