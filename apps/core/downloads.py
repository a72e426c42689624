"""The files the desks and the API hand out for download: a workbook of figures or log rows, and the
plain refusal of a download link whose filter does not hold.

One place, so that every download is the same kind of attachment: named, and kept by no shared cache
(figures, findings and logs are the centre's own, often with names in them).
"""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_download(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx workbook as an attachment called ``filename`` (an ASCII name the callers build)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def refused_download(form) -> HttpResponse:
    """A download link's filter that does not hold: the form's errors, each naming its field (HTTP 400).

    Plain text, since the link was followed to get a file, not a page to fill in again."""
    return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
