import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.catalogue import services
from apps.catalogue.codes import Channel, Visits
from apps.catalogue.services import ItemChildren
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import MINIMAL_PDF as PDF
from tests.factories.catalogue import (
    ApprovalCategoryFactory,
    BundleFactory,
    MaterialFactory,
    default_children,
    make_item,
)

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_only_published_items(client):
    published = make_item(name="食品经营许可证核发")
    make_item(name="尚未发布的事项", publish_it=False)
    page = client.get(reverse("guides:catalogue")).content.decode()
    assert published.name in page
    assert "尚未发布的事项" not in page


@pytest.mark.parametrize("query", ["食品经营", "spjy", "SPJY", "市场监督"])
def test_search_by_name_pinyin_initials_and_department(client, query):
    department = DepartmentFactory(name="测试市市场监督管理局")
    make_item(name="食品经营许可证核发", department=department)
    make_item(name="民办学校办学许可")
    page = client.get(reverse("guides:catalogue"), {"q": query}).content.decode()
    assert "食品经营许可证核发" in page
    assert "民办学校办学许可" not in page


def test_search_by_code_prefix(client):
    item = make_item(name="按编码查找的事项")
    make_item(name="别的事项")
    page = client.get(reverse("guides:catalogue"), {"q": item.basic_code}).content.decode()
    assert "按编码查找的事项" in page and "别的事项" not in page


def test_filters_by_category_channel_and_visits(client):
    market = ApprovalCategoryFactory(code="market", name="市场准入")
    make_item(
        name="零跑动事项",
        approval_category=market,
        visits_required=Visits.NONE,
        channels=[Channel.ONLINE, Channel.MOBILE],
    )
    make_item(
        name="要跑一次的事项", approval_category=market, visits_required=Visits.ONE, channels=[Channel.WINDOW]
    )
    make_item(name="别的分类", visits_required=Visits.NONE, channels=[Channel.ONLINE])
    url = reverse("guides:catalogue")
    page = client.get(url, {"category": "market", "visits": "0"}).content.decode()
    assert "零跑动事项" in page and "要跑一次的事项" not in page and "别的分类" not in page
    page = client.get(url, {"channel": Channel.WINDOW}).content.decode()
    assert "要跑一次的事项" in page and "零跑动事项" not in page
    page = client.get(url, {"visits": "1", "category": "market"}).content.decode()
    assert "零跑动事项" in page and "要跑一次的事项" in page


def test_the_catalogue_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    category = ApprovalCategoryFactory()
    for _ in range(3):
        make_item(approval_category=category)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("guides:catalogue"), {"q": "测试"}).status_code == 200
    for _ in range(30):
        make_item(approval_category=category)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("guides:catalogue"), {"q": "测试"})
    assert response.content.decode().count('href="/guide/items/') == 20  # one page


def test_an_htmx_search_returns_only_the_results_fragment(client):
    make_item(name="局部刷新事项")
    response = client.get(reverse("guides:catalogue"), {"q": "局部"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "局部刷新事项" in body
    assert "<html" not in body


def test_the_item_guide_shows_every_element_and_the_checklist_in_constant_queries(
    client, django_assert_max_num_queries
):
    item = make_item(
        name="公共场所卫生许可", children=default_children([MaterialFactory(name="卫生检测报告")])
    )
    url = reverse("guides:item", args=[item.lineage.code])
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    for text in (
        "公共场所卫生许可",
        item.implementation_code,
        "卫生检测报告",
        item.legal_basis,
        item.conditions,
        "受理",
        "0591-12345679",
    ):
        assert text in page


def test_drafts_and_unknown_codes_have_no_guide(client):
    draft = make_item(publish_it=False)
    assert client.get(reverse("guides:item", args=[draft.lineage.code])).status_code == 404
    assert client.get(reverse("guides:item", args=["nope"])).status_code == 404


def test_the_bundle_guide_shows_the_merged_checklist(client):
    centre = ServiceCentreFactory()
    shared = MaterialFactory(name="营业执照")
    items = [
        make_item(
            name=f"事项{i}",
            department=DepartmentFactory(centre=centre),
            children=default_children([shared, MaterialFactory(name=f"专属材料{i}")]),
        )
        for i in range(3)
    ]
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)  # its items promise 10
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    services.publish_bundle(bundle_id=bundle.pk)
    page = client.get(reverse("guides:bundle", args=[bundle.code])).content.decode()
    assert page.count('data-material="' + shared.code + '"') == 1
    for i in range(3):
        assert f"专属材料{i}" in page
    assert "我要开饭店" in client.get(reverse("guides:catalogue")).content.decode()


def test_blank_forms_of_published_items_download_and_drafts_do_not(client):
    material = MaterialFactory()
    children = ItemChildren(
        materials=[
            {
                "material": material,
                "original_count": 1,
                "copy_count": 0,
                "necessity": "required",
                "form": "paper",
                "blank_form": SimpleUploadedFile("申请表.pdf", PDF),
            }
        ],
        steps=[{"name": "受理"}],
    )
    item = make_item(children=children)
    requirement = item.materials.get()
    response = client.get(reverse("guides:material_file", args=[requirement.pk, "blank_form"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    draft = services.start_new_version(lineage_id=item.lineage_id)
    draft_requirement = draft.materials.get()
    assert (
        client.get(reverse("guides:material_file", args=[draft_requirement.pk, "blank_form"])).status_code
        == 404
    )


def test_the_public_catalogue_shows_what_halls_offer_not_base_items(client):
    from apps.catalogue.codes import ItemKind

    base = make_item(kind=ItemKind.BASE, name="基本目录中的事项")
    implementation = make_item(name="中心实施的事项")
    page = client.get(reverse("guides:catalogue")).content.decode()
    assert "中心实施的事项" in page and "基本目录中的事项" not in page
    assert client.get(reverse("guides:item", args=[base.lineage.code])).status_code == 404
    centre = implementation.lineage.centre
    page = client.get(reverse("guides:catalogue"), {"centre": centre.pk}).content.decode()
    assert "中心实施的事项" in page
    elsewhere = make_item(name="别处的事项")
    page = client.get(reverse("guides:catalogue"), {"centre": elsewhere.lineage.centre_id}).content.decode()
    assert "中心实施的事项" not in page and "别处的事项" in page
