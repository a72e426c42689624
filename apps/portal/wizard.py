"""The online filing wizard (在线申请): applicant, materials, declaration, submit.

Four steps over one draft filing. The draft is the filing itself, saved by every step as it is made:
it is resumed from any device (my hall lists drafts), and a session that ends mid-way loses nothing —
the login comes back to the step's page (never to the address a lost post went to). Thin views over
the services the window uses (``apps.cases.online``, ``apps.cases.services``): an upload is checked
by content and size as at the window, and a submit is refused as the service refuses it.

Uploads are plain multipart posts (a page without JavaScript works); ``static/js/portal-upload.js``
sends the same post by XHR to show a progress bar, asking for JSON (``X-Requested-With``).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.identifiers import mask_identifier
from apps.accounts.permissions import Perm
from apps.accounts.selectors import authorisations_of
from apps.audit.requests import client_ip
from apps.cases import online, services
from apps.cases.codes import Channel, FilingState, MaterialStatus
from apps.cases.models import ChecklistEntry, Filing
from apps.catalogue import selectors as catalogue
from apps.catalogue.codes import ItemState, Necessity
from apps.catalogue.models import Bundle, ItemMaterial, ServiceItem
from apps.core.errors import Conflict, error_text
from apps.portal.elder_mode import elder_mode
from apps.uploads.handlers import file_limit

# --- who may use the wizard, and where a login comes back to ----------------------------------------


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def citizen_step(back: str | None = None):
    """A citizen's page of the wizard. A visitor, or a citizen whose session has ended, is sent to
    log in and comes back to ``back`` (the url name of the draft's step; the page's own address when
    None) — a post is not repeated after the login, its step's page is shown. An XHR upload gets a
    401 in JSON with the login's address, so that the page goes there. Staff get 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                target = reverse(f"portal:{back}", args=[kwargs["pk"]]) if back else request.get_full_path()
                login = redirect_to_login(target)
                if _wants_json(request):
                    message = _("Your session has ended. Log in again: your draft is kept.")
                    return JsonResponse({"error": message, "login": login.url}, status=401)
                return login
            if not request.user.has_perm(Perm.USE_CITIZEN_PORTAL):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _draft(request, pk) -> Filing:
    """The account's own online filing; any other (another citizen's, a window's) is a 404."""
    return get_object_or_404(
        Filing.objects.select_related("bundle", "centre", "resubmission_of"),
        pk=pk,
        citizen=request.user,
        channel=Channel.ONLINE,
    )


def _submitted(request, filing):
    """A wizard page of a filing no longer a draft (submitted from another tab or device, or by a
    double click): its own page, saying so."""
    messages.info(
        request,
        _("Filing %(number)s has been submitted: here is where it stands.") % {"number": filing.number},
    )
    return redirect("portal:filing", pk=filing.pk)


# --- what is filed: an item or a bundle, from the guide's button --------------------------------------


def _target(request) -> tuple[ServiceItem | None, Bundle | None]:
    """The item (``?item=<id>``) or bundle (``?bundle=<id>``) asked for. An item's id of an earlier
    version (a guide open since before a new version was published) means its current version."""
    item_id, bundle_id = request.GET.get("item", ""), request.GET.get("bundle", "")
    if bool(item_id) == bool(bundle_id) or not (item_id or bundle_id).isdigit():
        raise Http404
    if bundle_id:
        return None, get_object_or_404(catalogue.published_bundles(), pk=int(bundle_id))
    asked = get_object_or_404(ServiceItem.objects.only("lineage_id"), pk=int(item_id))
    item = get_object_or_404(
        ServiceItem.objects.select_related("lineage__centre"),
        lineage_id=asked.lineage_id,
        state=ItemState.PUBLISHED,
    )
    return item, None


def _bundle_items(bundle) -> list[ServiceItem]:
    return catalogue.bundle_items(
        bundle, prepare=lambda qs: qs.only("name", "online_supported", "lineage_id")
    )


def _offered_online(item, bundle) -> bool:
    if item is not None:
        return item.online_supported
    items = _bundle_items(bundle)
    return bool(items) and all(i.online_supported for i in items)


def _guide(item, bundle) -> str:
    if item is not None:
        return reverse("guides:item", args=[item.lineage.code])
    return reverse("guides:bundle", args=[bundle.code])


def _query(item, bundle) -> str:
    return f"?item={item.pk}" if item is not None else f"?bundle={bundle.pk}"


@citizen_step()
@require_GET
def start(request):
    """The guide's 在线申请 button: what is filed, checked, then the applicant step."""
    item, bundle = _target(request)
    if not _offered_online(item, bundle):
        messages.error(request, _("This service cannot be filed online: the guide says where to file it."))
        return redirect(_guide(item, bundle))
    return redirect(reverse("portal:wizard_applicant") + _query(item, bundle))


# --- step 1: the applicant ----------------------------------------------------------------------------


def _drafts_of(user, item, bundle):
    """The account's unfinished drafts of the same item or bundle: to continue rather than start again."""
    drafts = Filing.objects.filter(citizen=user, channel=Channel.ONLINE, state=FilingState.DRAFT)
    if bundle is not None:
        drafts = drafts.filter(bundle=bundle)
    else:
        drafts = drafts.filter(bundle__isnull=True, items__item__lineage_id=item.lineage_id)
    return drafts.only("number", "created_at", "applicant_name").order_by("-created_at")[:5]


@citizen_step()
@require_http_methods(["GET", "POST"])
def applicant(request):
    """Step 1: for whom — the account's own name, or an organisation it may act for today. Nothing is
    typed: the applicant's details come from the account or the authorisation."""
    item, bundle = _target(request)
    if not _offered_online(item, bundle):
        return redirect(_guide(item, bundle))
    user = request.user
    organisations = list(authorisations_of(user, timezone.localdate()).order_by("organisation_name"))
    for authorisation in organisations:  # what an agent typed, back in its field after a refusal
        authorisation.typed = request.POST.get(f"legal_representative_{authorisation.credit_code}", "")
    error = None
    if request.method == "POST":
        chosen = request.POST.get("applicant", "")
        codes = {a.credit_code for a in organisations}
        if chosen != "self" and chosen not in codes:
            error = _("Choose for whom you file.")
        else:
            centre = bundle.centre if bundle is not None else item.lineage.centre
            try:
                filing = online.start_online_filing(
                    citizen=user,
                    centre=centre,
                    item_ids=[item.pk] if item is not None else None,
                    bundle=bundle,
                    organisation_code="" if chosen == "self" else chosen,
                    # An agent names the organisation's legal representative (the authorisation
                    # names the agent only); a legal representative is the account itself.
                    legal_representative=request.POST.get(f"legal_representative_{chosen}", "").strip()[:100],
                    client_ip=client_ip(request),
                )
            except (ValidationError, PermissionDenied, Conflict) as refusal:
                error = error_text(refusal) if not isinstance(refusal, PermissionDenied) else str(refusal)
            else:
                messages.success(
                    request,
                    _("Your draft %(number)s is saved: you can finish it later from My filings.")
                    % {"number": filing.number},
                )
                return redirect("portal:wizard_materials", pk=filing.pk)
    context = {
        "portal_page": "wizard",
        "step": "applicant",
        "item": item,
        "bundle": bundle,
        "items": _bundle_items(bundle) if bundle is not None else [item],
        "organisations": organisations,
        "drafts": _drafts_of(user, item, bundle),
        "error": error,
        "chosen": request.POST.get("applicant", "self"),
        "masked_id": mask_identifier(user.id_number or ""),
    }
    return render(request, "portal/wizard/applicant.html", context, status=400 if error else 200)


# --- step 2: the materials ----------------------------------------------------------------------------


def _requirements(filing) -> dict[int, catalogue.ChecklistEntry]:
    """What the filed item versions ask of each material (form, acceptance standards, blank forms):
    the bundle's merged requirement, by material id. Two queries."""
    items = list(
        ServiceItem.objects.filter(pk__in=filing.items.values("item_id"))
        .only("pk", "result_licence_type_id")
        .prefetch_related(Prefetch("materials", ItemMaterial.objects.select_related("material")))
    )
    return {entry.material.pk: entry for entry in catalogue.merged_checklist(items)}


def _checklist(filing) -> list[ChecklistEntry]:
    """The draft's checklist, each entry with what the page shows of it: its files, the
    e-certificates the applicant holds for it, the item's requirement, and whether it is still
    needed before the filing may be submitted (constant queries, whatever the number of materials)."""
    entries = list(
        filing.checklist.select_related("material", "replaceable_by", "produced_by").prefetch_related(
            "uploads"
        )
    )
    offers = online.e_certificate_offers(filing)
    requirements = _requirements(filing)
    for entry in entries:
        entry.files = list(entry.uploads.all())
        entry.offers = offers.get(entry.material_id, [])
        entry.requirement = requirements.get(entry.material_id)
        entry.by_applicant = entry.produced_by_id is None
        entry.certified = entry.status == MaterialStatus.E_CERTIFICATE
        # As ``online.missing_for_submit`` counts it, from the rows already loaded.
        entry.satisfied = bool(entry.files) or entry.certified or not entry.by_applicant
        entry.still_needed = entry.necessity == Necessity.REQUIRED and not entry.satisfied
    return entries


def _asked_by_the_window(filing, entries) -> list[str]:
    """A resubmission after a 一次性告知: each material's card says what the window asked of it; the
    reasons about no one material are returned, for the top of the page."""
    if filing.resubmission_of is None:
        return []
    reasons: dict[int | None, list[str]] = {}
    for row in filing.resubmission_of.completion_list:
        reasons.setdefault(row.get("material"), []).append(row.get("reason", ""))
    for entry in entries:
        entry.asked = reasons.pop(entry.material_id, [])
    # Not about a material of this list (none, or one the catalogue no longer asks for): on top.
    return [reason for rows in reasons.values() for reason in rows]


def _screens(entries) -> list[ChecklistEntry]:
    """The materials the applicant deals with, one a screen in the elder-friendly mode."""
    return [entry for entry in entries if entry.by_applicant]


def _screen(request) -> int:
    value = request.GET.get("m") or request.POST.get("m") or ""
    return int(value) if value.isdigit() else 0


def _materials_url(filing, *, screen: int | None = None, material_id: int | None = None) -> str:
    url = reverse("portal:wizard_materials", args=[filing.pk])
    if screen:
        url += f"?m={screen}"
    if material_id is not None:
        url += f"#material-{material_id}"
    return url


@citizen_step("wizard_materials")
@require_GET
def materials(request, pk):
    """Step 2: the merged checklist, each material with its requirement, its files, an upload, and
    the e-certificates held that stand in for it. In the elder-friendly mode, one material a screen."""
    filing = _draft(request, pk)
    if filing.state != FilingState.DRAFT:
        return _submitted(request, filing)
    entries = _checklist(filing)
    screens = _screens(entries)
    for number, entry in enumerate(screens):
        entry.screen = number
    elder = elder_mode(request)["elder_mode"]
    index = min(_screen(request), max(len(screens) - 1, 0))
    shown = screens[index : index + 1] if elder else entries
    asked = _asked_by_the_window(filing, entries)
    context = {
        "portal_page": "wizard",
        "step": "materials",
        "filing": filing,
        "asked": asked,
        "entries": shown,
        "produced": [entry for entry in entries if not entry.by_applicant],
        "still_needed": [entry for entry in entries if entry.still_needed],
        "elder": elder,
        "screen": index,
        "screens": len(screens),
        "previous_screen": index - 1 if elder and index > 0 else None,
        "next_screen": index + 1 if elder and index + 1 < len(screens) else None,
        "max_bytes": file_limit(),
        "max_size": filesizeformat(file_limit()),
    }
    return render(request, "portal/wizard/materials.html", context)


def _answer(request, filing, *, ok: bool, text: str, material_id: int | None = None):
    """After an upload: JSON for the page's XHR (it shows a refusal in place, and reloads on
    success); otherwise a message and the materials page at the material."""
    back = _materials_url(filing, screen=_screen(request), material_id=material_id)
    if ok:
        messages.success(request, text)
    if _wants_json(request):
        return JsonResponse({"ok": ok, "error": "" if ok else text, "next": back}, status=200 if ok else 400)
    if not ok:
        messages.error(request, text)
    return redirect(back)


@citizen_step("wizard_materials")
@require_POST
def upload(request, pk, material_id):
    """A file for one material of the own draft, checked by content and size before anything is
    stored; a refusal names the material and the rule. (A body over the request's whole limit is
    refused unread before any view, by the hall's request guard: the page's script checks the size
    first and names the material.)"""
    filing = _draft(request, pk)
    entry = get_object_or_404(filing.checklist.select_related("material"), material_id=material_id)
    name = entry.material.name
    file = request.FILES.get("file")
    if filing.state != FilingState.DRAFT:
        return _submitted(request, filing)
    if file is None:
        text = _("%(material)s: choose a file to upload.") % {"material": name}
        return _answer(request, filing, ok=False, text=text, material_id=material_id)
    try:
        services.attach_upload(
            filing_id=filing.pk,
            material_id=material_id,
            file=file,
            actor=request.user,
            client_ip=client_ip(request),
        )
    except (ValidationError, Conflict) as refusal:
        return _answer(
            request, filing, ok=False, text=_refused(name, error_text(refusal)), material_id=material_id
        )
    text = _("%(material)s: %(file)s uploaded.") % {"material": name, "file": file.name}
    return _answer(request, filing, ok=True, text=text, material_id=material_id)


def _refused(material: str, reason: str) -> str:
    return _("%(material)s: the file was not accepted. %(reason)s") % {"material": material, "reason": reason}


@citizen_step("wizard_materials")
@require_POST
def remove_upload(request, pk, upload_id):
    """Take a file off a material of the own draft (and off the disk)."""
    filing = _draft(request, pk)
    if filing.state != FilingState.DRAFT:
        return _submitted(request, filing)
    try:
        online.remove_upload(filing_id=filing.pk, upload_id=upload_id, actor=request.user)
    except (ValidationError, Conflict) as refusal:
        messages.error(request, error_text(refusal))
    else:
        messages.success(request, _("The file was removed."))
    return redirect(_materials_url(filing, screen=_screen(request)))


@citizen_step("wizard_materials")
@require_POST
def e_certificate(request, pk, material_id):
    """Use an e-certificate the applicant holds instead of uploading the material (免证), or stop
    using it (``drop``) to upload a file instead."""
    filing = _draft(request, pk)
    if filing.state != FilingState.DRAFT:
        return _submitted(request, filing)
    acting = {
        "filing_id": filing.pk,
        "material_id": material_id,
        "actor": request.user,
        "client_ip": client_ip(request),
    }
    try:
        if request.POST.get("drop"):
            online.drop_e_certificate(**acting)
            text = _("The e-certificate is no longer used: upload the material instead.")
        else:
            certificate = request.POST.get("certificate", "")
            if not certificate.isdigit():
                raise ValidationError(_("Choose the e-certificate to use."))
            online.use_e_certificate(certificate_id=int(certificate), **acting)
            text = _("The e-certificate is used instead of the material: nothing to upload.")
    except (ValidationError, Conflict) as refusal:
        messages.error(request, error_text(refusal))
    else:
        messages.success(request, text)
    return redirect(_materials_url(filing, screen=_screen(request), material_id=material_id))


# --- step 3: the declaration --------------------------------------------------------------------------


@citizen_step("wizard_declaration")
@require_http_methods(["GET", "POST"])
def declaration(request, pk):
    """Step 3: the applicant declares the materials true (承诺); recorded on the draft."""
    filing = _draft(request, pk)
    if filing.state != FilingState.DRAFT:
        return _submitted(request, filing)
    error = None
    if request.method == "POST":
        if request.POST.get("agree") != "1":
            error = _("Tick the declaration to go on.")
        else:
            try:
                online.declare(filing_id=filing.pk, actor=request.user)
            except (ValidationError, Conflict) as refusal:
                error = error_text(refusal)
            else:
                return redirect("portal:wizard_review", pk=filing.pk)
    context = {"portal_page": "wizard", "step": "declaration", "filing": filing, "error": error}
    return render(request, "portal/wizard/declaration.html", context, status=400 if error else 200)


# --- step 4: review and submit ------------------------------------------------------------------------


@citizen_step("wizard_review")
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """Step 4: everything at a glance, what is still missing named before the button; submit sends
    the draft to the window's pre-review. A second submit (a double click, another tab) finds it
    submitted and lands on the filing's page, saying so: it is filed once."""
    filing = _draft(request, pk)
    if filing.state != FilingState.DRAFT:
        return _submitted(request, filing)
    if request.method == "POST":
        try:
            services.submit_online(filing_id=filing.pk, actor=request.user, client_ip=client_ip(request))
        except Conflict:
            return _submitted(request, filing)
        except ValidationError as refusal:
            messages.error(request, error_text(refusal))
            return redirect("portal:wizard_review", pk=filing.pk)
        messages.success(
            request,
            _(
                "Filing %(number)s is submitted. The service centre checks it (pre-review) "
                "and tells you the outcome."
            )
            % {"number": filing.number},
        )
        return redirect("portal:filing", pk=filing.pk)
    entries = _checklist(filing)
    context = {
        "portal_page": "wizard",
        "step": "review",
        "filing": filing,
        "entries": entries,
        "items": [filed.item for filed in filing.items.select_related("item")],
        "still_needed": [entry for entry in entries if entry.still_needed],
        "declared": filing.declared_at is not None,
    }
    return render(request, "portal/wizard/review.html", context)


urlpatterns = [
    path("apply/", start, name="wizard_start"),
    path("apply/applicant/", applicant, name="wizard_applicant"),
    path("drafts/<int:pk>/materials/", materials, name="wizard_materials"),
    path("drafts/<int:pk>/materials/<int:material_id>/upload/", upload, name="wizard_upload"),
    path(
        "drafts/<int:pk>/materials/<int:material_id>/e-certificate/",
        e_certificate,
        name="wizard_e_certificate",
    ),
    path("drafts/<int:pk>/uploads/<int:upload_id>/remove/", remove_upload, name="wizard_remove_upload"),
    path("drafts/<int:pk>/declaration/", declaration, name="wizard_declaration"),
    path("drafts/<int:pk>/review/", review, name="wizard_review"),
]
