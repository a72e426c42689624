"""The issuer checks each document's PDF before asking for the seal: unsealed, unnumbered, marked."""

import subprocess

import pytest

from apps.accounts.roles import Role
from apps.cases.models import Outcome
from apps.certificates.models import IssuedDocument
from tests.capabilities import require
from tests.factories.accounts import make_staff
from tests.factories.certificates import ready_filing


def _text_and_images(data: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "preview.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    images = subprocess.run(["pdfimages", "-list", path], capture_output=True, text=True, check=True).stdout
    return text, images


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", [Outcome.APPROVE, Outcome.DENY])
def test_the_preview_is_the_document_unsealed_unnumbered_and_marked_invalid(client, tmp_path, outcome):
    require("pdftotext")
    filing = ready_filing(outcome=outcome)
    case = filing.cases.get()
    client.force_login(make_staff(Role.ISSUER, centre=filing.centre))

    response = client.get(f"/issuing/filings/{filing.pk}/preview/{case.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, images = _text_and_images(response.content, tmp_path)
    assert "确认用印时编号" in text  # no number is taken for a preview
    assert "张三" in text
    assert "不予许可决定书" in text if outcome == Outcome.DENY else "预包装食品销售" in text
    # The watermark is drawn rotated, so its characters extract one per line.
    assert all(char in text for char in "预览件未盖章无效")
    # No seal image: only the seal keeper's confirmation puts the seal on a document.
    assert len(images.strip().splitlines()) == 2  # pdfimages' two header lines, no image
    assert not IssuedDocument.objects.exists()
    filing.refresh_from_db()
    assert filing.state == "ready_for_issue"


@pytest.mark.django_db
def test_no_preview_for_another_centres_filing(client):
    filing = ready_filing()
    client.force_login(make_staff(Role.ISSUER))
    response = client.get(f"/issuing/filings/{filing.pk}/preview/{filing.cases.get().pk}/")
    assert response.status_code == 404
