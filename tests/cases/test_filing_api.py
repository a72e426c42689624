import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing, MaterialUpload
from tests.cases.online_hall import submittable
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF as PDF
from tests.factories.cases import make_filing, window_hall
from tests.factories.catalogue import MaterialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return window_hall()


def person(**extra):
    return {
        "applicant_kind": "person",
        "applicant_name": "张三",
        "applicant_id_number": "11010519491231002X",
        "applicant_phone": "13812343210",
        **extra,
    }


def zhang_san():
    """The citizen account whose own identity ``person()`` states."""
    return make_staff(Role.CITIZEN, full_name="张三", id_number="11010519491231002X")


def test_a_clerk_files_records_materials_and_accepts_through_the_api(client, hall):
    centre, item, material, window, clerk = hall
    client.force_login(clerk)
    created = client.post(
        reverse("filing-list"), {"items": [item.pk], **person()}, content_type="application/json"
    )
    assert created.status_code == 201, created.json()
    filing = created.json()
    assert filing["applicant_id_number"] == "110105********002X"
    assert filing["window"] == window.number
    url = reverse("filing-material", args=[filing["id"], material.code])
    assert client.post(url, {"status": "original"}, content_type="application/json").status_code == 200
    accepted = client.post(reverse("filing-accept", args=[filing["id"]]), content_type="application/json")
    assert accepted.json()["state"] == "accepted"
    assert len(accepted.json()["cases"]) == 1
    again = client.post(reverse("filing-accept", args=[filing["id"]]), content_type="application/json")
    assert again.status_code == 409


def test_a_wrong_checksum_is_a_400_naming_the_field(client, hall):
    client.force_login(hall[4])
    response = client.post(
        reverse("filing-list"),
        {"items": [hall[1].pk], **person(applicant_id_number="110105194912310021")},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "校验码" in response.json()["id_number"][0]
    assert not Filing.objects.exists()


def test_a_citizen_sees_only_their_own_filings_and_gets_404_for_others(client, hall):
    centre, item, *_ = hall
    citizen, other = zhang_san(), make_staff(Role.CITIZEN)
    client.force_login(citizen)
    mine = client.post(
        reverse("filing-list"),
        {"items": [item.pk], "centre": centre.pk, **person()},
        content_type="application/json",
    ).json()
    assert mine["channel"] == "online"
    submittable(Filing.objects.get(pk=mine["id"]), citizen)
    submitted = client.post(reverse("filing-submit", args=[mine["id"]]), content_type="application/json")
    assert submitted.json()["state"] == "submitted"
    window_filing = make_filing(items=[item])
    assert client.get(reverse("filing-detail", args=[window_filing.pk])).status_code == 404
    assert [f["id"] for f in client.get(reverse("filing-list")).json()["results"]] == [mine["id"]]
    client.force_login(other)
    assert client.get(reverse("filing-detail", args=[mine["id"]])).status_code == 404
    assert client.post(reverse("filing-submit", args=[mine["id"]])).status_code == 404


def test_staff_of_another_centre_do_not_see_the_filing(client, hall):
    filing = make_filing(items=[hall[1]])
    client.force_login(make_staff(Role.CLERK))
    assert client.get(reverse("filing-detail", args=[filing.pk])).status_code == 404
    client.force_login(hall[4])
    assert client.get(reverse("filing-detail", args=[filing.pk])).status_code == 200


def test_a_citizen_cannot_decide(client, hall):
    centre, item, *_ = hall
    citizen = zhang_san()
    client.force_login(citizen)
    mine = client.post(
        reverse("filing-list"),
        {"items": [item.pk], "centre": centre.pk, **person()},
        content_type="application/json",
    ).json()
    assert client.post(reverse("filing-accept", args=[mine["id"]])).status_code == 403
    assert Filing.objects.get(pk=mine["id"]).state == FilingState.DRAFT


def test_uploads_are_checked_by_content_and_served_only_to_those_who_may_see(client, hall, settings):
    centre, item, material, window, clerk = hall
    filing = make_filing(items=[item], window=window)
    client.force_login(clerk)
    url = reverse("filing-upload", args=[filing.pk, material.code])
    fake = SimpleUploadedFile("身份证.pdf", b"MZ\x90\x00 this is an executable")
    refused = client.post(url, {"file": fake})
    assert refused.status_code == 400
    assert "不是可接受的文档类型" in str(refused.json())
    settings.HALL_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (2 * 2**20))
    too_big = client.post(url, {"file": big})
    assert too_big.status_code == 400 and "不得超过" in str(too_big.json())
    assert not MaterialUpload.objects.exists()
    ok = client.post(url, {"file": SimpleUploadedFile("身份证.pdf", PDF)})
    assert ok.status_code == 201
    download = ok.json()["url"]
    assert b"".join(client.get(download).streaming_content) == PDF
    client.force_login(make_staff(Role.CITIZEN))
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302


def test_the_acceptance_notice_is_listed_and_reprinted_identically(client, hall):
    centre, item, material, window, clerk = hall
    client.force_login(clerk)
    filing = make_filing(items=[item], window=window)
    client.post(
        reverse("filing-material", args=[filing.pk, material.code]),
        {"status": "original"},
        content_type="application/json",
    )
    detail = client.post(reverse("filing-accept", args=[filing.pk]), content_type="application/json").json()
    [notice] = detail["notices"]
    assert notice["kind"] == "acceptance"
    first = client.get(notice["url"])
    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF") and client.get(notice["url"]).content == first.content
    client.force_login(make_staff(Role.CITIZEN))
    assert client.get(notice["url"]).status_code == 404


def test_a_correction_must_name_a_material_of_the_filing(client, hall):
    centre, item, material, window, clerk = hall
    client.force_login(clerk)
    filing = make_filing(items=[item], window=window)
    other = MaterialFactory(name="别的材料")
    response = client.post(
        reverse("filing-return-for-completion", args=[filing.pk]),
        {
            "corrections": [
                {"material": material.code, "reason": "缺"},
                {"material": other.code, "reason": "不相干"},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT
