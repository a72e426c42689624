"""Notices (受理通知书, 容缺受理通知书, 一次性告知书, 不予受理通知书): their PDFs, numbers, reprints, and
the public tracking page their QR code leads to."""

import datetime as dt
import hashlib
import logging
import subprocess

import pytest
import time_machine
from django.db import transaction
from django.urls import include, path
from django.utils import translation

import hall.urls
from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.cases import services
from apps.cases.codes import FilingState, MaterialStatus
from apps.cases.notices import rendering
from apps.cases.notices.models import Notice, NoticeKind
from apps.cases.notices.rendering import render_notice
from apps.cases.notices.services import NoticeTampered, issue_notice, notice_pdf
from apps.catalogue.codes import MaterialForm, Necessity
from apps.catalogue.services import ItemChildren
from apps.core.errors import Conflict
from tests.capabilities import require
from tests.factories import DepartmentFactory, ServiceCentreFactory, UserFactory
from tests.factories.cases import COMPANY, PERSON, at_window, make_filing
from tests.factories.catalogue import MaterialFactory, make_item

# The lead mounts the tracking pages at /track/ in hall/urls.py; mounting them here too keeps these
# tests independent of that (and of the order in which the two changes land).
urlpatterns = [
    *[p for p in hall.urls.urlpatterns if getattr(p, "namespace", None) != "tracking"],
    path("track/", include("apps.cases.notices.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

TODAY = dt.datetime(2026, 9, 24, 10, 0)  # a Thursday before Mid-autumn and National Day
BASE = "https://hall.example.gov.cn"


def requirement(material, necessity=Necessity.REQUIRED):
    return {
        "material": material,
        "original_count": 1,
        "copy_count": 1,
        "necessity": necessity,
        "form": MaterialForm.PAPER,
    }


def filing_with(*requirements, **kwargs):
    return make_filing(
        children=ItemChildren(materials=list(requirements), steps=[{"name": "受理"}]), **kwargs
    )


def record(filing, material, status):
    services.record_material(**at_window(filing), filing_id=filing.pk, material_id=material.pk, status=status)


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.HALL_PUBLIC_BASE_URL = BASE


def issue(filing, kind, **kwargs):
    """The notice the decision issued in its own transaction (apps.cases.services), printed once (its
    PDF rendered and stored, as the render job or the clerk's first print does)."""
    notice = Notice.objects.get(filing=filing, kind=kind)
    notice_pdf(notice)
    return notice


def pdf_text(notice) -> str:
    """The notice's text with all white space removed: table cells wrap wherever the layout says."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", notice.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(out.split())


def accepted_filing(clerk):
    """An accepted filing (in a new centre) of an item promised in 5 working days."""
    id_card, lease = MaterialFactory(name="居民身份证"), MaterialFactory(name="房屋租赁合同")
    filing = filing_with(requirement(id_card), requirement(lease), promised_limit_days=5)
    record(filing, id_card, MaterialStatus.ORIGINAL)
    record(filing, lease, MaterialStatus.COPY)
    assign_role(user=clerk, role=Role.CLERK, centre=filing.centre, window=filing.window)
    services.accept(filing_id=filing.pk, actor=clerk, window=filing.window)
    filing.refresh_from_db()
    return filing


@time_machine.travel(TODAY, tick=False)
def test_acceptance_notice_states_the_promise_with_an_embedded_font_and_a_tracking_qr(tmp_path):
    require("pdftotext", "zbarimg")
    clerk = UserFactory(full_name="李受理")
    filing = accepted_filing(clerk)
    notice = issue(filing, NoticeKind.ACCEPTANCE, actor=clerk, window=filing.window)

    centre = filing.centre
    assert notice.number == f"350100-{centre.pk:04d}-SL-2026-00001"
    assert (notice.issued_by, notice.window_number) == (clerk, filing.window.number)
    text = pdf_text(notice)
    item = filing.items.get().item
    for expected in [
        centre.name,
        "受理通知书",
        notice.number,
        filing.number,
        "张三",
        "110105********002X",  # masked
        item.name,
        item.implementation_code,
        "居民身份证（原件）",
        "房屋租赁合同（复印件）",
        "受理人员李受理",
        f"受理窗口{filing.window.number}号窗口",
        "受理日期2026年9月24日",
        "承诺办结日期2026年10月9日",  # 5 working days: 9/25, then National Day to 10/8 off
        f"核验/查询：{BASE}/track/{filing.tracking_token}/",
    ]:
        assert expected in text, expected
    assert "11010519491231002X" not in text
    assert "暂定" not in text

    fonts = subprocess.run(["pdffonts", notice.pdf.path], capture_output=True, text=True, check=True).stdout
    [font] = fonts.splitlines()[2:]  # after the two header lines: one font, the embedded subset
    name, *_, emb, sub, uni, _obj, _gen = font.split()
    assert "WenQuanYi" in name and (emb, sub, uni) == ("yes", "yes", "yes")

    page_one = ["-r", "200", "-f", "1", "-l", "1", "-png", "-singlefile"]
    subprocess.run(["pdftoppm", *page_one, notice.pdf.path, tmp_path / "p1"], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", tmp_path / "p1.png"], capture_output=True, text=True, check=True
    ).stdout.split()
    # Two codes: the tracking page's, and the rating link's (扫码评价, tests/cases/test_notice_rating_qr.py).
    assert sorted(decoded) == sorted([f"{BASE}/track/{filing.tracking_token}/", notice.rating_url])
    assert all(filing.number not in code and f"/{filing.pk}/" not in code for code in decoded)


@time_machine.travel(TODAY, tick=False)
def test_deficiency_notice_lists_what_is_missing_by_when_and_the_lapse():
    require("pdftotext")
    report, id_card = MaterialFactory(name="卫生检测报告"), MaterialFactory(name="居民身份证")
    filing = filing_with(
        requirement(report, Necessity.DEFERRABLE), requirement(id_card), promised_limit_days=10
    )
    record(filing, id_card, MaterialStatus.ORIGINAL)
    services.accept_with_deficiency(
        **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 10, 12)
    )
    notice = issue(filing, NoticeKind.DEFICIENCY)

    assert notice.number.endswith("-RQ-2026-00001")
    text = pdf_text(notice)
    for expected in [
        "容缺受理通知书",
        notice.number,
        filing.number,
        "居民身份证（原件）",
        "容缺待补材料1.卫生检测报告",
        "请于2026年10月12日前（含当日）补齐上述材料",
        "逾期未补齐的，按本中心规定终止办理",
        "承诺办结日期2026年10月15日",  # 10 working days; Saturday 10/10 is a make-up working day
    ]:
        assert expected in text, expected
    # The clerk who decided, at the filing's own window.
    assert f"受理人员{filing.created_by.full_name}" in text and f"{filing.window.number}号窗口" in text


def test_completion_notice_lists_every_correction_and_the_resubmission_rule():
    require("pdftotext")
    id_card, lease = MaterialFactory(name="居民身份证"), MaterialFactory(name="房屋租赁合同")
    filing = filing_with(requirement(id_card), requirement(lease))
    services.return_for_completion(
        **at_window(filing),
        filing_id=filing.pk,
        corrections=[
            {"material": id_card.pk, "reason": "未提供原件"},
            {"material": lease.pk, "reason": "合同已过期"},
            {"material": None, "reason": "申请表未签字"},
        ],
    )
    notice = issue(filing, NoticeKind.COMPLETION)

    assert notice.number.endswith(f"-GZ-{notice.issued_at.year}-00001")
    text = pdf_text(notice)
    for expected in [
        "一次性告知书",
        notice.number,
        filing.number,
        "1.居民身份证：未提供原件",
        "2.房屋租赁合同：合同已过期",
        "3.其他：申请表未签字",
        "第三十二条",
        "一次性补正全部内容后重新提交",
    ]:
        assert expected in text, expected
    assert "承诺办结日期" not in text


def test_refusal_notice_gives_reasons_basis_and_remedies():
    require("pdftotext")
    filing = make_filing(applicant=COMPANY)
    services.refuse(
        **at_window(filing),
        filing_id=filing.pk,
        reasons="申请事项依法不需要取得行政许可",
        legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（一）项",
    )
    notice = issue(filing, NoticeKind.REFUSAL)

    assert notice.number.endswith(f"-BY-{notice.issued_at.year}-00001")
    text = pdf_text(notice)
    for expected in [
        "不予受理通知书",
        notice.number,
        filing.number,
        "示范餐饮有限公司",
        "统一社会信用代码913501********0Y43",
        "不予受理的理由申请事项依法不需要取得行政许可",
        "依据《中华人民共和国行政许可法》第三十二条第一款第（一）项",
        "六十日内依法申请行政复议",
        "六个月内依法向人民法院提起行政诉讼",
    ]:
        assert expected in text, expected
    assert COMPANY.id_number not in text


@time_machine.travel(TODAY, tick=False)
def test_numbers_are_gap_free_per_kind_centre_and_year():
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre)
    item = make_item(department=department)

    def accepted():
        filing = make_filing(items=[item])
        for entry in filing.checklist.all():
            services.record_material(
                **at_window(filing),
                filing_id=filing.pk,
                material_id=entry.material_id,
                status=MaterialStatus.ORIGINAL,
            )
        services.accept(**at_window(filing), filing_id=filing.pk)
        filing.refresh_from_db()
        return filing

    # A decision whose transaction rolls back gives its notice number back.
    with pytest.raises(RuntimeError), transaction.atomic():
        accepted()
        raise RuntimeError("something failed after the decision")
    assert not Notice.objects.exists()
    first, second = accepted(), accepted()

    prefix = f"350100-{centre.pk:04d}"
    assert issue(first, NoticeKind.ACCEPTANCE).number == f"{prefix}-SL-2026-00001"
    assert issue(second, NoticeKind.ACCEPTANCE).number == f"{prefix}-SL-2026-00002"
    refused = make_filing(items=[item])
    services.refuse(
        **at_window(refused), filing_id=refused.pk, reasons="不符合条件", legal_basis="某条例第五条"
    )
    assert issue(refused, NoticeKind.REFUSAL).number == f"{prefix}-BY-2026-00001"
    # Another centre of the same region counts on its own.
    elsewhere = accepted_filing(UserFactory())
    other = elsewhere.centre
    assert issue(elsewhere, NoticeKind.ACCEPTANCE).number == f"350100-{other.pk:04d}-SL-2026-00001"
    # A new year starts a new series.
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, 0), tick=False):
        third = accepted()
        assert issue(third, NoticeKind.ACCEPTANCE).number == f"{prefix}-SL-2027-00001"


@time_machine.travel(dt.datetime(2027, 1, 5, 9, 0), tick=False)
def test_a_promise_in_a_year_without_a_calendar_is_marked_provisional():
    require("pdftotext")
    filing = accepted_filing(UserFactory())
    assert filing.cases.get().clock.provisional
    text = pdf_text(issue(filing, NoticeKind.ACCEPTANCE))
    assert "承诺办结日期2027年1月12日（暂定" in text  # Monday–Friday: 6,7,8,11,12


@time_machine.travel(TODAY, tick=False)
def test_a_notice_is_issued_once_and_only_for_its_decision():
    filing = accepted_filing(UserFactory())
    with pytest.raises(Conflict), transaction.atomic():
        issue_notice(filing, NoticeKind.REFUSAL, base_url=BASE)
    assert issue(filing, NoticeKind.ACCEPTANCE)
    with pytest.raises(Conflict), transaction.atomic():
        issue_notice(filing, NoticeKind.ACCEPTANCE, base_url=BASE)
    assert Notice.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_misconfigured_public_address_fails_the_decision_whole(settings):
    from apps.cases.models import Case

    settings.HALL_PUBLIC_BASE_URL = "/relative"
    with pytest.raises(ValueError, match="absolute"):
        accepted_filing(UserFactory())
    assert not Notice.objects.exists()
    assert not Case.objects.exists()


def test_rendering_is_deterministic_and_reprints_are_identical():
    with time_machine.travel(TODAY, tick=False):
        filing = accepted_filing(UserFactory())
        notice = issue(filing, NoticeKind.ACCEPTANCE)
    stored = notice_pdf(notice)
    assert hashlib.sha256(stored).hexdigest() == notice.sha256
    # The notice's own date (TODAY is 10:00 UTC, 18:00 in Shanghai), not reportlab's 2000-01-01.
    assert b"/CreationDate (D:20260924180000+08'00')" in stored
    # Later, the same notice renders to the same bytes: nothing depends on the time of rendering.
    with time_machine.travel(dt.datetime(2026, 11, 3, 15, 30), tick=False):
        notice = Notice.objects.get(pk=notice.pk)
        assert render_notice(notice) == stored
        assert notice_pdf(notice) == stored


@time_machine.travel(TODAY, tick=False)
def test_a_tampered_notice_file_is_detected():
    notice = issue(accepted_filing(UserFactory()), NoticeKind.ACCEPTANCE)
    path = notice.pdf.path
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        data[len(data) // 2] ^= 0x01
        f.seek(0)
        f.write(data)
    with pytest.raises(NoticeTampered, match=notice.number):
        notice_pdf(notice)


@time_machine.travel(TODAY, tick=False)
def test_without_a_truetype_font_the_cid_font_is_used_and_a_warning_logged(monkeypatch, caplog):
    require("pdftotext")
    monkeypatch.setattr(rendering, "FONT_FILES", ("/nonexistent/font.ttc",))
    rendering.font_name.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="apps.cases.notices.rendering"):
            notice = issue(accepted_filing(UserFactory()), NoticeKind.ACCEPTANCE)
    finally:
        rendering.font_name.cache_clear()
    assert "fonts-wqy-microhei" in caplog.text
    fonts = subprocess.run(["pdffonts", notice.pdf.path], capture_output=True, text=True, check=True).stdout
    [font] = fonts.splitlines()[2:]
    assert font.startswith("STSong-Light") and font.split()[-5] == "no"  # emb column
    assert notice.number in pdf_text(notice)  # still extracts


@time_machine.travel(TODAY, tick=False)
def test_tracking_page_shows_progress_without_identity_numbers(client):
    filing = accepted_filing(UserFactory())
    notice = issue(filing, NoticeKind.ACCEPTANCE)
    response = client.get(f"/track/{filing.tracking_token}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    with translation.override("zh-hans"):
        state = str(FilingState.ACCEPTED.label)
    for expected in [filing.number, filing.items.get().item.name, state, "张*", "2026-09-24", "2026-10-09"]:
        assert expected in page, expected
    assert notice.number in page
    assert "张三" not in page
    assert PERSON.id_number not in page and filing.masked_id_number not in page


def test_tracking_page_shows_an_organisation_by_name_and_404s_on_a_wrong_token(client):
    filing = make_filing(applicant=COMPANY)
    page = client.get(f"/track/{filing.tracking_token}/").content.decode()
    assert "示范餐饮有限公司" in page and COMPANY.id_number not in page
    assert client.get(f"/track/{filing.tracking_token}x/").status_code == 404
    assert client.get(f"/track/{filing.pk}/").status_code == 404
    assert client.get(f"/track/{filing.number}/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_decision_writes_no_file_and_the_render_job_stores_each_notice_once():
    from apps.cases.tasks import render_pending_notices
    from apps.ops.models import JobRun

    filing = accepted_filing(UserFactory())
    notice = Notice.objects.get(filing=filing)
    assert (notice.sha256, notice.pdf.name) == ("", "")  # numbered and captured; not rendered yet
    assert render_pending_notices() == 1
    notice.refresh_from_db()
    assert notice.sha256 and notice.pdf.name.endswith(f"{notice.number}.pdf")
    run = JobRun.objects.get(name="notice_pdfs")
    assert run.changes == {"rendered": 1}
    # Nothing left: the job neither renders again nor fills the jobs page with empty runs.
    assert render_pending_notices() == 0
    assert JobRun.objects.filter(name="notice_pdfs").count() == 1
    assert hashlib.sha256(notice_pdf(notice)).hexdigest() == notice.sha256


@time_machine.travel(TODAY, tick=False)
def test_a_notice_rendered_later_says_what_the_filing_was_when_decided():
    require("pdftotext")
    report, id_card = MaterialFactory(name="卫生检测报告"), MaterialFactory(name="居民身份证")
    filing = filing_with(
        requirement(report, Necessity.DEFERRABLE), requirement(id_card), promised_limit_days=10
    )
    record(filing, id_card, MaterialStatus.ORIGINAL)
    clerk = UserFactory(full_name="王窗口")
    assign_role(user=clerk, role=Role.CLERK, centre=filing.centre, window=filing.window)
    services.accept_with_deficiency(
        filing_id=filing.pk, commitment_date=dt.date(2026, 10, 12), actor=clerk, window=filing.window
    )
    # The missing report arrives, and the clerk's name changes, before anything is printed.
    services.clear_deficiency(
        **at_window(filing), filing_id=filing.pk, material_id=report.pk, status=MaterialStatus.ORIGINAL
    )
    clerk.full_name = "王某某"
    clerk.save()
    text = pdf_text(issue(filing, NoticeKind.DEFICIENCY))
    assert "容缺待补材料1.卫生检测报告" in text
    assert "卫生检测报告（原件）" not in text
    assert "受理人员王窗口" in text
