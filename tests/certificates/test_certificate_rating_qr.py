"""Every certificate prints its filing's rating code (扫码评价, 好差评) beside the verification code:
smaller, overlapping neither the text nor the other code, for both layouts at the longest values; it
reads back to the filing, and every render of one certificate prints the very same code."""

from __future__ import annotations

import datetime as dt
import subprocess
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import resolve
from django.utils import timezone

from apps.cases.rating_links import ExpiredRatingToken, read_token
from apps.certificates.documents import document_pdf
from apps.certificates.models import DocumentKind, IssuedDocument
from apps.certificates.rendering import QR_SIZE, RATING_QR_SIZE, render_document
from tests.capabilities import require
from tests.certificates.test_certificate_layout import (
    LONG_DEPARTMENT,
    LONG_NAME,
    LONG_SCOPE,
    TYPES,
    content,
    overlaps,
    words,
)
from tests.factories.certificates import issue, ready_filing

BASE = "https://hall.example.gov.cn"
TODAY = dt.datetime(2026, 9, 24, 2, 0)  # 10:00 in Shanghai
CAPTIONS = {"扫码评价": RATING_QR_SIZE, "扫码核验真伪": QR_SIZE}


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.HALL_PUBLIC_BASE_URL = BASE


def run(*args) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


def codes(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    run("pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", "-singlefile", path, tmp_path / "p1")
    return run("zbarimg", "--raw", "-q", tmp_path / "p1.png").split()


def filing_of(url: str) -> int:
    match = resolve(urlsplit(url).path)
    assert match.view_name == "feedback:rate"
    return read_token(match.kwargs["token"])


def code_boxes(boxes) -> dict[str, tuple[float, float, float, float]]:
    """Each code's square, in pdftotext's coordinates (points, y down), from its caption: the code is
    drawn centred 3 mm above its caption's baseline."""
    found = {}
    for x0, y0, x1, _y1, text, _page in boxes:
        if text in CAPTIONS:
            size, centre = CAPTIONS[text], (x0 + x1) / 2
            found[text] = (centre - size / 2, y0 - size, centre + size / 2, y0 - 0.5)
    return found


def hits(square, boxes, own: str) -> list[str]:
    x0, y0, x1, y1 = square
    return [b[4] for b in boxes if b[4] != own and b[0] < x1 and x0 < b[2] and b[1] < y1 and y0 < b[3]]


def certificate(title: str, *, kind: str, name: str, scope: str, department: str) -> IssuedDocument:
    # Unsaved: rendering reads the content, the filing's id and the issue time, nothing else.
    return IssuedDocument(
        kind=DocumentKind.CERTIFICATE,
        filing_id=4321,
        issued_at=timezone.now(),
        content=content(title, TYPES[title], kind, name=name, scope=scope, department=department),
    )


@pytest.mark.parametrize("title", sorted(TYPES))
@pytest.mark.parametrize(
    ("name", "scope", "department"),
    [(LONG_NAME, LONG_SCOPE, LONG_DEPARTMENT), ("张三", "预包装食品销售", "示范市市场监督管理局")],
    ids=["longest", "short"],
)
def test_the_rating_code_overlaps_nothing_and_reads_back_to_the_filing(
    tmp_path, title, name, scope, department
):
    require("pdftotext", "zbarimg")
    document = certificate(title, kind="organisation", name=name, scope=scope, department=department)
    data = render_document(document)
    boxes = words(data, tmp_path)
    assert overlaps(boxes) == []
    squares = code_boxes(boxes)
    assert set(squares) == set(CAPTIONS), "both codes are captioned"
    for caption, square in squares.items():
        assert hits(square, boxes, caption) == [], caption
    rating, verification = squares["扫码评价"], squares["扫码核验真伪"]
    assert not (
        rating[0] < verification[2] and verification[0] < rating[2] and rating[1] < verification[3]
    ), "the two codes overlap"
    text = "".join(b[4] for b in boxes)
    assert f"发证机关：{department}" in text

    found = codes(data, tmp_path)
    assert len(found) == 2 and document.content["verify_url"] in found
    [rating_url] = [code for code in found if code != document.content["verify_url"]]
    assert rating_url.startswith(f"{BASE}/rate/") and filing_of(rating_url) == 4321


@pytest.mark.django_db
def test_an_issued_certificate_carries_its_filings_rating_code_the_same_at_every_render(tmp_path):
    require("pdftotext", "zbarimg")
    with time_machine.travel(TODAY, tick=False):
        filing = ready_filing()
        [document] = issue(filing)
        found = codes(document_pdf(document), tmp_path)
        unsealed = render_document(document, None)
    [rating_url] = [code for code in found if "/rate/" in code]
    with time_machine.travel(TODAY + dt.timedelta(days=30), tick=False):
        assert filing_of(rating_url) == filing.pk
        # Rendered again a month later: the very same bytes (the code is signed at the issue).
        assert render_document(IssuedDocument.objects.get(pk=document.pk), None) == unsealed
    # The link lasts HALL_RATING_LINK_DAYS from the issue, as one made at the issue would.
    with time_machine.travel(TODAY + dt.timedelta(days=366), tick=False), pytest.raises(ExpiredRatingToken):
        filing_of(rating_url)


def test_a_preview_has_no_filing_and_so_no_rating_code(tmp_path):
    require("pdftotext")
    document = certificate(
        sorted(TYPES)[0],
        kind="person",
        name="张三",
        scope="预包装食品销售",
        department="示范市市场监督管理局",
    )
    document.filing_id = None
    document.content["preview"] = True
    assert "扫码评价" not in "".join(b[4] for b in words(render_document(document), tmp_path))
