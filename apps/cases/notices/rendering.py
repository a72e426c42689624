"""The PDF of a notice: an A4 official notice with an embedded Chinese font and two QR codes (the
public tracking page, top right; the rating page 扫码评价, top left).

The notice is an official Chinese document, so its fixed wording is Chinese and lives in ``LABELS``
below rather than in the gettext catalogue: it must read the same whatever language the clerk's
screen is in.

Rendering is deterministic: the same notice gives the same bytes. reportlab otherwise stamps the
current time and a time-derived document ID into every file; ``invariant=1`` fixes both, and the
creation date written into the PDF is the notice's own ``issued_at``. Everything printed comes from
the notice row and its content snapshot (``content.py``), never from the filing as it is now or from
"now": a notice renders the same today, after the filing moved on, and in a year.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
from xml.sax.saxutils import escape

import qrcode
from django.utils import timezone
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apps.cases.codes import ApplicantKind, MaterialStatus
from apps.cases.notices.models import NoticeKind

logger = logging.getLogger(__name__)

K = NoticeKind

# The official wording, in one place (Chinese by design: see the module docstring).
LABELS = {
    "title": {
        K.ACCEPTANCE: "受理通知书",
        K.DEFICIENCY: "容缺受理通知书",
        K.COMPLETION: "一次性告知书",
        K.REFUSAL: "不予受理通知书",
    },
    "intro": {
        K.ACCEPTANCE: "你（单位）提交的申请，经审查，申请材料齐全、符合法定形式，本中心决定予以受理。"
        "现将有关事项告知如下：",
        K.DEFICIENCY: "你（单位）提交的申请，经审查，主要申请材料齐全、符合法定形式，"
        "尚缺的次要材料已书面承诺限期补齐，本中心决定予以容缺受理。现将有关事项告知如下：",
        K.COMPLETION: "你（单位）提交的申请，经审查，申请材料不齐全或者不符合法定形式。"
        "现将需要补正的全部内容一次性告知如下：",
        K.REFUSAL: "你（单位）提交的申请，经审查，本中心决定不予受理。现将有关事项告知如下：",
    },
    "number": "编号：",
    "dear": "{name}：",
    "filing_number": "办件编号",
    "applicant": "申请人",
    "id_number": {ApplicantKind.PERSON: "身份证号码", ApplicantKind.ORGANISATION: "统一社会信用代码"},
    "agent": "代理人",
    "agent_line": "{name}（身份证号码：{id}）",
    "items": "申请事项",
    "item_line": "{name}（实施编码：{code}）",
    "accepted_on": "受理日期",
    "promised_on": "承诺办结日期",
    "provisional": "（暂定：该年度工作日历尚未公布，按周一至周五计算）",
    "clerk": {"accept": "受理人员", "other": "经办人员"},
    "window": {"accept": "受理窗口", "other": "经办窗口"},
    "window_number": "{number}号窗口",
    "received": "已收取材料",
    "received_none": "无",
    "how": {
        MaterialStatus.ORIGINAL: "原件",
        MaterialStatus.COPY: "复印件",
        MaterialStatus.ELECTRONIC: "电子件",
        MaterialStatus.E_CERTIFICATE: "电子证照（免提交）",
    },
    "missing": "容缺待补材料",
    "commitment": "补齐期限：请于{date}前（含当日）补齐上述材料。",
    "lapse": "逾期未补齐的，按本中心规定终止办理。",
    "completion": "需补正的内容",
    "completion_general": "其他",
    "completion_law": "依照《中华人民共和国行政许可法》第三十二条，请按本告知书一次性补正全部内容后重新提交；"
    "补正后申请材料齐全、符合法定形式的，本中心予以受理。",
    "reasons": "不予受理的理由",
    "legal_basis": "依据",
    "remedies": "救济途径",
    "remedies_text": "申请人如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，"
    "或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。",
    "seal": "（盖章）",
    "qr_caption": "扫码查询办理进度",
    "rating_caption": "扫码评价",
    "footer": "核验/查询：{url}",
    "page": "第{n}页",
    "creator": "政务服务大厅",
}

# TrueType fonts with CJK glyphs, first found wins. reportlab embeds (a subset of) a TrueType
# font; it cannot read the CFF-flavoured OpenType of Noto CJK, so only TrueType files are listed.
FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
EMBEDDED_FONT = "HallNoticeSans"
FALLBACK_FONT = "STSong-Light"

RED = colors.HexColor("#c00000")
QR_SIZE = 30 * mm
MARGIN = 20 * mm


@functools.cache
def font_name() -> str:
    """The registered font for notices: an embedded TrueType font, or the CID fallback."""
    for path in FONT_FILES:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, path, subfontIndex=0))
            return EMBEDDED_FONT
    # The CID font is not embedded: text still extracts, but a viewer without it shows boxes.
    logger.warning(
        "No Chinese TrueType font found (%s); notices use the non-embedded CID font %s. "
        "Install fonts-wqy-microhei.",
        ", ".join(FONT_FILES),
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def cn_date(day: dt.date) -> str:
    """2026年10月9日: how dates are written in official documents."""
    return f"{day.year}年{day.month}月{day.day}日"


class QRCode(Flowable):
    """A QR code drawn as vector squares: sharp at any zoom, and no raster image to encode."""

    def __init__(self, data: str, size: float = QR_SIZE):
        super().__init__()
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
        qr.add_data(data)
        qr.make(fit=True)
        self.matrix = qr.get_matrix()  # includes the 4-module quiet zone, left blank on white paper
        self.width = self.height = size

    def draw(self):
        n = len(self.matrix)
        module = self.width / n
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for row, cells in enumerate(self.matrix):
            for col, dark in enumerate(cells):
                if dark:
                    y = self.height - (row + 1) * module
                    canvas.rect(col * module, y, module, module, stroke=0, fill=1)


def document_styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, bulletFontName=font, fontSize=11, leading=18, wordWrap="CJK")
    return {
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=22),
        "issuer": ParagraphStyle(
            "issuer", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, textColor=RED
        ),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=28, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=base, fontSize=10, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=20, spaceBefore=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=15),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    # Paragraph reads a markup language: user text (names, reasons) must not be taken for tags.
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _facts_table(rows: list[tuple[str, list[str] | str]], styles) -> Table:
    data = []
    for label, value in rows:
        lines = value if isinstance(value, list) else [value]
        data.append([paragraph(label, styles["cell"]), [paragraph(line, styles["cell"]) for line in lines]])
    table = Table(data, colWidths=[38 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
            ]
        )
    )
    return table


def _numbered(lines: list[str], styles) -> list[Paragraph]:
    if not lines:
        return [paragraph(LABELS["received_none"], styles["body"])]
    return [paragraph(f"{n}. {line}", styles["body"]) for n, line in enumerate(lines, start=1)]


def _received(content) -> list[str]:
    lines = []
    for entry in content["received"]:
        how = LABELS["how"][entry["status"]]
        if entry["status"] == MaterialStatus.E_CERTIFICATE and entry["certificate"]:
            how = f"{how}：{entry['certificate']}"
        lines.append(f"{entry['material']}（{how}）")
    return lines


def _completion(content) -> list[str]:
    return [f"{c['material'] or LABELS['completion_general']}：{c['reason']}" for c in content["completion"]]


def _date(iso: str) -> str:
    return cn_date(dt.date.fromisoformat(iso))


def _header(notice, styles) -> list:
    left = [
        paragraph(notice.content["centre"], styles["issuer"]),
        paragraph(LABELS["title"][notice.kind], styles["title"]),
        paragraph(LABELS["number"] + notice.number, styles["number"]),
    ]
    right = [QRCode(notice.tracking_url), paragraph(LABELS["qr_caption"], styles["small"])]
    style = [
        ("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if notice.rating_url:
        # The rating code (扫码评价) mirrors the tracking code on the left, so the title stays centred.
        rating = [QRCode(notice.rating_url), paragraph(LABELS["rating_caption"], styles["small"])]
        table = Table([[rating, left, right]], colWidths=[QR_SIZE + 4 * mm, None, QR_SIZE + 4 * mm])
    else:
        # A notice issued before ratings: the left padding is as wide as the right column is, so
        # that the title sits centred.
        table = Table([[left, right]], colWidths=[None, QR_SIZE + 4 * mm])
        style.append(("LEFTPADDING", (0, 0), (0, 0), QR_SIZE + 4 * mm))
    table.setStyle(TableStyle(style))
    return [table, HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=2, spaceAfter=8)]


def _story(notice, font: str) -> list:
    styles = document_styles(font)
    kind, content = notice.kind, notice.content
    accepting = kind in (K.ACCEPTANCE, K.DEFICIENCY)
    role = "accept" if accepting else "other"
    items = [LABELS["item_line"].format(name=item["name"], code=item["code"]) for item in content["items"]]
    rows = [
        (LABELS["filing_number"], content["filing_number"]),
        (LABELS["applicant"], content["applicant_name"]),
        (LABELS["id_number"][content["applicant_kind"]], content["applicant_id_masked"]),
    ]
    if content.get("agent_name"):  # notices issued before the agent was captured have no key
        agent = content["agent_name"]
        if content.get("agent_id_masked"):
            agent = LABELS["agent_line"].format(name=agent, id=content["agent_id_masked"])
        rows.append((LABELS["agent"], agent))
    rows.append((LABELS["items"], items))
    if accepting:
        rows.append((LABELS["accepted_on"], _date(content["accepted_on"])))
        if content["promised_on"]:
            promised = _date(content["promised_on"])
            rows.append(
                (LABELS["promised_on"], promised + (LABELS["provisional"] if content["provisional"] else ""))
            )
    rows.append((LABELS["clerk"][role], content["clerk"] or "—"))
    if notice.window_number:
        rows.append((LABELS["window"][role], LABELS["window_number"].format(number=notice.window_number)))

    story = _header(notice, styles)
    story += [
        paragraph(LABELS["dear"].format(name=content["applicant_name"]), styles["body"]),
        paragraph(LABELS["intro"][kind], styles["indent"]),
        Spacer(1, 4),
        _facts_table(rows, styles),
    ]
    if accepting:
        story += [paragraph(LABELS["received"], styles["heading"]), *_numbered(_received(content), styles)]
    if kind == K.DEFICIENCY:
        story += [
            paragraph(LABELS["missing"], styles["heading"]),
            *_numbered(content["missing"], styles),
            paragraph(LABELS["commitment"].format(date=_date(content["commitment_date"])), styles["body"]),
            paragraph(LABELS["lapse"], styles["body"]),
        ]
    elif kind == K.COMPLETION:
        story += [
            paragraph(LABELS["completion"], styles["heading"]),
            *_numbered(_completion(content), styles),
            paragraph(LABELS["completion_law"], styles["indent"]),
        ]
    elif kind == K.REFUSAL:
        story += [
            paragraph(LABELS["reasons"], styles["heading"]),
            paragraph(content["reasons"], styles["indent"]),
            paragraph(LABELS["legal_basis"], styles["heading"]),
            paragraph(content["legal_basis"], styles["indent"]),
            paragraph(LABELS["remedies"], styles["heading"]),
            paragraph(LABELS["remedies_text"], styles["indent"]),
        ]
    signature = [
        Spacer(1, 18),
        paragraph(f"{content['centre']}{LABELS['seal']}", styles["right"]),
        paragraph(cn_date(timezone.localdate(notice.issued_at)), styles["right"]),
    ]
    # The seal and date never stand alone at the top of a page: they take the last lines with them.
    last = story.pop()
    story.append(KeepTogether([last, *signature]))
    return story


def pdf_date(moment: dt.datetime) -> str:
    """The PDF date string (D:YYYYMMDDHHmmSS+HH'mm') of ``moment`` in the project's time zone."""
    local = timezone.localtime(moment)
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"D:{local:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


def render_notice(notice) -> bytes:
    """The notice's PDF, from the notice row alone (no query). Same notice, same bytes."""
    font = font_name()
    created = pdf_date(notice.issued_at)
    footer = LABELS["footer"].format(url=notice.tracking_url)

    def decorate(canvas, doc):
        # reportlab's invariant mode dates every file 2000-01-01; the notice's own date is truer.
        canvas.setDateFormatter(lambda *_: created)
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, 12 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 12 * mm, LABELS["page"].format(n=doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{LABELS['title'][notice.kind]} {notice.number}",
        author=notice.content["centre"],
        subject=notice.content["filing_number"],
        creator=LABELS["creator"],
        lang="zh-CN",
        # Otherwise every page declares Helvetica, a font the PDF neither uses nor embeds.
        initialFontName=font,
        invariant=1,
    )
    doc.build(_story(notice, font), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
