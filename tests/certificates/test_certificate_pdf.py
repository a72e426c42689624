"""The PDFs of issued documents: what a certificate and a decision of denial say, the embedded font,
the verification QR code, the seal's image, and the same stored bytes at every download."""

import datetime as dt
import hashlib
import re
import subprocess

import pytest
import time_machine
from django.conf import settings

from apps.cases.models import Outcome
from apps.certificates.documents import document_pdf, render_pending_documents
from apps.certificates.models import DocumentKind, IssuedDocument, Layout
from apps.certificates.rendering import render_document
from apps.uploads.rendered import StoredFileAltered
from tests.capabilities import require
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import PERSON, accept_filing, make_filing
from tests.factories.certificates import (
    certificate_item,
    decide_all,
    issue,
    issuing_rule,
    make_seal,
    ready_filing,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)  # 10:00 in Shanghai
BASE = "https://hall.example.gov.cn"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.HALL_PUBLIC_BASE_URL = BASE


def run(*command) -> str:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, check=True).stdout


def pdf_text(path) -> str:
    """The text with all white space removed: lines wrap wherever the layout says."""
    return "".join(run("pdftotext", "-enc", "UTF-8", path, "-").split())


def certificate(**filing_kwargs) -> IssuedDocument:
    with time_machine.travel(TODAY, tick=False):
        [document] = issue(ready_filing(**filing_kwargs))
    return document


def test_a_certificate_prints_its_number_holder_identifier_check_code_and_issuer():
    require("pdftotext", "zbarimg")
    document = certificate()
    data = document_pdf(document)
    assert data.startswith(b"%PDF-")
    content = document.content
    text = pdf_text(document.pdf.path)
    for expected in [
        content["title"],
        f"编号：{document.number}",
        "张三",
        PERSON.id_number,  # the certificate itself carries the holder's full code
        f"电子证照标识：{document.library_entry.identifier}",
        f"核验码：{content['check_code']}",
        f"发证机关：{document.department.name}",
        "发证日期：2026年9月24日",
        "2026年9月24日至2031年9月23日",
        "预包装食品销售；热食类食品制售",
    ]:
        assert expected in text, expected


def test_a_certificate_embeds_its_font():
    require("pdftotext")
    document = certificate()
    document_pdf(document)
    lines = run("pdffonts", document.pdf.path).splitlines()[2:]
    assert lines, "no font listed"
    for line in lines:
        _name, *_, emb, _sub, _uni, _obj, _gen = line.split()
        assert emb == "yes", line


def test_the_qr_code_carries_exactly_the_verification_address(tmp_path):
    require("pdftotext", "zbarimg")
    document = certificate()
    document_pdf(document)
    page_one = ["-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile"]
    run("pdftoppm", *page_one, document.pdf.path, tmp_path / "p1")
    # Two codes: the verification address's, and the filing's rating link (扫码评价,
    # tests/certificates/test_certificate_rating_qr.py).
    [decoded] = [
        code for code in run("zbarimg", "--raw", "-q", tmp_path / "p1.png").split() if "/rate/" not in code
    ]
    assert decoded == f"{settings.HALL_PUBLIC_BASE_URL}/verify/{document.verification_token}/"
    assert decoded == f"{BASE}/verify/{document.verification_token}/"
    assert document.number not in decoded


def _images(path) -> list[str]:
    """The image XObjects pdfimages lists (after its two header lines), by type (image, smask)."""
    return [line.split()[2] for line in run("pdfimages", "-list", path).splitlines()[2:]]


def test_the_seal_is_printed_as_an_image(tmp_path):
    require("pdftotext")
    document = certificate()
    document_pdf(document)
    assert "image" in _images(document.pdf.path)
    # The image is the seal's: the same certificate drawn without it has none.
    unsealed = tmp_path / "unsealed.pdf"
    unsealed.write_bytes(render_document(document, None))
    assert _images(unsealed) == []


def test_downloads_are_identical_and_match_the_recorded_digest():
    document = certificate()
    first = document_pdf(document)
    document = IssuedDocument.objects.get(pk=document.pk)
    assert document.sha256 == hashlib.sha256(first).hexdigest()
    assert document.pdf.name.startswith(f"documents/{document.filing_id}/")  # unguessable name
    with time_machine.travel(dt.datetime(2027, 3, 1, 8, 0), tick=False):
        second = document_pdf(IssuedDocument.objects.get(pk=document.pk))
    assert second == first
    with open(document.pdf.path, "rb") as stored:
        assert stored.read() == first


def test_a_stored_file_altered_on_disk_is_refused():
    document = certificate()
    document_pdf(document)
    document = IssuedDocument.objects.get(pk=document.pk)
    with open(document.pdf.path, "r+b") as f:
        data = bytearray(f.read())
        data[len(data) // 2] ^= 0x01
        f.seek(0)
        f.write(data)
    with pytest.raises(StoredFileAltered, match=re.escape(document.number)):
        document_pdf(document)


def test_the_render_job_renders_pending_documents_once():
    with time_machine.travel(TODAY, tick=False):
        documents = issue(ready_filing(departments=2))
    assert set(IssuedDocument.objects.values_list("sha256", flat=True)) == {""}  # not rendered at issue
    assert render_pending_documents() == 2
    for document in IssuedDocument.objects.all():
        assert document.sha256 and document.pdf.name
        assert hashlib.sha256(document_pdf(document)).hexdigest() == document.sha256
    assert render_pending_documents() == 0
    assert {d.pk for d in documents} == set(IssuedDocument.objects.values_list("pk", flat=True))


def _page_size(path) -> tuple[float, float]:
    info = run("pdfinfo", path)
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match, info
    return float(match.group(1)), float(match.group(2))


def test_the_landscape_layout_gives_a_landscape_page_and_the_portrait_one_a_portrait_page():
    require("pdftotext")
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    make_seal(department)
    items = [
        certificate_item(department, rule=issuing_rule(layout=Layout.LANDSCAPE)),
        certificate_item(department, rule=issuing_rule(layout=Layout.PORTRAIT)),
    ]
    with time_machine.travel(TODAY, tick=False):
        filing = decide_all(accept_filing(make_filing(items=items, centre=centre)))
        documents = issue(filing)
    sizes = {}
    for document in documents:
        document_pdf(document)
        sizes[document.content["layout"]] = _page_size(document.pdf.path)
    width, height = sizes[Layout.LANDSCAPE]
    assert width > height
    width, height = sizes[Layout.PORTRAIT]
    assert width < height


def test_a_decision_of_denial_gives_reasons_basis_and_remedies():
    require("pdftotext")
    document = certificate(outcome=Outcome.DENY)
    assert document.kind == DocumentKind.DENIAL
    document_pdf(document)
    text = pdf_text(document.pdf.path)
    for expected in [
        "不予许可决定书",
        document.number,
        document.department.name,
        "经营场所与申请材料不符。",
        "《中华人民共和国行政许可法》第三十八条",
        "行政复议",
        "110105********002X",  # the applicant's code masked
    ]:
        assert expected in text, expected
    assert PERSON.id_number not in text


def test_a_certificate_renders_to_the_same_bytes_whenever_it_is_rendered():
    document = certificate()
    stored = document_pdf(document)
    # The document's own date (02:00 UTC is 10:00 in Shanghai), not the time of rendering.
    assert b"/CreationDate (D:20260924100000+08'00')" in stored
    with time_machine.travel(dt.datetime(2027, 2, 3, 15, 30), tick=False):
        again = IssuedDocument.objects.get(pk=document.pk)
        with open(again.seal.image.path, "rb") as seal:
            assert render_document(again, seal.read()) == stored


def test_a_type_without_a_validity_rule_prints_indefinite_validity():
    require("pdftotext")
    department = DepartmentFactory()
    make_seal(department)
    item = certificate_item(department, rule=issuing_rule(validity_years=None))
    with time_machine.travel(TODAY, tick=False):
        [document] = issue(decide_all(accept_filing(make_filing(items=[item]))))
    document_pdf(document)
    text = pdf_text(document.pdf.path)
    assert "有效期限2026年9月24日起长期有效" in text
