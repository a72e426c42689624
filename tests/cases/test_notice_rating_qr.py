"""Every notice prints a second QR code, 扫码评价: the filing's rating link (好差评), signed when the
notice is issued and stored on it, so that every print carries the very same code."""

import datetime as dt
import subprocess
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import resolve

from apps.cases import services
from apps.cases.notices.models import Notice, NoticeKind
from apps.cases.notices.rendering import render_notice
from apps.cases.notices.services import notice_pdf
from apps.cases.rating_links import read_token
from tests.capabilities import require
from tests.factories.cases import accept_filing, at_window, make_filing

pytestmark = pytest.mark.django_db

BASE = "https://hall.example.gov.cn"
TODAY = dt.datetime(2026, 9, 24, 10, 0)


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.HALL_PUBLIC_BASE_URL = BASE


def run(*args) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


def pdf_text(path) -> str:
    return "".join(run("pdftotext", "-enc", "UTF-8", path, "-").split())


def codes_on_page_one(path, tmp_path) -> list[str]:
    run("pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", "-singlefile", path, tmp_path / "p1")
    return run("zbarimg", "--raw", "-q", tmp_path / "p1.png").split()


def filing_of(url: str) -> int:
    """The filing a rating address names, read back as the rating page reads it."""
    match = resolve(urlsplit(url).path)
    assert match.view_name == "feedback:rate"
    return read_token(match.kwargs["token"])


@time_machine.travel(TODAY, tick=False)
def test_an_acceptance_notice_prints_the_rating_code_beside_the_tracking_code(tmp_path):
    require("pdftotext", "zbarimg")
    filing = accept_filing(make_filing())
    notice = Notice.objects.get(filing=filing, kind=NoticeKind.ACCEPTANCE)
    assert notice.rating_url.startswith(f"{BASE}/rate/")
    assert filing_of(notice.rating_url) == filing.pk

    notice_pdf(notice)
    text = pdf_text(notice.pdf.path)
    assert "扫码评价" in text and "扫码查询办理进度" in text
    codes = codes_on_page_one(notice.pdf.path, tmp_path)
    assert sorted(codes) == sorted([notice.rating_url, f"{BASE}/track/{filing.tracking_token}/"])
    # Neither code gives the filing's number or id away.
    assert all(filing.number not in code for code in codes)


@time_machine.travel(TODAY)
def test_the_rating_code_is_the_one_stored_at_issue_so_every_render_is_the_same():
    filing = accept_filing(make_filing())
    notice = Notice.objects.get(filing=filing, kind=NoticeKind.ACCEPTANCE)
    first = render_notice(notice)
    with time_machine.travel(TODAY + dt.timedelta(days=3)):
        assert render_notice(Notice.objects.get(pk=notice.pk)) == first


@time_machine.travel(TODAY, tick=False)
def test_a_refusal_notice_carries_the_rating_code_too(tmp_path):
    require("pdftotext", "zbarimg")
    filing = make_filing()
    services.refuse(
        **at_window(filing),
        filing_id=filing.pk,
        reasons="不属于本中心受理范围。",
        legal_basis="《中华人民共和国行政许可法》第三十二条",
    )
    notice = Notice.objects.get(filing=filing, kind=NoticeKind.REFUSAL)
    notice_pdf(notice)
    assert "扫码评价" in pdf_text(notice.pdf.path)
    codes = codes_on_page_one(notice.pdf.path, tmp_path)
    assert notice.rating_url in codes and filing_of(notice.rating_url) == filing.pk


@time_machine.travel(TODAY, tick=False)
def test_a_notice_issued_before_ratings_prints_no_rating_code(tmp_path):
    require("pdftotext", "zbarimg")
    filing = accept_filing(make_filing())
    notice = Notice.objects.get(filing=filing, kind=NoticeKind.ACCEPTANCE)
    Notice.objects.filter(pk=notice.pk).update(rating_url="")
    notice.refresh_from_db()
    notice_pdf(notice)
    assert "扫码评价" not in pdf_text(notice.pdf.path)
    assert codes_on_page_one(notice.pdf.path, tmp_path) == [f"{BASE}/track/{filing.tracking_token}/"]
