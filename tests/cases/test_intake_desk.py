"""The clerk's desk: find, file, check, decide — through the HTML views and the same services."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import comprehensive_window, make_filing
from tests.factories.catalogue import MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client):
    centre = ServiceCentreFactory()
    window = comprehensive_window(centre)
    client.force_login(make_staff(Role.CLERK, centre=centre, window=window))
    client.centre, client.window = centre, window
    return client


def test_the_clerk_finds_an_item_by_pinyin_initials(clerk_client):
    item = make_item(name="食品经营许可", department=DepartmentFactory(centre=clerk_client.centre))
    make_item(name="别的中心的食品经营许可")
    page = clerk_client.get(reverse("desks:intake_search"), {"q": "spjy"}).content.decode()
    assert f"?item={item.pk}" in page
    assert "别的中心" not in page


def test_filing_checking_and_accepting_at_the_desk(clerk_client):
    material = MaterialFactory(name="身份证")
    item = make_item(
        department=DepartmentFactory(centre=clerk_client.centre), children=default_children([material])
    )
    response = clerk_client.post(
        reverse("desks:intake_new"),
        {
            "item": item.pk,
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_id_number": "11010519491231002X",
            "applicant_phone": "13812343210",
        },
    )
    filing = Filing.objects.get()
    assert response.url == reverse("desks:intake_filing", args=[filing.pk])
    page = clerk_client.get(response.url).content.decode()
    assert filing.number in page and "110105********002X" in page
    assert reverse("desks:intake_decide", args=[filing.pk, "accept"]) in page
    clerk_client.post(reverse("desks:intake_material", args=[filing.pk, material.pk]), {"status": "original"})
    clerk_client.post(reverse("desks:intake_decide", args=[filing.pk, "accept"]))
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED
    page = clerk_client.get(reverse("desks:intake_filing", args=[filing.pk])).content.decode()
    assert (
        reverse("desks:intake_decide", args=[filing.pk, "accept"]) not in page
    )  # decided: no more decisions
    desk = clerk_client.get(reverse("desks:intake")).content.decode()
    assert filing.number in desk


def test_a_wrong_identity_number_is_flagged_as_typed_and_refused(clerk_client):
    item = make_item(department=DepartmentFactory(centre=clerk_client.centre))
    hint = clerk_client.get(
        reverse("desks:intake_check_identity"),
        {"applicant_kind": "person", "applicant_id_number": "110105194912310021"},
    )
    assert "校验码错误" in hint.content.decode()
    ok = clerk_client.get(
        reverse("desks:intake_check_identity"),
        {"applicant_kind": "organisation", "applicant_id_number": "91350100M000100Y43"},
    )
    assert "✓" in ok.content.decode()
    page = clerk_client.post(
        reverse("desks:intake_new"),
        {
            "item": item.pk,
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_id_number": "110105194912310021",
        },
    ).content.decode()
    assert "校验码错误" in page
    assert not Filing.objects.exists()


def test_accepting_with_a_material_missing_says_which(clerk_client):
    material = MaterialFactory(name="租赁合同")
    item = make_item(
        department=DepartmentFactory(centre=clerk_client.centre), children=default_children([material])
    )
    filing = make_filing(items=[item], window=clerk_client.window)
    response = clerk_client.post(reverse("desks:intake_decide", args=[filing.pk, "accept"]), follow=True)
    assert "租赁合同尚未提交" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT


def test_the_filing_page_runs_a_constant_number_of_queries(clerk_client, django_assert_max_num_queries):
    materials = [MaterialFactory() for _ in range(2)]
    item = make_item(
        department=DepartmentFactory(centre=clerk_client.centre), children=default_children(materials)
    )
    small = make_filing(items=[item], window=clerk_client.window)
    with django_assert_max_num_queries(20):
        clerk_client.get(reverse("desks:intake_filing", args=[small.pk]))
    many = [MaterialFactory() for _ in range(12)]
    big_item = make_item(
        department=DepartmentFactory(centre=clerk_client.centre), children=default_children(many)
    )
    big = make_filing(items=[big_item], window=clerk_client.window)
    with django_assert_max_num_queries(20):
        clerk_client.get(reverse("desks:intake_filing", args=[big.pk]))


def test_another_centres_filing_is_not_found_at_this_desk(clerk_client):
    filing = make_filing()
    assert clerk_client.get(reverse("desks:intake_filing", args=[filing.pk])).status_code == 404
