"""A notice prints the agent who filed on the applicant's behalf (代理人), a bundle's acceptance notice
included; and the seal and date at its foot never stand alone at the top of a page, whatever the
length of what precedes them."""

import dataclasses
import datetime as dt
import subprocess

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.identifiers import resident_id_check_char
from apps.cases.notices.models import Notice, NoticeKind
from apps.cases.notices.rendering import cn_date, render_notice
from apps.cases.notices.services import notice_pdf
from apps.catalogue import services as catalogue
from tests.capabilities import require
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import COMPANY, accept_filing, make_filing
from tests.factories.catalogue import BundleFactory, MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db
AGENT_ID = "35010219850612301" + resident_id_check_char("35010219850612301")
WITH_AGENT = dataclasses.replace(
    COMPANY, agent_name="赵六", agent_id_number=AGENT_ID, agent_phone="13700002222"
)


def pages(data: bytes, tmp_path) -> list[str]:
    """Each page's text with white space removed (pdftotext separates pages by a form feed)."""
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return ["".join(page.split()) for page in out.stdout.split("\f") if page.strip()]


def bundle_filing(applicant):
    centre = ServiceCentreFactory()
    shared = MaterialFactory(name="法定代表人身份证明")
    items = [
        make_item(
            name=name,
            department=DepartmentFactory(centre=centre),
            children=default_children([shared, MaterialFactory(name=f"{name}申请书")]),
        )
        for name in ("食品经营许可", "公共场所卫生许可")
    ]
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    return make_filing(bundle=bundle, applicant=applicant)


def test_the_acceptance_notice_of_a_bundle_names_the_agent(tmp_path):
    require("pdftotext")
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        filing = accept_filing(bundle_filing(WITH_AGENT))
    notice = Notice.objects.get(filing=filing, kind=NoticeKind.ACCEPTANCE)
    [text] = pages(notice_pdf(notice), tmp_path)
    assert "代理人赵六（身份证号码：" in text
    assert AGENT_ID not in text  # masked, as the applicant's own number is
    assert "食品经营许可" in text and "公共场所卫生许可" in text


def test_a_notice_without_an_agent_prints_no_agent_line(tmp_path):
    require("pdftotext")
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        filing = accept_filing(bundle_filing(COMPANY))
    [text] = pages(notice_pdf(Notice.objects.get(filing=filing, kind=NoticeKind.ACCEPTANCE)), tmp_path)
    assert "代理人" not in text


def acceptance(received: int) -> Notice:
    """An acceptance notice (unsaved: rendering reads the row alone) listing ``received`` materials."""
    content = {
        "centre": "示范市政务服务中心",
        "filing_number": "SF202609240001",
        "applicant_kind": "organisation",
        "applicant_name": "示范餐饮有限公司",
        "applicant_id_masked": "9135**********Y43",
        "agent_name": "",
        "agent_id_masked": "",
        "items": [{"name": "食品经营许可", "code": "11350100MB0000001X4000111000001"}],
        "accepted_on": "2026-09-24",
        "promised_on": "2026-10-15",
        "provisional": False,
        "clerk": "李受理",
        "received": [
            {"material": f"第{n}号申请材料", "status": "original", "certificate": ""}
            for n in range(1, received + 1)
        ],
        "missing": [],
        "commitment_date": None,
        "completion": [],
        "reasons": "",
        "legal_basis": "",
    }
    return Notice(
        kind=NoticeKind.ACCEPTANCE,
        number="SL202609240001",
        content=content,
        issued_at=timezone.now(),
        window_number="A01",
        tracking_url="https://hall.example.gov.cn/track/abc",
    )


def test_the_seal_and_date_keep_the_last_lines_with_them(tmp_path):
    require("pdftotext")
    two_pages = 0
    # From one page to two: somewhere in this range the foot no longer fits on the first page.
    for received in range(10, 30):
        notice = acceptance(received)
        texts = pages(render_notice(notice), tmp_path)
        [signed] = [page for page in texts if "示范市政务服务中心（盖章）" in page]
        assert cn_date(timezone.localdate(notice.issued_at)) in signed, f"{received}: the date is parted"
        assert f"{received}.第{received}号申请材料" in signed, f"{received} materials: the foot stands alone"
        two_pages += len(texts) > 1
    assert two_pages, "no length in the range made a second page"
