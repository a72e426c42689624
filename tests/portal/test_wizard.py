"""The online filing wizard (issue 16, item 3): from the guide's 在线申请 button through the applicant,
the materials (uploads checked as at the window, e-certificates offered), the declaration and the
submit; a draft saved at every step, a session ending mid-way losing nothing, a double submit filing
once, and no one else's draft (404)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AuthorisationKind
from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.cases import online
from apps.cases.codes import ApplicantKind, FilingState, MaterialStatus
from apps.cases.models import Filing, MaterialUpload
from apps.catalogue import services as catalogue
from apps.catalogue.models import ServiceItem
from apps.portal.elder_mode import COOKIE as ELDER
from tests.cases.online_hall import make_hall, pdf, ready, upload
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import COMPANY, MINIMAL_PDF, PERSON
from tests.factories.catalogue import BundleFactory, MaterialFactory, checklist, make_item, requirement
from tests.uploads.test_upload_content_checks import png

pytestmark = pytest.mark.django_db
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def hall():
    hall = make_hall()
    ServiceItem.objects.filter(pk=hall.item.pk).update(online_supported=True)
    hall.item.refresh_from_db()
    return hall


@pytest.fixture
def citizen_client(client, hall):
    client.force_login(hall.citizen)
    return client


def start_url(hall) -> str:
    return reverse("portal:wizard_start") + f"?item={hall.item.pk}"


def materials_url(filing) -> str:
    return reverse("portal:wizard_materials", args=[filing.pk])


def upload_url(filing, material) -> str:
    return reverse("portal:wizard_upload", args=[filing.pk, material.pk])


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "filings"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- from the guide to a draft ------------------------------------------------------------------------


def test_the_guide_offers_online_filing_only_for_an_item_that_has_it(client, hall):
    guide = client.get(reverse("guides:item", args=[hall.item.lineage.code]))
    assert 'data-testid="apply-online"' in guide.content.decode()
    ServiceItem.objects.filter(pk=hall.item.pk).update(online_supported=False)
    guide = client.get(reverse("guides:item", args=[hall.item.lineage.code]))
    assert 'data-testid="apply-online"' not in guide.content.decode()
    # Asked for anyway (an old link): sent back to the guide, nothing started.
    hall.citizen.refresh_from_db()
    client.force_login(hall.citizen)
    refused = client.get(start_url(hall))
    assert refused.status_code == 302 and refused.url == reverse("guides:item", args=[hall.item.lineage.code])
    assert not Filing.objects.exists()


def restaurant_bundle(hall):
    """Two items of the hall's centre in a bundle, both asking for the identity card (handed in once),
    each for one material of its own."""
    items = []
    for name in ("食品经营许可", "公共场所卫生许可"):
        own = MaterialFactory(name=f"{name}申请书")
        items.append(
            make_item(
                name=name,
                department=DepartmentFactory(centre=hall.centre),
                children=checklist(requirement(hall.id_card), requirement(own)),
            )
        )
    ServiceItem.objects.filter(pk__in=[i.pk for i in items]).update(online_supported=True)
    bundle = BundleFactory(centre=hall.centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    return bundle


def test_a_bundle_is_filed_online_only_when_each_of_its_items_is(citizen_client, hall):
    bundle = restaurant_bundle(hall)
    address = reverse("portal:wizard_start") + f"?bundle={bundle.pk}"
    assert citizen_client.get(address).url == reverse("portal:wizard_applicant") + f"?bundle={bundle.pk}"
    ServiceItem.objects.filter(pk=bundle.entries.first().lineage.versions.first().pk).update(
        online_supported=False
    )
    assert citizen_client.get(address).url == reverse("guides:bundle", args=[bundle.code])


def test_an_earlier_versions_id_files_the_version_published_now(citizen_client, hall):
    draft = catalogue.start_new_version(lineage_id=hall.item.lineage_id)
    catalogue.submit_for_review(item_id=draft.pk)
    catalogue.publish(item_id=draft.pk)
    applicant = citizen_client.get(start_url(hall)).url  # the guide was opened before the new version
    citizen_client.post(applicant, {"applicant": "self"})
    assert Filing.objects.get().items.get().item_id == draft.pk


def test_a_visitor_logs_in_and_comes_back_to_the_step(client, hall):
    sent = client.get(start_url(hall))
    login = reverse("accounts:login")
    assert sent.status_code == 302 and sent.url.startswith(login)
    back = client.post(
        sent.url, {"username": hall.citizen.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert back.status_code == 302 and back.url == start_url(hall)
    applicant = client.get(back.url)
    assert applicant.url == reverse("portal:wizard_applicant") + f"?item={hall.item.pk}"


def test_the_applicant_is_the_account_itself_prefilled(citizen_client, hall):
    page = citizen_client.get(reverse("portal:wizard_applicant") + f"?item={hall.item.pk}")
    text = page.content.decode()
    assert page.status_code == 200 and hall.item.name in text and PERSON.name in text
    assert PERSON.id_number not in text  # masked: 110105********002X
    made = citizen_client.post(page.request["PATH_INFO"] + f"?item={hall.item.pk}", {"applicant": "self"})
    filing = Filing.objects.get()
    assert made.status_code == 302 and made.url == materials_url(filing)
    assert (filing.applicant_kind, filing.applicant_id_number, filing.applicant_name) == (
        ApplicantKind.PERSON,
        PERSON.id_number,
        PERSON.name,
    )
    assert filing.state == FilingState.DRAFT and filing.citizen == hall.citizen
    # Started again from the guide: the draft is offered to continue.
    again = citizen_client.get(reverse("portal:wizard_applicant") + f"?item={hall.item.pk}")
    assert materials_url(filing) in again.content.decode()


def test_an_organisation_the_account_may_act_for_and_not_one_whose_authorisation_expired(
    citizen_client, hall
):
    hall.authorise(hall.citizen)
    address = reverse("portal:wizard_applicant") + f"?item={hall.item.pk}"
    assert COMPANY.name in citizen_client.get(address).content.decode()
    citizen_client.post(address, {"applicant": COMPANY.id_number})
    filing = Filing.objects.get()
    assert (filing.applicant_kind, filing.applicant_id_number, filing.legal_representative) == (
        ApplicantKind.ORGANISATION,
        COMPANY.id_number,
        PERSON.name,
    )
    # An agent whose authorisation ended yesterday is offered nothing and refused the code typed in.
    agent = hall.citizen_account("agent", id_number="110105198001010016", name="王五")
    hall.authorise(agent, kind=AuthorisationKind.AGENT, valid_until=dt.date.today() - dt.timedelta(days=1))
    citizen_client.force_login(agent)
    assert COMPANY.name not in citizen_client.get(address).content.decode()
    refused = citizen_client.post(address, {"applicant": COMPANY.id_number})
    assert refused.status_code == 400 and Filing.objects.count() == 1


def test_an_agent_names_the_legal_representative(citizen_client, hall):
    agent = hall.citizen_account("agent", id_number="110105198001010016", name="王五")
    hall.authorise(agent, kind=AuthorisationKind.AGENT)
    citizen_client.force_login(agent)
    address = reverse("portal:wizard_applicant") + f"?item={hall.item.pk}"
    missing = citizen_client.post(address, {"applicant": COMPANY.id_number})
    assert missing.status_code == 400 and not Filing.objects.exists()
    citizen_client.post(
        address, {"applicant": COMPANY.id_number, f"legal_representative_{COMPANY.id_number}": "李四"}
    )
    filing = Filing.objects.get()
    assert (filing.legal_representative, filing.agent_name) == ("李四", "王五")


# --- the materials ------------------------------------------------------------------------------------


def test_the_checklist_shows_each_requirement_and_what_is_still_needed(citizen_client, hall):
    filing = hall.draft()
    page = citizen_client.get(materials_url(filing))
    text = page.content.decode()
    for material in (hall.id_card, hall.licence, hall.lease, hall.photo):
        assert f'data-material="{material.name}"' in text
    needed = text.split('data-testid="still-needed"')[1].split("</div>")[0]
    assert hall.id_card.name in needed and hall.licence.name in needed
    assert hall.lease.name not in needed and hall.photo.name not in needed  # 容缺后补, optional


def test_a_file_uploaded_without_javascript(citizen_client, hall, settings):
    filing = hall.draft()
    sent = citizen_client.post(upload_url(filing, hall.id_card), {"file": pdf("身份证.pdf")})
    assert sent.status_code == 302 and sent.url == f"{materials_url(filing)}#material-{hall.id_card.pk}"
    stored = MaterialUpload.objects.get()
    assert stored.entry.material == hall.id_card and stored.original_name == "身份证.pdf"
    page = citizen_client.get(sent.url)
    assert "身份证.pdf" in page.content.decode()
    assert len(stored_files(settings)) == 1


def test_a_file_uploaded_by_the_page_script_answers_json(citizen_client, hall):
    filing = hall.draft()
    sent = citizen_client.post(upload_url(filing, hall.id_card), {"file": pdf(), "m": "1"}, **XHR)
    assert sent.status_code == 200
    assert sent.json() == {
        "ok": True,
        "error": "",
        "next": f"{materials_url(filing)}?m=1#material-{hall.id_card.pk}",
    }
    assert MaterialUpload.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("身份证.pdf", b"MZ\x90\x00\x03\x00\x00\x00 an executable renamed"),
        ("身份证.png", png(100_000, 100_000)),  # a decompression bomb: 10 gigapixels declared
    ],
    ids=["executable", "decompression-bomb"],
)
@pytest.mark.parametrize("script", [False, True], ids=["form", "xhr"])
def test_a_refused_file_names_the_material_and_nothing_is_stored(
    citizen_client, hall, settings, name, content, script
):
    filing = hall.draft()
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    sent = citizen_client.post(upload_url(filing, hall.id_card), {"file": file}, **(XHR if script else {}))
    if script:
        assert sent.status_code == 400
        error = sent.json()["error"]
    else:
        assert sent.status_code == 302
        error = str(list(sent.wsgi_request._messages)[-1])
    assert hall.id_card.name in error and name in error
    assert not MaterialUpload.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize("script", [False, True], ids=["form", "xhr"])
def test_a_file_over_the_limit_names_the_material_and_nothing_is_stored(
    citizen_client, hall, settings, script
):
    settings.HALL_UPLOAD_MAX_MB = 1
    filing = hall.draft()
    big = SimpleUploadedFile("身份证.pdf", MINIMAL_PDF + b"0" * (2 * 2**20), content_type="application/pdf")
    sent = citizen_client.post(upload_url(filing, hall.id_card), {"file": big}, **(XHR if script else {}))
    error = sent.json()["error"] if script else str(list(sent.wsgi_request._messages)[-1])
    assert hall.id_card.name in error
    assert not MaterialUpload.objects.exists() and stored_files(settings) == []


def test_the_upload_keeps_its_csrf_check(hall):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(hall.citizen)
    filing = hall.draft()
    forged = client.post(upload_url(filing, hall.id_card), {"file": pdf()})
    assert forged.status_code == 403 and not MaterialUpload.objects.exists()


def test_a_file_removed(citizen_client, hall, settings):
    filing = hall.draft()
    stored = upload(filing, hall.id_card, hall.citizen)
    removed = citizen_client.post(reverse("portal:wizard_remove_upload", args=[filing.pk, stored.pk]))
    assert removed.status_code == 302 and not MaterialUpload.objects.exists()


def test_an_e_certificate_held_is_used_and_can_be_dropped(citizen_client, hall):
    certificate = hall.certificate(PERSON.id_number)
    filing = hall.draft()
    entry = filing.checklist.get(material=hall.licence)
    assert entry.status == MaterialStatus.E_CERTIFICATE  # offered and used at once: nothing to upload
    page = citizen_client.get(materials_url(filing)).content.decode()
    assert 'data-testid="e-certificate-used"' in page and certificate.number in page
    address = reverse("portal:wizard_e_certificate", args=[filing.pk, hall.licence.pk])
    citizen_client.post(address, {"drop": "1"})
    entry.refresh_from_db()
    assert entry.status == MaterialStatus.PENDING
    page = citizen_client.get(materials_url(filing)).content.decode()
    assert 'data-testid="e-certificate-offer"' in page
    citizen_client.post(address, {"certificate": str(certificate.pk)})
    entry.refresh_from_db()
    assert (entry.status, entry.certificate_reference) == (MaterialStatus.E_CERTIFICATE, certificate.number)


def test_a_resubmission_says_at_each_material_what_the_window_asked(citizen_client, hall):
    from tests.portal.test_filing_page import returned

    first = returned(hall)
    draft = online.resubmit_returned(filing_id=first.pk, actor=hall.citizen)
    page = citizen_client.get(materials_url(draft)).content.decode()
    assert first.number in page.split('data-testid="resubmission"')[1].split("</div>")[0]
    assert "申请表联系电话有误" in page  # about no one material: on top
    lease = page.split(f'data-material="{hall.lease.name}"')[1].split("</section>")[0]
    assert "租赁合同须有出租方签章" in lease
    id_card = page.split(f'data-material="{hall.id_card.name}"')[1].split("</section>")[0]
    assert 'data-testid="window-asks"' not in id_card and 'data-testid="uploaded-file"' in id_card  # carried


def test_elder_mode_shows_one_material_a_screen(citizen_client, hall):
    filing = hall.draft()
    citizen_client.cookies[ELDER] = "1"
    first = citizen_client.get(materials_url(filing)).content.decode()
    assert first.count('data-testid="material"') == 1 and f'data-material="{hall.id_card.name}"' in first
    assert 'data-testid="next-material"' in first and 'data-testid="to-declaration"' not in first
    last = citizen_client.get(materials_url(filing) + "?m=3").content.decode()
    assert last.count('data-testid="material"') == 1 and f'data-material="{hall.photo.name}"' in last
    assert 'data-testid="to-declaration"' in last
    # The upload comes back to the same screen.
    sent = citizen_client.post(upload_url(filing, hall.lease), {"file": pdf(), "m": "2"})
    assert sent.url == f"{materials_url(filing)}?m=2#material-{hall.lease.pk}"


@pytest.mark.parametrize("step", ["wizard_materials", "wizard_review"])
def test_a_step_reads_the_same_whatever_the_number_of_materials(
    client, hall, django_assert_max_num_queries, step
):
    counted = []
    for n in (1, 8):
        draft = make_hall_of(n)
        for entry in draft.filing.checklist.all():
            upload(draft.filing, entry.material, draft.citizen)
        client.force_login(draft.citizen)
        with django_assert_max_num_queries(counted[0] if counted else 20) as done:
            assert client.get(reverse(f"portal:{step}", args=[draft.filing.pk])).status_code == 200
        counted.append(len(done.captured_queries))


def make_hall_of(n: int):
    """A draft of one item with ``n`` materials, by another citizen (for counting queries)."""
    centre = ServiceCentreFactory()
    item = make_item(
        department=DepartmentFactory(centre=centre),
        children=checklist(*[requirement(MaterialFactory()) for _ in range(n)]),
    )
    id_number = {1: "110105198001010016", 8: "110105198512120022"}[n]  # GB 11643 check digits right
    citizen = make_staff(Role.CITIZEN, username=f"many{n}", id_number=id_number, full_name="王五")
    filing = online.start_online_filing(citizen=citizen, centre=centre, item_ids=[item.pk])
    return SimpleNamespace(citizen=citizen, filing=filing)


# --- declaration, review, submit ----------------------------------------------------------------------


def test_the_declaration_is_ticked_to_go_on(citizen_client, hall):
    filing = hall.draft()
    address = reverse("portal:wizard_declaration", args=[filing.pk])
    refused = citizen_client.post(address, {})
    filing.refresh_from_db()
    assert refused.status_code == 400 and filing.declared_at is None
    done = citizen_client.post(address, {"agree": "1"})
    filing.refresh_from_db()
    assert done.url == reverse("portal:wizard_review", args=[filing.pk]) and filing.declared_at is not None


def test_the_review_names_what_is_missing_before_the_button_and_a_forced_submit_is_refused(
    citizen_client, hall
):
    filing = hall.draft()
    upload(filing, hall.licence, hall.citizen)
    address = reverse("portal:wizard_review", args=[filing.pk])
    page = citizen_client.get(address).content.decode()
    missing = page.split('data-testid="cannot-submit"')[1].split("</div>")[0]
    assert hall.id_card.name in missing and hall.licence.name not in missing
    assert 'data-testid="submit"' not in page
    forced = citizen_client.post(address)
    filing.refresh_from_db()
    assert forced.url == address and filing.state == FilingState.DRAFT
    assert hall.id_card.name in str(list(forced.wsgi_request._messages)[-1])


def test_a_double_submit_files_once_and_lands_on_the_filing(citizen_client, hall):
    filing = ready(hall, hall.draft())
    address = reverse("portal:wizard_review", args=[filing.pk])
    assert 'data-testid="submit"' in citizen_client.get(address).content.decode()
    first = citizen_client.post(address)
    second = citizen_client.post(address)
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    target = reverse("portal:filing", args=[filing.pk])
    assert first.url == target and second.url == target
    assert TransitionLog.objects.filter(object_id=filing.pk, transition="submit").count() == 1
    landed = citizen_client.get(second.url)
    assert landed.status_code == 200 and filing.number in landed.content.decode()
    # Every step of the wizard now shows the filing's page instead.
    assert citizen_client.get(materials_url(filing)).url == target


# --- a session ending mid-way, and other people's drafts ----------------------------------------------


def test_a_session_ending_mid_wizard_loses_nothing(citizen_client, hall, settings):
    filing = hall.draft()
    upload(filing, hall.id_card, hall.citizen)
    address = reverse("portal:wizard_declaration", args=[filing.pk])
    assert citizen_client.get(address).status_code == 200
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(timezone.now() + idle):  # the page stayed open past the session's life
        lost = citizen_client.post(address, {"agree": "1"})
        assert lost.status_code == 302 and lost.url == reverse("accounts:login") + "?next=" + address
        back = citizen_client.post(lost.url, {"username": hall.citizen.username, "password": PASSWORD})
        assert back.url == address
        page = citizen_client.get(address)
    assert page.status_code == 200 and filing.number in page.content.decode()
    assert MaterialUpload.objects.filter(entry__filing=filing).count() == 1
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT and filing.declared_at is None  # the lost post did nothing
    # The page's upload script is told where to log in, to come back to the materials.
    with time_machine.travel(timezone.now() + 2 * idle):
        script = citizen_client.post(upload_url(filing, hall.licence), {"file": pdf()}, **XHR)
    assert script.status_code == 401
    assert json.loads(script.content)["login"] == reverse("accounts:login") + "?next=" + materials_url(filing)


def test_another_citizens_draft_is_a_404_on_every_address(citizen_client, hall):
    filing = hall.draft()
    stored = upload(filing, hall.id_card, hall.citizen)
    other = hall.citizen_account("lisi", id_number="110105198001010016", name="李四")
    citizen_client.force_login(other)
    addresses = [
        ("get", materials_url(filing)),
        ("get", reverse("portal:wizard_declaration", args=[filing.pk])),
        ("get", reverse("portal:wizard_review", args=[filing.pk])),
        ("post", reverse("portal:wizard_review", args=[filing.pk])),
        ("post", reverse("portal:wizard_declaration", args=[filing.pk])),
        ("post", upload_url(filing, hall.id_card)),
        ("post", reverse("portal:wizard_remove_upload", args=[filing.pk, stored.pk])),
        ("post", reverse("portal:wizard_e_certificate", args=[filing.pk, hall.licence.pk])),
    ]
    for method, address in addresses:
        answer = getattr(citizen_client, method)(
            address, {"agree": "1", "file": pdf()} if method == "post" else {}
        )
        assert answer.status_code == 404, address
    filing.refresh_from_db()
    assert filing.declared_at is None and MaterialUpload.objects.count() == 1


def test_staff_do_not_file_online(client, hall):
    client.force_login(hall.clerk)
    assert client.get(start_url(hall)).status_code == 403
