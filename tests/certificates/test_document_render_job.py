"""The beat job that renders issued documents' PDFs after the issuing transaction."""

import pytest

from apps.certificates.models import IssuedDocument
from apps.certificates.tasks import render_pending_documents
from apps.ops.models import JobRun
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db


def test_the_job_renders_what_was_issued_and_records_only_runs_with_work():
    assert render_pending_documents() == 0
    assert not JobRun.objects.filter(name="document_pdfs").exists()  # an idle run is not recorded

    issue(ready_filing(departments=2))
    assert IssuedDocument.objects.filter(sha256="").count() == 2  # the issue itself writes no file

    assert render_pending_documents.delay().get() == 2
    assert not IssuedDocument.objects.filter(sha256="").exists()
    run = JobRun.objects.get(name="document_pdfs")
    assert run.changes == {"rendered": 2}
    assert render_pending_documents() == 0
