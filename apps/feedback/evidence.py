"""An appeal's evidence (申诉证据), served to whoever the caller's selector let see the ticket (the
rectification desk's page and the API)."""

from django.http import Http404

from apps.uploads.serving import Disclosure, stored_file_response


def evidence_response(request, ticket):
    """The evidence as a download, its disclosure logged; a 404 when the appeal had none."""
    if not ticket.appeal_evidence:
        raise Http404
    return stored_file_response(
        request,
        ticket.appeal_evidence,
        filename=ticket.appeal_evidence_name,
        content_type=ticket.appeal_evidence_content_type,
        disclosure=Disclosure(ticket, "appeal_evidence"),
    )
