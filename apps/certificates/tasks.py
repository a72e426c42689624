from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(
    name="apps.certificates.tasks.render_pending_documents",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def render_pending_documents() -> int:
    """Render the PDFs of certificates and decisions issued since the last run (beat, every few
    seconds); empty runs are not recorded. A document is marked rendered in the transaction that
    stores its file, so a worker lost mid-run loses nothing."""
    from apps.certificates.documents import render_pending_documents as render
    from apps.certificates.models import IssuedDocument

    if not IssuedDocument.objects.filter(sha256="").exists():
        return 0
    with record_run("document_pdfs") as changes:
        changes["rendered"] = render()
    return changes["rendered"]
