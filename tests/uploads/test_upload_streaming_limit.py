"""The size limits hold while the body streams in: a body declared larger than any acceptable upload
is refused unread, and a file over its limit stops reaching the disk at the limit (plus one chunk)."""

import json

import pytest
from django.core.exceptions import BadRequest, ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.models import MaterialUpload
from apps.uploads.handlers import RefusedUpload, UploadTooLarge
from apps.uploads.validation import check_upload
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import comprehensive_window, make_filing
from tests.factories.catalogue import MaterialFactory, default_children, make_item
from tests.uploads.streams import CONTENT_TYPE, LazyMultipart, bytes_under, field_part, file_part

pytestmark = pytest.mark.django_db
MB = 2**20
CHUNK = FileUploadHandler.chunk_size


@pytest.fixture
def temp_dir(settings, tmp_path):
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def hall():
    centre = ServiceCentreFactory()
    material = MaterialFactory(name="身份证")
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children([material]))
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    filing = make_filing(items=[item], window=window, clerk=clerk)
    return filing, material, clerk


def plain(text) -> str:
    """Sizes are written with a no-break space (``filesizeformat``)."""
    return str(text).replace("\xa0", " ")


def post_lazily(client, url, body: LazyMultipart):
    return client.generic(
        "POST", url, **{"wsgi.input": body, "CONTENT_LENGTH": str(body.length), "CONTENT_TYPE": CONTENT_TYPE}
    )


def parse(body: LazyMultipart, *, declared: int):
    """Parse ``body`` as Django does for a request declaring ``declared`` bytes, through the
    configured upload handlers (as on a server that does not stop reading at the declared length)."""
    request = RequestFactory().post("/")
    meta = {"CONTENT_TYPE": CONTENT_TYPE, "CONTENT_LENGTH": str(declared)}
    return MultiPartParser(meta, body, request.upload_handlers).parse()


def test_a_200_mb_upload_declared_up_front_is_refused_before_its_body_is_read(client, hall, temp_dir):
    filing, material, clerk = hall
    client.force_login(clerk)
    body = LazyMultipart(file_part("file", "身份证.pdf", 200 * MB), watch=temp_dir)

    response = post_lazily(client, reverse("filing-upload", args=[filing.pk, material.code]), body)

    assert response.status_code == 413
    assert "200.0 MB" in plain(response.json()["detail"]) and "50.0 MB" in plain(response.json()["detail"])
    assert body.read_bytes == 0 and body.most_on_disk == 0
    assert not MaterialUpload.objects.exists() and bytes_under(temp_dir) == 0


def test_a_200_mb_upload_declared_at_the_desk_is_refused_unread_with_the_limit(client, hall, temp_dir):
    filing, material, clerk = hall
    client.force_login(clerk)
    body = LazyMultipart(file_part("file", "身份证.pdf", 200 * MB), watch=temp_dir)

    response = post_lazily(client, reverse("desks:intake_upload", args=[filing.pk, material.pk]), body)

    assert response.status_code == 400
    assert body.read_bytes == 0 and not MaterialUpload.objects.exists() and bytes_under(temp_dir) == 0


def test_the_refusal_of_a_declared_body_carries_its_message_for_the_400_page():
    # The portal's 400 page (hall.request_guards.bad_request) shows a BadRequest's message.
    refused = UploadTooLarge(200 * MB)
    assert isinstance(refused, BadRequest) and refused.status_code == 413
    assert "200.0 MB" in plain(refused.args[0]) and "50.0 MB" in plain(refused.args[0])


def test_a_200_mb_file_streamed_in_stops_reaching_the_disk_at_the_limit(settings, temp_dir):
    # The body declares 10 MB (within what a request may carry) and sends 200: only the count as the
    # chunks arrive holds the file back.
    body = LazyMultipart(file_part("file", "扫描件.pdf", 200 * MB), watch=temp_dir)

    post, files = parse(body, declared=10 * MB)

    assert body.read_bytes == body.length  # read through, but not stored
    assert body.most_on_disk <= settings.HALL_UPLOAD_MAX_MB * MB + CHUNK
    assert bytes_under(temp_dir) == 0
    refused = files["file"]
    assert isinstance(refused, RefusedUpload) and refused.size == 200 * MB and refused.read() == b""
    with pytest.raises(ValidationError) as error:
        check_upload(refused)
    assert error.value.error_list[0].code == "file_too_large"
    assert "“扫描件.pdf”" in error.value.messages[0] and "200.0 MB" in plain(error.value.messages[0])


def test_an_oversized_file_is_refused_through_the_api_naming_the_file_and_the_limit(
    client, hall, settings, temp_dir
):
    settings.HALL_UPLOAD_MAX_MB = 1
    filing, material, clerk = hall
    client.force_login(clerk)
    body = LazyMultipart(file_part("file", "身份证.pdf", 3 * MB), watch=temp_dir)

    response = post_lazily(client, reverse("filing-upload", args=[filing.pk, material.code]), body)

    assert response.status_code == 400
    message = plain(json.dumps(response.json(), ensure_ascii=False))
    assert "“身份证.pdf”" in message and "3.0 MB" in message and "1.0 MB" in message
    assert body.most_on_disk <= 1 * MB + CHUNK
    assert not MaterialUpload.objects.exists() and bytes_under(temp_dir) == 0


def test_an_oversized_file_at_the_desk_gives_the_clerk_a_message(client, hall, settings, temp_dir):
    settings.HALL_UPLOAD_MAX_MB = 1
    filing, material, clerk = hall
    client.force_login(clerk)
    body = LazyMultipart(file_part("file", "营业执照.pdf", 2 * MB), watch=temp_dir)

    response = post_lazily(client, reverse("desks:intake_upload", args=[filing.pk, material.pk]), body)

    assert response.status_code == 302
    page = plain(client.get(response.url).content.decode())
    assert "“营业执照.pdf”" in page and "1.0 MB" in page
    assert body.most_on_disk <= 1 * MB + CHUNK
    assert not MaterialUpload.objects.exists() and bytes_under(temp_dir) == 0


def test_files_over_the_request_total_are_refused_and_the_earlier_ones_kept(settings, temp_dir):
    settings.HALL_UPLOAD_MAX_MB = 1
    settings.HALL_UPLOAD_REQUEST_MAX_MB = 1
    body = LazyMultipart(
        field_part("answer", "见附件".encode()),
        file_part("files", "一.pdf", 600 * 1024),
        file_part("files", "二.pdf", 600 * 1024),
        file_part("files", "三.pdf", 10),
        watch=temp_dir,
    )

    post, files = parse(body, declared=body.length)

    first, second, third = files.getlist("files")
    assert post["answer"] == "见附件"
    assert not isinstance(first, RefusedUpload) and first.read() == b"%PDF-1.4\n" + bytes(600 * 1024 - 9)
    assert (second.refusal, third.refusal) == ("request", "request")
    assert body.most_on_disk <= 1 * MB + CHUNK
    with pytest.raises(ValidationError) as error:
        check_upload(second)
    assert error.value.error_list[0].code == "upload_too_large" and "“二.pdf”" in error.value.messages[0]
    first.close()
    assert bytes_under(temp_dir) == 0


def test_small_uploads_pass_through_untouched(settings):
    body = LazyMultipart(file_part("file", "小.pdf", 2000))

    post, files = parse(body, declared=body.length)

    assert files["file"].read() == b"%PDF-1.4\n" + bytes(2000 - 9)
    assert not isinstance(files["file"], RefusedUpload)
