"""The PDFs of issued documents: certificates in their type's layout, and 不予许可决定书.

Everything printed comes from the document's captured ``content`` and the seal's image (and a
certificate's rating code from its filing and issue time: ``rating_url``); the font is
the notices' embedded TrueType font, and, as for notices, the output is deterministic (reportlab's
invariant mode, the creation date the document's own ``issued_at``): the same document renders to
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer

from apps.cases import rating_links
from apps.cases.notices.rendering import LABELS as NOTICE_LABELS
from apps.cases.notices.rendering import (
    RED,
    QRCode,
    cn_date,
    document_styles,
    font_name,
    paragraph,
    pdf_date,
)
from apps.certificates.models import DocumentKind, Layout

LABELS = {
    "number": "编号",
    "identifier": "电子证照标识",
    "check_code": "核验码",
    "valid": "有效期限",
    "valid_range": "{start}至{end}",
    "indefinite": "{start}起长期有效",
    "issuer": "发证机关",
    "issued_on": "发证日期",
    "qr_caption": "扫码核验真伪",
    "rating_caption": "扫码评价",
    "verify": "核验网址：{url}",
    "denial_intro": "你（单位）于{accepted}提出的{item}申请（办件编号：{filing}），本机关依法进行了审查。"
    "经审查，决定不予许可。",
    "reasons": "不予许可的理由",
    "legal_basis": "依据",
    "remedies": "救济途径",
    "dear": "{name}（{label}：{code}）：",
    "creator": "政务服务大厅统一出证窗口",
    "preview": "预览件 未盖章 无效",
}
SEAL_SIZE = 40 * mm
QR_SIZE = 32 * mm  # the verification code
RATING_QR_SIZE = 24 * mm  # the rating code (好差评), smaller: it is not what the certificate proves
FIELD_SPACING = 4 * mm  # between a certificate's fields
MIN_FIELD_SIZE = 8  # points: the smallest a field is printed at to fit


def _day(iso: str | None) -> str:
    return cn_date(dt.date.fromisoformat(iso)) if iso else ""


def _validity(content: dict) -> str:
    start = _day(content["valid_from"])
    if content["valid_until"]:
        return LABELS["valid_range"].format(start=start, end=_day(content["valid_until"]))
    return LABELS["indefinite"].format(start=start)


def _seal(canvas: Canvas, seal_image: bytes | None, x: float, y: float) -> None:
    """The seal over the issuer's name and date, as a stamp sits on paper (its transparency kept)."""
    if seal_image:
        canvas.drawImage(
            ImageReader(io.BytesIO(seal_image)),
            x,
            y,
            SEAL_SIZE,
            SEAL_SIZE,
            mask="auto",
            preserveAspectRatio=True,
        )


def rating_url(document) -> str | None:
    """The filing's rating link (``apps.cases.rating_links``) as the certificate prints it, signed at
    the document's ``issued_at``: every render of one document prints the very same code (a token
    signed now would change each second), and it expires ``HALL_RATING_LINK_DAYS`` after the issue,
    as a link made at the issue would. ``rating_links.read_token`` reads it like any other. A
    preview belongs to no filing yet: no code."""
    if document.filing_id is None:
        return None
    return rating_links.rating_url(document.filing_id, signed_at=document.issued_at)


def _field_style(font: str, size: float) -> ParagraphStyle:
    return ParagraphStyle("field", fontName=font, fontSize=size, leading=size * 1.6, wordWrap="CJK")


def _fitted(text: str, font: str, size: float, width: float, smallest: float = 7) -> float:
    """``size``, or the largest size down to ``smallest`` at which one line of ``text`` fits ``width``."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _fields(rows, font: str, size: float, width: float):
    """Each row's label and value as paragraphs at ``size`` in a label column as wide as the longest
    label (统一社会信用代码 is eight characters), wrapped within ``width``; and the height they take."""
    gap = size * 1.2
    label_width = min(max(stringWidth(label, font, size) for label, _v in rows) + gap, width * 0.35)
    style = _field_style(font, size)
    laid, height = [], 0.0
    for label, value in rows:
        head, body = paragraph(label, style), paragraph(value or "—", style)
        _w, head_height = head.wrap(label_width - gap, 10_000)
        _w, body_height = body.wrap(width - label_width, 10_000)
        laid.append((head, body, max(head_height, body_height)))
        height += max(head_height, body_height) + FIELD_SPACING
    return label_width, laid, height - FIELD_SPACING


def _draw_fields(canvas, rows, font: str, *, x: float, top: float, bottom: float, width: float, size: float):
    """The certificate's fields between ``top`` and ``bottom``: at the type's size if they fit, else at
    the largest size that does, so that a long name or scope never runs into the QR code, the issuer or
    the seal."""
    while True:
        label_width, laid, height = _fields(rows, font, size, width)
        if height <= top - bottom or size <= MIN_FIELD_SIZE:
            break
        size -= 0.5
    y = top
    for head, body, row_height in laid:
        head.drawOn(canvas, x, y - head.height)
        body.drawOn(canvas, x + label_width, y - body.height)
        y -= row_height + FIELD_SPACING


def _draw_certificate(
    canvas: Canvas, content: dict, seal_image: bytes | None, font: str, rating: str | None = None
) -> None:
    layout = content.get("layout", Layout.PORTRAIT)
    landscape_layout = layout == Layout.LANDSCAPE
    width, height = canvas._pagesize
    margin = 14 * mm
    # A double border: the frame printed certificates have.
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(2.5)
    canvas.rect(margin, margin, width - 2 * margin, height - 2 * margin)
    canvas.setLineWidth(0.8)
    canvas.rect(margin + 3 * mm, margin + 3 * mm, width - 2 * margin - 6 * mm, height - 2 * margin - 6 * mm)

    inner = margin + 14 * mm
    usable = width - 2 * inner
    top = height - margin - 22 * mm
    canvas.setFillColor(colors.black)
    canvas.setFont(font, _fitted(content["title"], font, 30 if landscape_layout else 26, usable))
    canvas.drawCentredString(width / 2, top, content["title"])
    number = f"{LABELS['number']}：{content['number']}"
    check_code = f"{LABELS['check_code']}：{content['check_code']}"
    canvas.setFont(font, _fitted(f"{number}    {check_code}", font, 11, usable))
    canvas.drawString(inner, top - 14 * mm, number)
    canvas.drawRightString(width - inner, top - 14 * mm, check_code)

    # The QR code: top-right of the fields on a landscape licence, bottom-left on a portrait permit.
    # The rating code, if any, below it in the landscape licence's column, to its right on a permit.
    qr_size = QR_SIZE
    if landscape_layout:
        qr_x, qr_y = width - inner - qr_size, top - 58 * mm
    else:
        qr_x, qr_y = inner, margin + 26 * mm
    QRCode(content["verify_url"], size=qr_size).drawOn(canvas, qr_x, qr_y)
    canvas.setFont(font, 8)
    canvas.drawCentredString(qr_x + qr_size / 2, qr_y - 3 * mm, LABELS["qr_caption"])
    codes_right = qr_x + qr_size  # where the codes end, on a permit's bottom line
    if rating:
        if landscape_layout:
            rating_x = qr_x + (qr_size - RATING_QR_SIZE) / 2
            rating_y = qr_y - 8 * mm - RATING_QR_SIZE
        else:
            rating_x, rating_y = qr_x + qr_size + 6 * mm, qr_y
            codes_right = rating_x + RATING_QR_SIZE
        QRCode(rating, size=RATING_QR_SIZE).drawOn(canvas, rating_x, rating_y)
        canvas.drawCentredString(rating_x + RATING_QR_SIZE / 2, rating_y - 3 * mm, LABELS["rating_caption"])

    # The issuer, the date and the seal over both, bottom right; on a portrait permit the issuer's
    # lines end short of the QR codes to their left.
    right = width - inner
    base = margin + 30 * mm
    issuer = f"{LABELS['issuer']}：{content['issuer']}"
    issued_on = f"{LABELS['issued_on']}：{_day(content['issued_on'])}"
    room = usable if landscape_layout else right - (codes_right + 6 * mm)
    size = min(_fitted(issuer, font, 13, room), _fitted(issued_on, font, 13, room))
    canvas.setFont(font, size)
    canvas.drawRightString(right, base + 10 * mm, issuer)
    canvas.drawRightString(right, base, issued_on)
    _seal(canvas, seal_image, right - 30 * mm - SEAL_SIZE / 2, base - 12 * mm)

    # The fields, between the number line and whatever is below them: the QR code of a portrait
    # permit, the issuer's lines of a landscape licence (whose QR code has a column of its own).
    rows = [
        (content["holder_label"], content["holder_name"]),
        (content["holder_code_label"], content["holder_code"]),
        (content["scope_label"], content["scope"]),
        (LABELS["valid"], _validity(content)),
    ]
    bottom = base + 10 * mm + size + 6 * mm if landscape_layout else qr_y + qr_size + 6 * mm
    _draw_fields(
        canvas,
        rows,
        font,
        x=inner,
        top=top - 24 * mm,
        bottom=bottom,
        width=usable - (qr_size + 6 * mm if landscape_layout else 0),
        size=14 if landscape_layout else 13,
    )

    canvas.setFont(font, 7.5)
    canvas.setFillColor(colors.HexColor("#444444"))
    canvas.drawString(inner, margin + 10 * mm, f"{LABELS['identifier']}：{content['identifier']}")
    canvas.drawString(inner, margin + 6 * mm, LABELS["verify"].format(url=content["verify_url"]))


def _certificate_pdf(document, seal_image: bytes | None, font: str) -> bytes:
    content = document.content
    size = landscape(A4) if content.get("layout") == Layout.LANDSCAPE else A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1, lang="zh-CN", initialFontName=font)
    canvas.setDateFormatter(lambda *_: pdf_date(document.issued_at))
    canvas.setTitle(f"{content['title']} {content['number']}")
    canvas.setAuthor(content["issuer"])
    canvas.setSubject(content["identifier"])
    canvas.setCreator(LABELS["creator"])
    _draw_certificate(canvas, content, seal_image, font, rating_url(document))
    if content.get("preview"):
        _watermark(canvas, font)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _denial_story(content: dict, seal_image: bytes | None, font: str) -> list:
    styles = document_styles(font)
    intro = LABELS["denial_intro"].format(
        accepted=_day(content["accepted_on"]) or "—",
        item=content["item_name"],
        filing=content["filing_number"],
    )
    dear = LABELS["dear"].format(
        name=content["applicant_name"], label=content["applicant_code_label"], code=content["applicant_code"]
    )
    story = [
        paragraph(content["issuer"], styles["issuer"]),
        paragraph(content["title"], styles["title"]),
        paragraph(f"{LABELS['number']}：{content['number']}", styles["number"]),
        Spacer(1, 10),
        paragraph(dear, styles["body"]),
        paragraph(intro, styles["indent"]),
        paragraph(LABELS["reasons"], styles["heading"]),
        paragraph(content["reasons"], styles["indent"]),
        paragraph(LABELS["legal_basis"], styles["heading"]),
        paragraph(content["legal_basis"], styles["indent"]),
        paragraph(LABELS["remedies"], styles["heading"]),
    ]
    foot = [
        paragraph(NOTICE_LABELS["remedies_text"].replace("通知书", "决定书"), styles["indent"]),
        Spacer(1, 24),
        paragraph(content["issuer"], styles["right"]),
        paragraph(_day(content["issued_on"]), styles["right"]),
    ]
    if seal_image:
        foot.append(_SealFlowable(seal_image))
    # The issuer, date and seal never stand alone at the top of a page: the last lines come along.
    return [*story, KeepTogether(foot)]


class _SealFlowable(Flowable):
    """The seal, drawn up over the issuer's name and date that precede it."""

    def __init__(self, image: bytes):
        super().__init__()
        self.image = image
        self.width, self.height = 0, 0

    def wrap(self, available_width, available_height):
        self.available_width = available_width
        return 0, 0

    def draw(self):
        _seal(self.canv, self.image, self.available_width - SEAL_SIZE - 4 * mm, 0)


def _denial_pdf(document, seal_image: bytes | None, font: str) -> bytes:
    content = document.content
    buffer = io.BytesIO()
    margin = 22 * mm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"{content['title']} {content['number']}",
        author=content["issuer"],
        subject=content["filing_number"],
        creator=LABELS["creator"],
        lang="zh-CN",
        initialFontName=font,
        invariant=1,
    )
    created = pdf_date(document.issued_at)

    def dated(canvas, _doc):
        canvas.setDateFormatter(lambda *_: created)
        if content.get("preview"):
            _watermark(canvas, font)

    doc.build(_denial_story(content, seal_image, font), onFirstPage=dated, onLaterPages=dated)
    return buffer.getvalue()


def _watermark(canvas: Canvas, font: str) -> None:
    """Across a preview's page: it is not a certificate until the seal keeper confirms."""
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.75, 0, 0, alpha=0.18))
    canvas.setFont(font, 56)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(30)
    canvas.drawCentredString(0, 0, LABELS["preview"])
    canvas.restoreState()


def render_document(document, seal_image: bytes | None = None) -> bytes:
    """The document's PDF from its content and the seal's image bytes (no query). A preview
    (``content["preview"]``) carries no seal and a watermark saying it is not valid."""
    font = font_name()
    if document.content.get("preview"):
        seal_image = None
    if document.kind == DocumentKind.CERTIFICATE:
        return _certificate_pdf(document, seal_image, font)
    return _denial_pdf(document, seal_image, font)
