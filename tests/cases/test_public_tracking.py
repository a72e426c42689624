"""The public tracking page of a bundle filing (issue 15, item 18): each department's progress, in
words an applicant reads, with no name of anyone working on it; a wrong token is the portal's own
404 page."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from apps.accounts.roles import Role
from apps.cases.codes import CaseState
from apps.cases.models import Outcome
from apps.cases.notices.tracking import PUBLIC_STEPS
from apps.cases.review import services as review
from apps.catalogue import services as catalogue
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import COMPANY, PERSON, accept_filing, make_filing
from tests.factories.catalogue import BundleFactory, MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)  # a Thursday, 10:00 in Shanghai


def bundle_filing(applicant=COMPANY):
    """我要开饭店 accepted: the food department approved its case, health has it in review, and the
    fire brigade's is still queued."""
    centre = ServiceCentreFactory()
    departments = [
        DepartmentFactory(centre=centre, name=name) for name in ("市场监管局", "卫健委", "消防救援支队")
    ]
    items = [
        make_item(name=name, department=department, children=default_children([MaterialFactory()]))
        for name, department in zip(
            ("食品经营许可", "公共场所卫生许可", "消防安全检查"), departments, strict=True
        )
    ]
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    filing = accept_filing(make_filing(bundle=bundle, applicant=applicant))
    food, health, _fire = filing.cases.order_by("pk")
    approver = make_staff(Role.APPROVER, department=food.department, full_name="李审批")
    review.claim(case_id=food.pk, actor=approver)
    review.decide(
        case_id=food.pk,
        actor=approver,
        outcome=Outcome.APPROVE,
        holder=filing.applicant_name,
        scope="热食类食品制售",
    )
    review.claim(
        case_id=health.pk, actor=make_staff(Role.APPROVER, department=health.department, full_name="周审批")
    )
    return filing


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


@time_machine.travel(TODAY, tick=False)
def test_each_department_shows_its_own_progress(client):
    filing = bundle_filing()
    food = filing.cases.order_by("pk").first()
    assert food.state in (CaseState.APPROVED, CaseState.AWAITING_DECISION)  # per the item's sign-off rule
    response = client.get(f"/track/{filing.tracking_token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "我要开饭店" in page
    rows = page.split('data-testid="department-progress"')[1:]
    assert len(rows) == 3
    expected = [
        ("市场监管局", "食品经营许可", zh(PUBLIC_STEPS[food.state][0])),
        ("卫健委", "公共场所卫生许可", zh(PUBLIC_STEPS[CaseState.IN_REVIEW][0])),
        ("消防救援支队", "消防安全检查", zh(PUBLIC_STEPS[CaseState.QUEUED][0])),
    ]
    for row, (department, item, step) in zip(rows, expected, strict=True):
        assert department in row and item in row and step in row, (department, step)
    # Three different steps, three different words.
    assert len({step for _d, _i, step in expected}) == 3
    # Who works on a case is not the public's business.
    assert "李审批" not in page and "周审批" not in page


@time_machine.travel(TODAY, tick=False)
def test_the_count_of_departments_decided_follows_the_decisions(client):
    filing = bundle_filing()
    decided = sum(c.state == CaseState.APPROVED for c in filing.cases.all())
    page = client.get(f"/track/{filing.tracking_token}/").content.decode()
    count = page.split('data-testid="decided-count">')[1].split("<")[0]
    assert str(decided) in count and "3" in count


@time_machine.travel(TODAY, tick=False)
def test_a_persons_bundle_filing_stays_masked(client):
    filing = bundle_filing(applicant=PERSON)
    page = client.get(f"/track/{filing.tracking_token}/").content.decode()
    assert "张*" in page and "张三" not in page
    assert PERSON.id_number not in page and filing.masked_id_number not in page
    assert PERSON.phone not in page


def test_a_wrong_token_is_the_portals_own_404_page(client):
    response = client.get("/track/no-such-token-at-all/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="error-page"' in page and 'data-status="404"' in page
    assert 'href="/"' in page  # a way on: the public home page
    assert "<h1>Not Found</h1>" not in page  # Django's bare page
