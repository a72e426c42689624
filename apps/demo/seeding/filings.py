"""Demo filings: what a clerk finds on the intake desk the first time they open it.

The demo citizen has submitted two filings online; they wait in the city centre's pre-review queue
(网上预审). Seeded once: a later run leaves the citizen's filings as the demo left them.
"""

from __future__ import annotations

from apps.accounts.models import ServiceCentre
from apps.accounts.roles import Role
from apps.cases import services
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.models import Filing
from apps.catalogue import selectors as catalogue
from apps.demo.seeding.organisation import demo_account

# The demo citizen as they state themselves (a resident ID with a valid GB 11643 check digit).
CITIZEN_AS_APPLICANT = ApplicantData(
    kind=ApplicantKind.PERSON, name="张三", id_number="11010519491231002X", phone="13812343210"
)
ONLINE_ITEMS = ("个体工商户设立登记", "食品经营许可")


def seed_filings(centre_name: str) -> int:
    """Submit the demo citizen's online filings if they have none yet; returns how many were made."""
    citizen = demo_account(Role.CITIZEN)
    if Filing.objects.filter(citizen=citizen).exists():
        return 0
    centre = ServiceCentre.objects.get(name=centre_name)
    made = 0
    for name in ONLINE_ITEMS:
        item = catalogue.offered_items().filter(lineage__centre=centre, name=name).first()
        if item is None:  # a catalogue without this item: nothing to file
            continue
        filing = services.open_online_filing(
            centre=centre, applicant=CITIZEN_AS_APPLICANT, item_ids=[item.pk], citizen=citizen
        )
        _complete_online(filing, citizen)
        services.submit_online(filing_id=filing.pk, actor=citizen)
        made += 1
    return made


# A scan as small as a PDF can be (one page would do no better for a demo): what 张三 uploads.
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _complete_online(filing, citizen) -> None:
    """What the wizard asks before submitting: a file for every required material the filing lacks,
    then the declaration (apps.cases.online)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.cases import online

    for entry in online.missing_for_submit(filing):
        scan = SimpleUploadedFile(f"{entry.material.name}.pdf", SCAN, content_type="application/pdf")
        services.attach_upload(filing_id=filing.pk, material_id=entry.material_id, file=scan, actor=citizen)
    online.declare(filing_id=filing.pk, actor=citizen)


# A company collecting through an agent (张三, with his resident ID), for the certificate desk.
DEMO_COMPANY = ApplicantData(
    kind=ApplicantKind.ORGANISATION,
    name="示范餐饮有限公司",
    id_number="91350100M000100Y43",
    legal_representative="李四",
    contact_name="王五",
    contact_phone="13900001111",
    agent_name="张三",
    agent_id_number="11010519491231002X",
    agent_phone="13812343210",
)
READY_ITEM = "食品经营许可"


def seed_ready_for_issue(centre_name: str) -> int:
    """One filing accepted at window A01 and approved by the demo approver, waiting at the certificate
    desk (the issuer asks, the seal keeper confirms, 张三 collects for the company). Seeded once."""
    from apps.accounts.models import Window
    from apps.cases.codes import MaterialStatus
    from apps.cases.review import services as review

    _authorise_agent()
    if Filing.objects.filter(applicant_id_number=DEMO_COMPANY.id_number).exists():
        return 0
    centre = ServiceCentre.objects.get(name=centre_name)
    item = catalogue.offered_items().filter(lineage__centre=centre, name=READY_ITEM).first()
    if item is None:
        return 0
    clerk, approver, signer = (
        demo_account(role) for role in (Role.CLERK, Role.APPROVER, Role.DECISION_MAKER)
    )
    window = Window.objects.get(centre=centre, number="A01")
    filing = services.open_filing(
        centre=centre,
        applicant=DEMO_COMPANY,
        item_ids=[item.pk],
        actor=clerk,
        window=window,
    )
    received = [
        services.MaterialRecord(material_id, MaterialStatus.ORIGINAL)
        for material_id in filing.checklist.values_list("material_id", flat=True)
    ]
    services.accept(filing_id=filing.pk, actor=clerk, window=window, materials=received)
    case = filing.cases.get()
    review.claim(case_id=case.pk, actor=approver)
    review.decide(
        case_id=case.pk,
        actor=approver,
        outcome="approve",
        holder=DEMO_COMPANY.name,
        scope="预包装食品（含冷藏冷冻食品）销售；热食类食品制售",
        opinion="材料齐全，现场核查符合要求。",
    )
    if item.requires_second_signoff:
        review.sign_off(case_id=case.pk, actor=signer, opinion="同意。")
    return 1


def _authorise_agent() -> None:
    """张三 acts for the demo company as its authorised agent (经办人), so that he may also file for it
    online."""
    import datetime as dt

    from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation

    OrganisationAuthorisation.objects.get_or_create(
        user=demo_account(Role.CITIZEN),
        credit_code=DEMO_COMPANY.id_number,
        defaults={
            "organisation_name": DEMO_COMPANY.name,
            "kind": AuthorisationKind.AGENT,
            "valid_from": dt.date(2026, 1, 1),
            "valid_until": dt.date(2027, 12, 31),
        },
    )
