"""Every window service refuses a clerk of another centre, whichever window they name: the check is the
service's own (``apps/cases/window_rules.py``), one per service here, so that removing it from any one
of them fails a test (docs/security.md, "Services authorise")."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases import services
from apps.cases.codes import FilingState, MaterialStatus
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, comprehensive_window, make_filing
from tests.factories.catalogue import MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    centre = ServiceCentreFactory()
    material = MaterialFactory(name="身份证")
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children([material]))
    return centre, item, material


@pytest.fixture
def outsider():
    """A window clerk at another centre, at their own window there."""
    window = comprehensive_window(ServiceCentreFactory())
    return make_staff(Role.CLERK, centre=window.centre, window=window), window


def _calls(filing, material):
    """Each window service, as a clerk would call it with valid input (only who acts is wrong)."""
    return {
        "record_materials": lambda actor, window: services.record_materials(
            filing_id=filing.pk,
            records=[services.MaterialRecord(material.pk, MaterialStatus.ORIGINAL)],
            actor=actor,
            window=window,
        ),
        "accept": lambda actor, window: services.accept(filing_id=filing.pk, actor=actor, window=window),
        "accept_with_deficiency": lambda actor, window: services.accept_with_deficiency(
            filing_id=filing.pk, commitment_date=timezone.localdate(), actor=actor, window=window
        ),
        "return_for_completion": lambda actor, window: services.return_for_completion(
            filing_id=filing.pk,
            corrections=[{"material": material.pk, "reason": "复印件不清晰"}],
            actor=actor,
            window=window,
        ),
        "refuse": lambda actor, window: services.refuse(
            filing_id=filing.pk,
            reasons="不属于本机关职权范围",
            legal_basis="《行政许可法》第三十二条",
            actor=actor,
            window=window,
        ),
        "withdraw": lambda actor, window: services.withdraw(
            filing_id=filing.pk, reason="申请人撤回", actor=actor, window=window
        ),
        "attach_upload": lambda actor, window: services.attach_upload(
            filing_id=filing.pk,
            material_id=material.pk,
            file=SimpleUploadedFile("id.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
            actor=actor,
            window=window,
        ),
        "start_pre_review": lambda actor, window: services.start_pre_review(
            filing_id=filing.pk, actor=actor, window=window
        ),
        "release_pre_review": lambda actor, window: services.release_pre_review(
            filing_id=filing.pk, actor=actor, window=window
        ),
        "clear_deficiency": lambda actor, window: services.clear_deficiency(
            filing_id=filing.pk,
            material_id=material.pk,
            status=MaterialStatus.ORIGINAL,
            actor=actor,
            window=window,
        ),
    }


SERVICES = [
    "accept",
    "accept_with_deficiency",
    "attach_upload",
    "clear_deficiency",
    "record_materials",
    "refuse",
    "release_pre_review",
    "return_for_completion",
    "start_pre_review",
    "withdraw",
]


@pytest.mark.parametrize("name", SERVICES)
def test_a_clerk_of_another_centre_is_refused(city, outsider, name):
    _centre, item, material = city
    filing = make_filing(items=[item])
    actor, own_window = outsider
    for window in (own_window, filing.window):
        with pytest.raises(PermissionDenied):
            _calls(filing, material)[name](actor, window)
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT
    assert [e.transition for e in history_of(filing)] == ["open"]


def test_a_filing_is_opened_only_by_a_clerk_of_its_centre(city, outsider):
    centre, item, _material = city
    actor, own_window = outsider
    for window in (own_window, comprehensive_window(centre)):
        with pytest.raises(PermissionDenied):
            services.open_filing(
                centre=centre, applicant=PERSON, item_ids=[item.pk], actor=actor, window=window
            )


def test_the_list_covers_every_window_service(city):
    _centre, item, material = city
    assert sorted(_calls(make_filing(items=[item]), material)) == SERVICES
