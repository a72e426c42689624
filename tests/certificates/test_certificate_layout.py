"""No text of a printed certificate overlaps another, for every certificate type (both layouts, each
type's headings, a person's and an organisation's code) at the longest realistic values: a
60-character name, a 200-character scope, a long department. Checked on the PDF as a reader sees it:
the boxes of the words pdftotext extracts (``-bbox``) must not intersect."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
import subprocess

import pytest
import time_machine
from django.utils import timezone

from apps.cases.models import Outcome
from apps.certificates.content import HOLDER_CODE_LABEL
from apps.certificates.documents import document_pdf
from apps.certificates.models import DocumentKind, IssuedDocument, Layout
from apps.certificates.rendering import render_document
from apps.demo.seeding.certificates import RULES
from tests.capabilities import require
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import COMPANY, accept_filing, make_filing
from tests.factories.certificates import certificate_item, decide_all, issue, issuing_rule, make_seal

LONG_NAME = (
    "示范省示范市鼓楼区东街口温泉路八十八号新世纪大酒店"
    "餐饮管理服务与连锁经营有限责任公司第一分公司鼓楼东街口温泉路第一营业部"
)
LONG_SCOPE = (
    "预包装食品（含冷藏冷冻食品）销售；散装食品（含冷藏冷冻食品）销售；特殊食品销售（保健食品、婴幼儿配方乳粉）；"
    "热食类食品制售；冷食类食品制售（含烧卤熟肉制品）；生食类食品制售（生食类水产品）；糕点类食品制售（含裱花蛋糕）；"
    "自制饮品制售（不含自酿酒）；餐饮服务管理；食品经营管理咨询；单位食堂（职工食堂）；会议及展览服务；"
    "外卖递送服务；住宿服务（限分支机构经营）；食品互联网销售（仅销售预包装食品）；食品检测"
)[:200]
LONG_DEPARTMENT = "示范省示范市鼓楼区市场监督管理局（知识产权局）"
# Every type the demo hall issues, and a type with the defaults (名称 / 许可范围, portrait).
TYPES = {
    name: {"holder_label": "名称", "scope_label": "许可范围", "layout": Layout.PORTRAIT, **rule}
    for name, rule in RULES.items()
}
TYPES["药品经营许可证"] = {"holder_label": "名称", "scope_label": "许可范围", "layout": Layout.PORTRAIT}
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(data: bytes, tmp_path) -> list[tuple[float, float, float, float, str, int]]:
    """Each word pdftotext finds: its box (x0, y0, x1, y1), its text and its page."""
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    return [
        (*map(float, m.groups()[:4]), html.unescape(m.group(5)), page)
        for page, markup in enumerate(out.stdout.split("<page ")[1:], start=1)
        for m in WORD.finditer(markup)
    ]


def printed(boxes) -> str:
    """The words in reading order, without the QR code's caption (which sits beside the fields of a
    landscape licence and so reads in the middle of a wrapped scope)."""
    return "".join(box[4] for box in boxes if box[4] != "扫码核验真伪")


def overlaps(boxes) -> list[tuple[str, str]]:
    """Pairs of words on one page whose boxes intersect (touching edges do not count)."""
    slack = 0.01
    return [
        (a[4], b[4])
        for a, b in itertools.combinations(boxes, 2)
        if a[5] == b[5]
        and a[0] < b[2] - slack
        and b[0] < a[2] - slack
        and a[1] < b[3] - slack
        and b[1] < a[3] - slack
    ]


def content(title: str, rule: dict, kind: str, *, name: str, scope: str, department: str) -> dict:
    return {
        "title": title,
        "layout": rule["layout"],
        "number": "JY13501022026000001",
        "identifier": "1.2.156.3005.2.11350100MB0000001X.JY13501022026000001.001.K",
        "check_code": "7KQ2M9XH",
        "holder_label": rule["holder_label"],
        "holder_name": name,
        "holder_code_label": HOLDER_CODE_LABEL[kind],
        "holder_code": "91350100M000100Y43" if kind == "organisation" else "11010519491231002X",
        "scope_label": rule["scope_label"],
        "scope": scope,
        "valid_from": "2026-09-24",
        "valid_until": "2031-09-23",
        "issuer": department,
        "issued_on": "2026-09-24",
        "verify_url": "https://hall.example.gov.cn/verify/Zk3q9VtXhR2mW8pLcN4bYs1A",
    }


def certificate(**values) -> IssuedDocument:
    # An unsaved document: rendering reads its content and nothing else.
    return IssuedDocument(kind=DocumentKind.CERTIFICATE, content=content(**values), issued_at=timezone.now())


@pytest.mark.parametrize("title", sorted(TYPES))
@pytest.mark.parametrize("kind", ["organisation", "person"])
@pytest.mark.parametrize(
    ("name", "scope", "department"),
    [(LONG_NAME, LONG_SCOPE, LONG_DEPARTMENT), ("张三", "预包装食品销售", "示范市市场监督管理局")],
    ids=["longest", "short"],
)
def test_no_text_of_a_certificate_overlaps(tmp_path, title, kind, name, scope, department):
    require("pdftotext")
    assert len(LONG_NAME) == 60 and len(LONG_SCOPE) == 200
    document = certificate(
        title=title, rule=TYPES[title], kind=kind, name=name, scope=scope, department=department
    )
    boxes = words(render_document(document), tmp_path)
    assert overlaps(boxes) == []
    text = printed(boxes)
    # Everything is still printed, in full.
    for expected in (
        name,
        scope,
        HOLDER_CODE_LABEL[kind],
        f"发证机关：{department}",
        "2026年9月24日至2031年9月23日",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_an_issued_licence_of_a_company_with_the_longest_name_and_scope(tmp_path):
    require("pdftotext")
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    make_seal(department)
    rule = issuing_rule(layout=Layout.LANDSCAPE, holder_label="名称", scope_label="经营范围")
    item = certificate_item(department, rule=rule)
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        filing = accept_filing(make_filing(items=[item], applicant=COMPANY, centre=centre))
        decide_all(filing, outcome=Outcome.APPROVE, holder=LONG_NAME, scope=LONG_SCOPE)
        [document] = issue(filing)
    boxes = words(document_pdf(document), tmp_path)
    assert overlaps(boxes) == []
    text = printed(boxes)
    assert LONG_NAME in text and LONG_SCOPE in text and "统一社会信用代码" in text


def denial(reasons: str) -> IssuedDocument:
    content = {
        "title": "不予许可决定书",
        "number": "BYXK-2026-000001",
        "applicant_name": LONG_NAME,
        "applicant_code_label": "统一社会信用代码",
        "applicant_code": "9135**********Y43",
        "item_name": "食品经营许可",
        "item_code": "11350100MB0000001X4000111000001",
        "filing_number": "SF202609240001",
        "accepted_on": "2026-09-24",
        "reasons": reasons,
        "legal_basis": "《中华人民共和国行政许可法》第三十八条",
        "issuer": LONG_DEPARTMENT,
        "issued_on": "2026-09-24",
    }
    return IssuedDocument(kind=DocumentKind.DENIAL, content=content, issued_at=timezone.now())


def test_a_denials_issuer_and_date_keep_the_last_lines_with_them(tmp_path):
    require("pdftotext")
    path = tmp_path / "denial.pdf"
    two_pages = 0
    # Reasons from half a page to more than a page: the foot crosses the page break somewhere here.
    for lines in range(18, 40):
        path.write_bytes(render_document(denial("经营场所与申请材料不符，现场核查不合格。" * 2 * lines)))
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        pages = ["".join(page.split()) for page in out.split("\f") if page.strip()]
        [signed] = [page for page in pages if page.endswith("2026年9月24日")]
        assert "六个月内依法向人民法院提起行政诉讼" in signed and LONG_DEPARTMENT in signed, lines
        assert overlaps(words(path.read_bytes(), tmp_path)) == []
        two_pages += len(pages) > 1
    assert two_pages
