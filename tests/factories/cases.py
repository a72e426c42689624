from apps.accounts.models import Window, WindowKind
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.services import open_filing
from tests.factories.accounts import DepartmentFactory, ServiceCentreFactory
from tests.factories.catalogue import default_children, make_item

# The smallest file the upload check accepts as a PDF.
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PERSON = ApplicantData(
    kind=ApplicantKind.PERSON, name="张三", id_number="11010519491231002X", phone="13812343210"
)
COMPANY = ApplicantData(
    kind=ApplicantKind.ORGANISATION,
    name="示范餐饮有限公司",
    id_number="91350100M000100Y43",
    legal_representative="李四",
    contact_name="王五",
    contact_phone="13900001111",
)


def comprehensive_window(centre=None) -> Window:
    centre = centre or ServiceCentreFactory()
    return Window.objects.create(
        centre=centre, number=f"A{Window.objects.count() + 1:02d}", kind=WindowKind.COMPREHENSIVE
    )


def make_filing(
    *, items=None, bundle=None, applicant=PERSON, centre=None, window=None, clerk=None, **item_kwargs
):
    """A draft filing at a window, for the given items (or a new one) or a bundle."""
    if bundle is not None:
        centre = bundle.centre
    elif items is None:
        centre = centre or ServiceCentreFactory()
        item_kwargs.setdefault("children", default_children())
        items = [make_item(department=DepartmentFactory(centre=centre), **item_kwargs)]
    centre = centre or items[0].lineage.centre
    window = window or comprehensive_window(centre)
    return open_filing(
        centre=centre,
        applicant=applicant,
        item_ids=[i.pk for i in items] if items else None,
        bundle=bundle,
        actor=clerk or window_clerk(window),
        window=window,
    )


def window_clerk(window):
    """A clerk working at ``window`` (its centre's clerk, that window their usual one)."""
    from apps.accounts.roles import Role
    from tests.factories.accounts import make_staff

    return make_staff(Role.CLERK, centre=window.centre, window=window)


def at_window(filing) -> dict:
    """Who acts on a window filing in tests: the clerk who opened it, at its window."""
    return {"actor": filing.created_by, "window": filing.window}


def online_filing(*, citizen, centre, items=None, bundle=None, applicant=None):
    """A citizen's online draft in their own name (the account gets the identity if it has none)."""
    from apps.cases.services import open_online_filing

    applicant = applicant or PERSON
    if not citizen.id_number and applicant.kind == ApplicantKind.PERSON:
        citizen.id_number, citizen.full_name = applicant.id_number, applicant.name
        citizen.save(update_fields=["id_number", "full_name"])
    return open_online_filing(
        centre=centre,
        applicant=applicant,
        citizen=citizen,
        item_ids=[i.pk for i in items] if items else None,
        bundle=bundle,
    )


def accept_filing(filing, *, actor=None):
    """Accept a draft filing with every material received as an original (its cases start now)."""
    from apps.cases import services
    from apps.cases.codes import MaterialStatus

    filing.refresh_from_db()  # its window, if a pre-review gave it one
    received = [
        services.MaterialRecord(material_id, MaterialStatus.ORIGINAL)
        for material_id in filing.checklist.values_list("material_id", flat=True)
    ]
    services.accept(
        filing_id=filing.pk, actor=actor or filing.created_by, window=filing.window, materials=received
    )
    filing.refresh_from_db()
    return filing


def make_case(*, department=None, applicant=PERSON, **item_kwargs):
    """An accepted single-item filing's case, queued in ``department`` (a new one by default)."""
    department = department or DepartmentFactory()
    item_kwargs.setdefault("children", default_children())
    item = make_item(department=department, **item_kwargs)
    filing = accept_filing(make_filing(items=[item], applicant=applicant))
    return filing.cases.get()


def window_hall():
    """A centre with one item (its one material: 身份证) and a clerk at a comprehensive window there:
    (centre, item, material, window, clerk)."""
    from apps.accounts.roles import Role
    from tests.factories.accounts import make_staff
    from tests.factories.catalogue import MaterialFactory

    centre = ServiceCentreFactory()
    material = MaterialFactory(name="身份证")
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children([material]))
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    return centre, item, material, window, clerk
