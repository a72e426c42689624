"""The stored PDFs of issued documents: rendered once after the issue commits (by the
``render_pending_documents`` job, or at the first download), then read back and checked."""

from __future__ import annotations

from apps.certificates.models import IssuedDocument
from apps.certificates.rendering import render_document
from apps.uploads.rendered import render_pending, stored_pdf


def _render(document: IssuedDocument) -> bytes:
    seal = document.seal
    with seal.image.storage.open(seal.image.name, "rb") as image:
        return render_document(document, image.read())


def _name(document: IssuedDocument) -> str:
    return f"{document.number}.pdf"


RENDERING = {"render": _render, "name": _name}


def _documents():
    return IssuedDocument.objects.select_related("seal")


def document_pdf(document: IssuedDocument) -> bytes:
    """The document's PDF, the very same bytes at every download."""
    return stored_pdf(document, _documents(), **RENDERING)


def document_pdf_response(request, document: IssuedDocument):
    """The document's PDF as a download, its disclosure logged — for whoever the caller's selector let
    see it (the certificate desk's documents, the applicant's wallet)."""
    from apps.uploads.serving import Disclosure, stored_file_response

    return stored_file_response(
        request,
        document_pdf(document),
        filename=f"{document.number}.pdf",
        content_type="application/pdf",
        disclosure=Disclosure(document, what=f"{document.kind}_pdf", owner_id=document.filing.citizen_id),
    )


def render_pending_documents(limit: int = 200) -> int:
    return render_pending(_documents(), order_by="issued_at", limit=limit, **RENDERING)
