"""What an upload's content must not hold: active content in a PDF (however its names are spelled
or compressed), web-page markup where a browser would sniff it, more pixels than the limit, an
archive that unpacks to too much. Each refusal names the file and the rule."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

from apps.uploads.validation import DOCX, JPEG, PDF, PNG, XLSX, check_upload


def pdf(*objects: bytes, trailer: bytes = b"<< /Root 1 0 R >>") -> bytes:
    """A PDF of the given objects, numbered from 1 (no cross-reference table: readers rebuild it,
    and the check reads the file as they do)."""
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    for number, content in enumerate(objects, 1):
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    return body + b"trailer\n" + trailer + b"\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def object_stream(
    *objects: bytes, first_number: int, typed: bool = True, filters: bytes = b"/FlateDecode"
) -> bytes:
    """An object stream holding ``objects`` (numbered from ``first_number``), Flate-compressed."""
    offsets, content = [], b""
    for obj in objects:
        offsets.append(len(content))
        content += obj + b"\n"
    header = b" ".join(b"%d %d" % (first_number + i, offset) for i, offset in enumerate(offsets)) + b"\n"
    data = zlib.compress(header + content)
    if filters.startswith(b"[/ASCIIHexDecode"):
        data = data.hex().encode() + b">"
    kind = b"/Type /ObjStm " if typed else b""
    return (
        b"<< %s/N %d /First %d /Length %d /Filter %s >>\nstream\n"
        % (kind, len(objects), len(header), len(data), filters)
        + data
        + b"\nendstream"
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content), **kwargs)
    [message] = error.value.messages
    assert f"“{name}”" in message  # every refusal names the file
    return error.value


def code_of(error: ValidationError) -> str:
    return error.error_list[0].code


# --- PDFs --------------------------------------------------------------------------------------------


def reportlab_pdf() -> bytes:
    """A PDF as the hall renders them, its page text naming what a script would use."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=1)
    page.drawString(100, 700, "/JavaScript /OpenAction /AA /JS /Launch in the text is only text")
    page.linkURL("https://example.org/", (100, 600, 200, 620))
    page.bookmarkPage("start")
    page.addOutlineEntry("Start", "start")
    page.showPage()
    page.save()
    return out.getvalue()


def pillow_pdf() -> bytes:
    """A scan saved as PDF: one Flate-compressed image."""
    out = io.BytesIO()
    Image.frombytes("L", (256, 256), bytes(range(256)) * 256).save(out, "PDF")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pdf(CATALOG, PAGES, PAGE),
        reportlab_pdf(),
        pillow_pdf(),
        # Opening at a place in the document is no action (LaTeX and office suites write these).
        pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", PAGES, PAGE),
        pdf(
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
            PAGES,
            PAGE,
            object_stream(b"<< /S /GoTo /D [3 0 R /Fit] >>", first_number=5),
        ),
        # Binary stream data may hold "/JS" and "/AA" by chance: only dictionaries are read for them.
        pdf(CATALOG, PAGES, PAGE, b"<< /Length 12 >>\nstream\n\x00/JS /AA>\x01\xff\nendstream"),
    ],
    ids=["minimal", "reportlab", "pillow-scan", "open-at-destination", "open-with-goto", "binary-data"],
)
def test_ordinary_pdfs_pass(content):
    assert check_upload(upload("申请书.pdf", content)) is PDF


@pytest.mark.parametrize(
    ("catalog", "named"),
    [
        (
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
            "/JavaScript",
        ),
        (b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 5 0 R >> >>", "/JavaScript"),
        (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (calc.exe) >> >>", "/Launch"),
        (
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /URI /URI (http://x.example/) >> >>",
            "/OpenAction",
        ),
        (b"<< /Type /Catalog /Pages 2 0 R /AA << /WC << /S /URI /URI (http://x.example/) >> >> >>", "/AA"),
        (b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> >>", "/EmbeddedFiles"),
        (b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 5 0 R >> >>", "/XFA"),
        (b"<< /Type /Catalog /Pages 2 0 R /RichMedia 5 0 R >>", "/RichMedia"),
        (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoToE /T << /R /C >> >> >>", "/GoToE"),
        (b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", "/OpenAction"),  # to a missing object
        # Names spelled with #xx escapes are the same names to a reader.
        (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (x) >> >>", "/JavaScript"),
        (b"<< /Type /Catalog /Pages 2 0 R /#41#41 << /O 5 0 R >> >>", "/AA"),
    ],
)
def test_pdfs_with_active_content_are_refused_naming_it(catalog, named):
    error = refusal("申请书.pdf", pdf(catalog, PAGES, PAGE))
    assert code_of(error) == "pdf_active_content"
    assert named in error.messages[0]


def test_a_pdf_running_a_script_on_opening_is_refused():
    content = pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", PAGES, PAGE, b"<< /S /JavaScript /JS (x) >>"
    )
    assert code_of(refusal("申请书.pdf", content)) == "pdf_active_content"


def test_a_script_compressed_in_an_object_stream_is_found():
    hidden = object_stream(b"<< /S /J#61vaScript /JS (app.alert(1)) >>", first_number=5)
    content = pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", PAGES, PAGE, hidden)
    error = refusal("申请书.pdf", content)
    assert "/JavaScript" in error.messages[0] and "/OpenAction" in error.messages[0]


def test_an_object_stream_without_its_type_is_read_all_the_same():
    hidden = object_stream(b"<< /AA << /O 6 0 R >> >>", first_number=5, typed=False)
    assert "/AA" in refusal("申请书.pdf", pdf(CATALOG, PAGES, PAGE, hidden)).messages[0]


def test_an_object_stream_under_two_filters_is_decoded():
    hidden = object_stream(
        b"<< /Type /EmbeddedFile >>", first_number=5, filters=b"[/ASCIIHexDecode /FlateDecode]"
    )
    assert "/EmbeddedFile" in refusal("申请书.pdf", pdf(CATALOG, PAGES, PAGE, hidden)).messages[0]


@pytest.mark.parametrize(
    "stream",
    [
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode /Length 9 >>\nstream\n\x80\x0b\x60\x50\x22\x0c"
        b"\x0c\x85\x01\nendstream",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 9 >>\nstream\nnot zlib!\nendstream",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 9 >>\nstream\nno end",
    ],
    ids=["unknown-filter", "encrypted-or-damaged", "no-endstream"],
)
def test_a_pdf_whose_object_streams_cannot_be_read_is_refused_as_unchecked(stream):
    error = refusal("申请书.pdf", pdf(CATALOG, PAGES, PAGE, stream))
    assert code_of(error) == "pdf_unreadable"


def test_an_object_hidden_in_a_string_is_found():
    # A reader goes where the cross-reference table points, which may be inside what looks like a
    # string to anyone reading from the start.
    smuggled = b"<< /Title (x) /Subject (5 0 obj << /S /JavaScript /JS (app.alert\\(1\\)) >> endobj) >>"
    assert "/JavaScript" in refusal("申请书.pdf", pdf(CATALOG, PAGES, PAGE, smuggled)).messages[0]


def test_an_object_stream_hidden_in_stream_data_is_refused():
    inner = object_stream(b"<< /S /JavaScript >>", first_number=9)
    carrier = b"<< /Length %d >>\nstream\n" % len(inner) + inner.replace(b"endstream", b"") + b"\nendstream"
    error = refusal("申请书.pdf", pdf(CATALOG, PAGES, PAGE, carrier))
    assert code_of(error) == "pdf_unreadable"


# --- markup -----------------------------------------------------------------------------------------


def png(width: int, height: int, *, extra_chunks: bytes = b"") -> bytes:
    """A PNG's header claiming ``width`` × ``height`` (the pixels themselves are never decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra_chunks
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def real_png(width=40, height=30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def real_jpeg(width=40, height=30, *, comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 30, 200)).save(out, "JPEG", comment=comment)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "tag"),
    [
        ("申请书.pdf", pdf(CATALOG, PAGES, PAGE).replace(b"%\xe2", b"%<html><body>\xe2"), "<html"),
        ("照片.png", real_png()[:33] + b"\x00\x00\x00\x10tEXtx\x00<script>al" + real_png()[33:], "<script"),
        ("照片.jpg", real_jpeg(comment=b'<svg onload="alert(1)">'), "<svg"),
        ("申请书.pdf", b"%PDF-1.4\n%<!DOCTYPE html>\n" + pdf(CATALOG)[9:], "<!doctype"),
    ],
)
def test_web_page_markup_near_the_start_is_refused(name, content, tag):
    error = refusal(name, content)
    assert code_of(error) == "file_markup" and tag in error.messages[0]


# --- images ---------------------------------------------------------------------------------------------


def test_images_within_the_pixel_limit_pass():
    assert check_upload(upload("照片.png", real_png())) is PNG
    assert check_upload(upload("照片.jpg", real_jpeg())) is JPEG
    assert check_upload(upload("扫描.png", png(6000, 6000))) is PNG  # 36 million pixels: under 40


@pytest.mark.parametrize(("width", "height"), [(8000, 6000), (100_000, 100_000)], ids=["48MP", "10GP"])
def test_an_image_over_the_pixel_limit_is_refused_from_its_header(width, height):
    error = refusal("扫描.png", png(width, height))
    assert code_of(error) == "image_too_large" and "40,000,000" in error.messages[0]


def test_the_pixel_limit_is_a_setting(settings):
    settings.HALL_UPLOAD_MAX_PIXELS = 1000
    error = refusal("照片.jpg", real_jpeg(40, 30))
    assert code_of(error) == "image_too_large" and "40 × 30" in error.messages[0]


def test_an_image_that_cannot_be_read_is_refused():
    assert code_of(refusal("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)) == "image_unreadable"


# --- archives ---------------------------------------------------------------------------------------------


def office(kind: str, *extra: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    folder = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(folder, "<document>申请书</document>" * 20)
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def test_ordinary_office_files_pass():
    assert check_upload(upload("申请书.docx", office("docx"))) is DOCX
    assert check_upload(upload("清单.xlsx", office("xlsx"))) is XLSX


def test_an_archive_unpacking_to_more_than_the_limit_is_refused(settings):
    settings.HALL_UPLOAD_MAX_UNPACKED_MB = 1
    settings.HALL_UPLOAD_MAX_PACK_RATIO = 10**6
    error = refusal("申请书.docx", office("docx", ("word/media/pad.bin", bytes(2 * 2**20))))
    assert code_of(error) == "archive_too_large"


def test_an_archive_compressed_beyond_the_ratio_is_refused():
    # 8 MB of zeros compress to about 8 KB: a thousand times over, under the size limit.
    error = refusal("清单.xlsx", office("xlsx", ("xl/worksheets/sheet1.xml", bytes(8 * 2**20))))
    assert code_of(error) == "archive_ratio" and "100" in error.messages[0]


def test_the_type_checks_of_before_still_hold_and_name_the_file():
    assert code_of(refusal("身份证.pdf", b"MZ\x90\x00 an executable")) == "file_type"
    assert code_of(refusal("身份证.png", pdf(CATALOG))) == "file_extension"
