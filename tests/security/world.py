"""The hall the permission matrix runs against: two centres, three departments, a filing in every
state a desk or API acts on, and one user per role and place.

Everything the URLs point at belongs to the city, so that the county's staff test "at another
centre", approver@D2 "in another department", ``other_citizen`` "not the owner" and ``dual`` (a clerk
at the county, a supervisor at the city) "a role at two centres". Built once per module through the
real services and factories (see conftest.py for the transaction around it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import CentreLevel, RealNameLevel, User, Window, WindowKind
from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.cases import services as intake
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.models import Escalation, EscalationLevel
from apps.cases.notices.services import notice_pdf
from apps.cases.rating_links import make_token as make_rating_token
from apps.cases.review import services as review
from apps.cases.sweeps import sweep_warnings
from apps.catalogue import services as catalogue
from apps.catalogue.models import ImportJob, ItemMaterial, ServiceItem
from apps.certificates import services as certificates
from apps.certificates.documents import document_pdf
from apps.citizens import services as citizens
from apps.feedback import tickets as rectification
from apps.feedback.models import ActKind, Level
from apps.notifications.models import SiteMessage
from apps.worktime.models import Clock
from apps.worktime.warnings import WarningLevel
from tests.cases.online_hall import submittable
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import valid_uscc
from tests.factories.cases import MINIMAL_PDF as PDF
from tests.factories.cases import PERSON, accept_filing, online_filing
from tests.factories.catalogue import ApprovalCategoryFactory, BundleFactory, make_item
from tests.factories.certificates import certificate_item, make_seal
from tests.factories.feedback import rating
from tests.factories.visits import ServiceAreaFactory, open_hall

# The users of the matrix, in the order its columns are read. ``dual`` is a clerk at the county and
# a supervisor at the city; ``other_clerk@city`` is a clerk of the city who did not take the filing.
USERS = (
    "anonymous",
    "citizen",
    "other_citizen",
    "clerk@city",
    "other_clerk@city",
    "clerk@county",
    "approver@D1",
    "approver@D2",
    "approver@D3",
    "decision_maker@D1",
    "issuer@city",
    "issuer@county",
    "seal_keeper@city",
    "supervisor@city",
    "catalogue_admin@city",
    "catalogue_admin@county",
    "dual",
    "assistant@city",
)

# Supervisors of narrower or other scopes, in ``World.users`` but not the matrix's columns (below).
SCOPED_SUPERVISORS = ("supervisor@D1", "supervisor@D2", "supervisor@county")

# Who must never receive the city applicant's full identity number, in any response (spec: the
# clerks of the centre, the case's department and the applicant's own account see it; no one else).
NEVER_SEE_FULL_ID = frozenset(
    {
        "anonymous",
        "other_citizen",
        "clerk@county",
        "approver@D2",
        "approver@D3",
        "issuer@city",
        "issuer@county",
        "seal_keeper@city",
        "supervisor@city",
        "catalogue_admin@city",
        "catalogue_admin@county",
        "dual",
        "assistant@city",  # follows the assisted filing of someone else (ASSISTED_PERSON) only
    }
)

# The citizen's name on their account, their bookings and tickets (the city applicant's, as their
# filings are in it): the hall's screens show it masked.
CITIZEN_NAME = PERSON.name

# The applicant of the assisted filing (帮办代办) the city's assistant follows: not the city applicant.
ASSISTED_PERSON = ApplicantData(
    kind=ApplicantKind.PERSON, name="李四", id_number="35010219850612003X", phone="13900002222"
)


@dataclass(repr=False)  # a failing test prints its arguments: the row and the user say enough
class World:
    users: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # what the table's ``w.<name>`` references resolve to
    secrets: list = field(default_factory=list)  # strings that identify the city's filings
    full_id: str = PERSON.id_number


def _save_file(name: str) -> str:
    return default_storage.save(name, ContentFile(PDF))


def _catalogue(v: dict, city, county, d1, d2, d3):
    i1 = certificate_item(d1, postal_delivery_supported=True)  # every filing of the world is for it
    i2 = make_item(department=d2)
    i3 = make_item(department=d3)
    i4 = make_item(department=d3)
    draft = make_item(department=d1, publish_it=False)
    # Public guide files: a result sample and a blank form, so that the guide rows reach a file.
    ServiceItem.objects.filter(pk=i1.pk).update(result_sample=_save_file("catalogue/sample.pdf"))
    requirement = ItemMaterial.objects.filter(item=i1).first()
    ItemMaterial.objects.filter(pk=requirement.pk).update(blank_form=_save_file("catalogue/blank.pdf"))
    bundles = {}
    for name, centre, items in (("city", city, (i1, i2)), ("county", county, (i3, i4))):
        bundle = BundleFactory(centre=centre, promised_limit_days=10)
        catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
        catalogue.publish_bundle(bundle_id=bundle.pk)
        bundles[name] = bundle
    v.update(
        i1=i1.pk,
        i1_code=i1.lineage.code,
        i_draft=draft.pk,
        i_county=i3.pk,
        material=requirement.material_id,
        material_code=requirement.material.code,
        requirement=requirement.pk,
        category=i1.approval_category.code,
        bundle=bundles["city"].code,
        bundle_county=bundles["county"].code,
    )
    return i1, i3


def _users(city, county, d1, d2, d3, windows) -> dict:
    make = {
        "citizen": lambda: make_staff(Role.CITIZEN, username="m_citizen"),
        "other_citizen": lambda: make_staff(Role.CITIZEN, username="m_other_citizen"),
        "clerk@city": lambda: make_staff(Role.CLERK, centre=city, window=windows["city"]),
        "other_clerk@city": lambda: make_staff(Role.CLERK, centre=city, window=windows["city2"]),
        "clerk@county": lambda: make_staff(Role.CLERK, centre=county, window=windows["county"]),
        "approver@D1": lambda: make_staff(Role.APPROVER, department=d1),
        "approver@D2": lambda: make_staff(Role.APPROVER, department=d2),
        "approver@D3": lambda: make_staff(Role.APPROVER, department=d3),
        "decision_maker@D1": lambda: make_staff(Role.DECISION_MAKER, department=d1),
        "issuer@city": lambda: make_staff(Role.ISSUER, centre=city),
        "issuer@county": lambda: make_staff(Role.ISSUER, centre=county),
        "seal_keeper@city": lambda: make_staff(Role.SEAL_KEEPER, centre=city),
        "supervisor@city": lambda: make_staff(Role.SUPERVISOR, centre=city),
        "catalogue_admin@city": lambda: make_staff(Role.CATALOGUE_ADMIN, centre=city),
        "catalogue_admin@county": lambda: make_staff(Role.CATALOGUE_ADMIN, centre=county),
        "dual": lambda: make_staff(Role.CLERK, centre=county, window=windows["county2"]),
        "assistant@city": lambda: make_staff(Role.ASSISTANT, centre=city),
    }
    users = {name: build() for name, build in make.items()}
    assign_role(user=users["dual"], role=Role.SUPERVISOR, centre=city)
    # Supervisors the matrix's columns do not hold, for the supervision desk's scopes (issue 19,
    # test_supervision_scopes.py): a department's own (D1, the world's cases), another department's,
    # another centre's.
    for name, centre, department in (
        ("supervisor@D1", city, d1),
        ("supervisor@D2", city, d2),
        ("supervisor@county", county, None),
    ):
        users[name] = make_staff(Role.SUPERVISOR, centre=centre, department=department)
    return users


def _pre_reviewed(citizen, city, item, clerk, window, *, upload=False):
    """A citizen's online filing for ``item``, submitted and taken to ``clerk``'s window."""
    filing = online_filing(citizen=citizen, centre=city, items=[item])
    if upload:
        intake.attach_upload(
            filing_id=filing.pk,
            material_id=filing.checklist.get().material_id,
            file=SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf"),
            actor=citizen,
        )
    submittable(filing, citizen)  # the required file (if not uploaded above) and the declaration
    intake.submit_online(filing_id=filing.pk, actor=citizen)
    intake.start_pre_review(filing_id=filing.pk, actor=clerk, window=window)
    filing.refresh_from_db()
    return filing


def _decided(filing, approver):
    case = filing.cases.get()
    review.claim(case_id=case.pk, actor=approver)
    review.decide(case_id=case.pk, actor=approver, outcome="approve", holder=PERSON.name, scope="餐饮服务")
    filing.refresh_from_db()
    return filing


def _hall_flow(v: dict, city, county, users, windows, i1, i_county) -> None:
    """The hall's flow (issue 18) at both centres, through the real services: service areas (the city's
    A serves i1 at both its comprehensive windows, its B no window), opening hours and slots; the
    citizen's bookings of i1 on the next working day and later this morning; the city's paired kiosk
    and display; this morning's tickets at the city's area A: one skipped and one called at
    clerk@city's window A01 (the citizen's, by resident ID, of this morning's booking: aged 70 and
    over, called first, then skipped), one waiting; the
    assistant's assisted filing and another assistant to hand it over to."""
    from apps.cases import assistance
    from apps.visits import appointments, calling, devices, slots, ticketing
    from apps.visits.models import AppointmentSlot, DeviceKind, TicketSource

    supervisor, clerk = users["supervisor@city"], users["clerk@city"]
    area = ServiceAreaFactory(
        centre=city, category=i1.approval_category, prefix="A", windows=[windows["city"], windows["city2"]]
    )
    area_b = ServiceAreaFactory(centre=city, category=ApprovalCategoryFactory(), prefix="B")
    area_county = ServiceAreaFactory(
        centre=county,
        category=i_county.approval_category,
        prefix="A",
        windows=[windows["county"], windows["county2"]],
    )
    today = timezone.localdate()
    morning = open_hall(city)[0]
    open_hall(county)
    for centre in (city, county):
        slots.generate_ahead(centre.pk, today=today)
    ServiceItem.objects.filter(pk=i1.pk).update(appointment_supported=True)
    # The citizen books in their own name: the city applicant's (their filings are in that name too).
    citizen = users["citizen"]
    User.objects.filter(pk=citizen.pk).update(
        full_name=CITIZEN_NAME,
        id_number=PERSON.id_number,
        real_name_level=RealNameLevel.DECLARED,
        phone=PERSON.phone,
    )
    citizen.refresh_from_db()
    later = AppointmentSlot.objects.filter(area=area, date__gt=today).order_by("date", "starts_at")
    booked_slot, free_slot = later[0], later[1]
    appointment = appointments.book(citizen=citizen, slot_id=booked_slot.pk, item_id=i1.pk)
    # And a visit later this morning: the ticket taken with the resident ID is that booking's.
    this_morning = (
        AppointmentSlot.objects.filter(area=area, date=today, starts_at__gt=timezone.localtime().time())
        .order_by("starts_at")
        .first()
    )
    todays = appointments.book(citizen=citizen, slot_id=this_morning.pk, item_id=i1.pk)

    def paired(kind):
        _device, code = devices.pair_device(centre_id=city.pk, kind=kind, name="", actor=supervisor)
        return devices.claim_device(code=code)

    kiosk, kiosk_key = paired(DeviceKind.KIOSK)
    display, display_key = paired(DeviceKind.DISPLAY)
    awaiting, _code = devices.pair_device(centre_id=city.pk, kind=DeviceKind.KIOSK, name="", actor=supervisor)

    def walk_in():
        return ticketing.issue_ticket(centre_id=city.pk, source=TicketSource.WALK_IN, area_id=area.pk)

    waiting_first = walk_in()
    by_id = ticketing.issue_ticket(
        centre_id=city.pk, source=TicketSource.ID_NUMBER, id_number=PERSON.id_number, area_id=area.pk
    )
    waiting = walk_in()
    skipped = calling.call_next(window_id=windows["city"].pk, actor=clerk)
    assert by_id.appointment_id == todays.pk and by_id.name == CITIZEN_NAME
    assert skipped.pk == by_id.pk, "the elderly applicant's ticket is called first"
    calling.skip(ticket_id=skipped.pk, actor=clerk)
    called = calling.call_next(window_id=windows["city"].pk, actor=clerk)
    assert called.pk == waiting_first.pk

    assistant = users["assistant@city"]
    other_assistant = make_staff(Role.ASSISTANT, centre=city, username="m_other_assistant")
    assisted = assistance.open_assisted_filing(
        centre=city, applicant=ASSISTED_PERSON, actor=assistant, item_ids=[i1.pk]
    )
    v.update(
        area=area.pk,
        area_b=area_b.pk,
        area_county=area_county.pk,
        area_category=i1.approval_category_id,
        category_new=ApprovalCategoryFactory().pk,  # no area of the city serves it yet
        period=morning.pk,
        window_city2=windows["city2"].pk,
        slot=booked_slot.pk,
        free_slot=free_slot.pk,
        slot_date=booked_slot.date.isoformat(),
        appointment=appointment.pk,
        appointment_token=appointment.token,
        kiosk=kiosk.pk,
        kiosk_key=kiosk_key,
        display=display.pk,
        display_key=display_key,
        device_awaiting=awaiting.pk,
        t_called=called.pk,
        t_skipped=skipped.pk,
        t_waiting=waiting.pk,
        t_waiting_number=waiting.number,
        citizen_name=CITIZEN_NAME,
        f_assisted=assisted.pk,
        other_assistant=other_assistant.pk,
    )


def build_world() -> World:
    world = World()
    v = world.values
    city = ServiceCentreFactory(name="矩阵市政务服务中心", level=CentreLevel.CITY)
    county = ServiceCentreFactory(name="矩阵县政务服务中心", level=CentreLevel.COUNTY, region_code="350121")
    d1, d2 = DepartmentFactory(centre=city), DepartmentFactory(centre=city)
    d3 = DepartmentFactory(centre=county)
    windows = {
        key: Window.objects.create(centre=centre, number=number, kind=kind)
        for key, centre, number, kind in (
            ("city", city, "A01", WindowKind.COMPREHENSIVE),
            ("city2", city, "A02", WindowKind.COMPREHENSIVE),
            ("city_issuing", city, "C01", WindowKind.ISSUING),
            ("county", county, "A01", WindowKind.COMPREHENSIVE),
            ("county2", county, "A02", WindowKind.COMPREHENSIVE),
            ("county_issuing", county, "C01", WindowKind.ISSUING),
        )
    }
    users = world.users = _users(city, county, d1, d2, d3, windows)
    i1, i_county = _catalogue(v, city, county, d1, d2, d3)
    seal = make_seal(d1)  # its custodian is another keeper: seal_keeper@city confirms as the centre's
    citizen, clerk, approver = users["citizen"], users["clerk@city"], users["approver@D1"]

    draft = submittable(online_filing(citizen=citizen, centre=city, items=[i1]), citizen)
    submitted = submittable(online_filing(citizen=citizen, centre=city, items=[i1]), citizen)
    intake.submit_online(filing_id=submitted.pk, actor=citizen)
    pre_review = _pre_reviewed(citizen, city, i1, clerk, windows["city"])
    window_draft = intake.open_filing(
        centre=city, applicant=PERSON, item_ids=[i1.pk], actor=clerk, window=windows["city"]
    )

    def accepted(upload=False):
        return accept_filing(
            _pre_reviewed(citizen, city, i1, clerk, windows["city"], upload=upload), actor=clerk
        )

    # Accepted, with an ID scan uploaded, a correction answered with a file, and the acceptance notice.
    with_case = accepted(upload=True)
    case = with_case.cases.get()
    review.claim(case_id=case.pk, actor=approver)
    correction = review.request_correction(
        case_id=case.pk, actor=approver, items=[{"material": None, "what": "补充营业场所照片"}]
    )
    review.answer_correction(
        correction_id=correction.pk,
        actor=citizen,
        answer="见附件",
        files=[SimpleUploadedFile("照片.pdf", PDF, content_type="application/pdf")],
    )
    notice = with_case.notices.first()
    notice_pdf(notice)
    escalation = Escalation.objects.create(
        case=case,
        reason="overdue",
        level=EscalationLevel.DEPARTMENT,
        department=d1,
        opened_on=timezone.localdate(),
    )

    ready = _decided(accepted(), approver)
    issue_request = certificates.request_issue(filing_id=ready.pk, actor=users["issuer@city"])

    issued = _decided(accepted(), approver)
    asked = certificates.request_issue(filing_id=issued.pk, actor=users["issuer@city"])
    [document] = certificates.confirm_issue(request_id=asked.pk, actor=users["seal_keeper@city"])
    document_pdf(document)

    # A case at risk (红牌) of D1, due today as the warning sweep saw it: the supervision desk's cases
    # at risk (issue 19). Its clock is set rather than waited for.
    at_risk = accepted()
    red = at_risk.cases.get()
    Clock.objects.filter(pk=red.clock_id).update(
        due_on=timezone.localdate(), yellow_on=timezone.localdate(), red_on=timezone.localdate()
    )
    sweep_warnings(timezone.localdate())
    red.refresh_from_db()
    assert red.warning == WarningLevel.RED

    # Rectification tickets (整改) of D1: bad ratings of three pre-reviews by clerk@city, one ticket
    # open, one submitted for verification, one appealed with evidence.
    ticket, submitted_ticket, appealed_ticket = (
        rectification.open_ticket(rating(f, act=ActKind.ONLINE_PRE_REVIEW, level=Level.DISSATISFIED))
        for f in (with_case, ready, issued)
    )
    rectification.record_follow_up(
        ticket_id=submitted_ticket.pk,
        method="phone",
        followed_up_at=timezone.now(),
        note="已回访",
        actor=approver,
    )
    rectification.record_rectification(
        ticket_id=submitted_ticket.pk, cause="窗口不足", measures="增设窗口", actor=approver
    )
    rectification.submit_ticket(ticket_id=submitted_ticket.pk, actor=approver)
    rectification.appeal_ticket(
        ticket_id=appealed_ticket.pk,
        reason="非本人评价",
        evidence=SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf"),
        actor=approver,
    )

    # The citizen acts for an organisation as its agent, with a letter of authorisation.
    authorisation = citizens.add_organisation(
        user=citizen,
        organisation_name="矩阵餐饮有限公司",
        credit_code=valid_uscc(900),
        kind="agent",
        letter=SimpleUploadedFile("授权委托书.pdf", PDF, content_type="application/pdf"),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )

    # An in-site message to the citizen about a filing of theirs (its number a secret of the world).
    message = SiteMessage.objects.create(
        key=uuid.uuid4(),
        user=citizen,
        subject=f"受理通知 {with_case.number}",
        body=f"您的申请 {with_case.number} 已受理。",
        subject_ref=f"cases.filing:{with_case.pk}",
    )

    v.update(
        message=message.pk,
        authorisation=authorisation.pk,
        citizen_account=citizen.pk,
        f_draft=draft.pk,
        f_sub=submitted.pk,
        f_pre=pre_review.pk,
        f_win=window_draft.pk,
        f_case=with_case.pk,
        f_ready=ready.pk,
        f_issued=issued.pk,
        case=case.pk,
        case_ready=ready.cases.get().pk,
        case_issued=issued.cases.get().pk,
        case_red=red.pk,
        f_red_number=at_risk.number,
        upload=with_case.checklist.get().uploads.get().pk,
        draft_upload=draft.checklist.get().uploads.get().pk,
        correction=correction.pk,
        correction_file=correction.files.get().pk,
        notice=notice.pk,
        escalation=escalation.pk,
        ticket=ticket.pk,
        ticket_submitted=submitted_ticket.pk,
        ticket_appealed=appealed_ticket.pk,
        issue_request=issue_request.pk,
        import_job=ImportJob.objects.create(
            created_by=users["catalogue_admin@city"],
            file=_save_file("catalogue-imports/world.xlsx"),
            file_name="world.xlsx",
            fmt="xlsx",
            language="zh-hans",
        ).pk,
        document=document.pk,
        document_number=document.number,
        document_token=document.verification_token,
        check_code=document.content.get("check_code", ""),
        tracking_token=with_case.tracking_token,
        rating_token=make_rating_token(with_case.pk),
        seal=seal.pk,
        window_city=windows["city"].pk,
        city=city.pk,
        d1=d1.pk,
        person_id=PERSON.id_number,
        person_name=PERSON.name,
        today=dt.date.isoformat(timezone.localdate()),
    )
    _hall_flow(v, city, county, users, windows, i1, i_county)
    filings = (draft, submitted, pre_review, window_draft, with_case, ready, issued, at_risk)
    world.secrets = [f.number for f in filings] + [document.number, seal.name]
    return world
