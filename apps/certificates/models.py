"""The unified certificate desk (统一窗口出证): how each certificate type is numbered and laid out,
the seals kept at the desk, the documents issued (certificates and 不予许可决定书), their delivery,
and the public verification of what was issued.

What the library knows about a certificate — holder, dates, whether it still stands — is in
``licences.ElectronicCertificate`` (the 电子证照库 that intake reads); an ``IssuedDocument`` is the
desk's record of issuing it: the number's allocation, the seal, the PDF, the verification token.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.audit.transitions import every, refuses
from apps.uploads.validation import IMAGES, check_upload

# {year} and {serial} (with an optional width: {serial:06d}), {region} (the centre's GB/T 2260 code)
# and {type} (the certificate type code); anything else is printed as written.
NUMBER_PLACEHOLDER = re.compile(r"\{(year|serial(?::0\d+d)?|region|type)\}")


def validate_number_format(value: str) -> None:
    if "{serial" not in value:
        raise ValidationError(_("A number format contains {serial}, the counter of the type and year."))
    rest = NUMBER_PLACEHOLDER.sub("", value)
    if "{" in rest or "}" in rest:
        raise ValidationError(
            _("A number format may use only {year}, {serial}, {serial:06d}, {region} and {type}.")
        )


class Layout(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape licence (营业执照 style)")
    PORTRAIT = "portrait", _("Portrait permit (许可证 style)")


class IssuingRule(models.Model):
    """How the desk issues one certificate type (证照类型): its number series, validity rule, the
    labels of what the approval decision fills in, and its PDF layout."""

    licence_type = models.OneToOneField(
        "licences.LicenceType",
        verbose_name=_("certificate type"),
        on_delete=models.PROTECT,
        related_name="issuing",
    )
    number_format = models.CharField(
        _("number format"),
        max_length=60,
        default="{region}{year}{serial:06d}",
        validators=[validate_number_format],
        help_text=_("e.g. JY{region}{year}{serial:06d}. Numbers are gap-free per type and year."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity in years"),
        null=True,
        blank=True,
        help_text=_("Used when the decision names no end date. Empty: valid indefinitely (长期)."),
    )
    # The decision fills in the holder and the scope; each type prints them under its own heading.
    holder_label = models.CharField(_("holder heading"), max_length=20, default="名称")
    scope_label = models.CharField(_("scope heading"), max_length=20, default="许可范围")
    layout = models.CharField(_("layout"), max_length=12, choices=Layout.choices, default=Layout.PORTRAIT)

    class Meta:
        verbose_name = _("certificate issuing rule")
        verbose_name_plural = _("certificate issuing rules")

    def __str__(self):
        return str(self.licence_type)


class SealKind(models.TextChoices):
    APPROVAL = "approval", _("Approval seal (行政审批专用章)")
    CERTIFICATE = "certificate", _("Certificate seal (证照专用章)")
    OFFICIAL = "official", _("Official seal (公章)")


class SealStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    SUSPENDED = "suspended", _("Suspended")


def validate_seal_image(file) -> None:
    check_upload(file, allowed=IMAGES, max_bytes=2 * 2**20)


@refuses(_("Another seal of this department is in use: suspend it first."))
def _no_other_seal_in_use(seal) -> bool:
    """One seal per department in use (the partial unique index below holds it against a race too)."""
    others = Seal.objects.filter(department_id=seal.department_id, status=SealStatus.ACTIVE)
    return not others.exclude(pk=seal.pk).exists()


class Seal(FSMModelMixin, models.Model):
    """A department's seal kept centrally at the certificate desk, under dual control: each use needs
    the issuer and the custodian (or another seal keeper of the centre) to confirm.

    Its status is a protected state graph: in use ⇄ suspended (``suspend``, ``reinstate``), each
    change by ``services.set_seal_status`` with a reason, in the transition log."""

    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="seals"
    )
    name = models.CharField(_("seal name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SealKind.choices, default=SealKind.APPROVAL)
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("custodian"), on_delete=models.PROTECT, related_name="+"
    )
    image = models.FileField(_("seal image"), upload_to="seals/", validators=[validate_seal_image])
    status = FSMField(
        _("status"), max_length=12, choices=SealStatus.choices, default=SealStatus.ACTIVE, protected=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("seal")
        verbose_name_plural = _("seals")
        ordering = ["department", "name"]
        permissions = [("keep_seals", "Confirm seal uses, suspend and reinstate seals")]
        constraints = [
            # The seal a document gets is its department's seal in use: one at a time.
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(status=SealStatus.ACTIVE),
                name="seal_one_in_use_per_department",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def in_use(self) -> bool:
        return self.status == SealStatus.ACTIVE

    # Lost, damaged, sent for inspection: no document is sealed with it until it is reinstated.
    @transition(field=status, source=SealStatus.ACTIVE, target=SealStatus.SUSPENDED)
    def suspend(self):
        pass

    @transition(
        field=status,
        source=SealStatus.SUSPENDED,
        target=SealStatus.ACTIVE,
        conditions=[_no_other_seal_in_use],
    )
    def reinstate(self):
        pass


class RequestState(models.TextChoices):
    PENDING = "pending", _("Awaiting the seal keeper")
    CONFIRMED = "confirmed", _("Confirmed and issued")
    CANCELLED = "cancelled", _("Cancelled")


def keeps_seals_at(user, centre_id: int) -> bool:
    """Whether ``user`` is a seal keeper of that centre (the role held there, not anywhere): keeping
    seals at another centre, or custody of a seal alone, counts for nothing."""
    from apps.accounts.permissions import Perm
    from apps.accounts.roles import Role
    from apps.accounts.selectors import holds_role

    return user.has_perm(Perm.KEEP_SEALS) and holds_role(user, Role.SEAL_KEEPER, centre_id=centre_id)


# Who may move an issue request: the permissions of its transitions, each worded, so that the desk
# offers exactly what the services accept and a refusal names the rule that failed.


@refuses(_("Dual control: the person who asked to issue cannot also confirm the seal's use."))
def _not_the_requester(issue_request, user) -> bool:
    """双人用印: whoever asked does not confirm too, even when they keep seals as well."""
    return issue_request.requested_by_id != getattr(user, "pk", None)


@refuses(_("Only a seal keeper of this filing's service centre may confirm."))
def _keeps_seals_at_the_centre(issue_request, user) -> bool:
    return keeps_seals_at(user, issue_request.filing.centre_id)


@refuses(_("Only the issuer who asked or a seal keeper may cancel the request."))
def _the_requester_or_a_seal_keeper(issue_request, user) -> bool:
    return issue_request.requested_by_id == getattr(user, "pk", None) or keeps_seals_at(
        user, issue_request.filing.centre_id
    )


def hands_over_at(user, centre_id: int) -> bool:
    """Whether ``user`` is an issuer of that centre: delivering documents is the issuer's duty."""
    from apps.accounts.roles import Role
    from apps.accounts.selectors import holds_role

    return holds_role(user, Role.ISSUER, centre_id=centre_id)


# The permission of the filing's ``deliver`` transition (hand-over and posting): seal custody and
# delivery are separate duties, as asking and confirming a seal's use are. A seal keeper confirms
# the seal and does not hand the documents over; a person who is both an issuer and a seal keeper
# does not hand over what they sealed themselves.
@refuses(
    _(
        "Seal custody and delivery are separate duties: only an issuer of this filing's service centre "
        "hands the documents over or posts them, and not the seal keeper who confirmed their seal."
    )
)
def delivers(filing, user) -> bool:
    if not hands_over_at(user, filing.centre_id):
        return False
    sealed_by = (
        IssueRequest.objects.filter(filing_id=filing.pk, state=RequestState.CONFIRMED)
        .values_list("decided_by_id", flat=True)
        .last()
    )
    return sealed_by != getattr(user, "pk", None)


class IssueRequest(FSMModelMixin, models.Model):
    """用印申请: an issuer asks to issue a filing's documents; a seal keeper confirms, and only then
    are the numbers allocated, the seals applied and the documents issued (dual control).

    Its state is a protected graph: pending → confirmed | cancelled, both final. Who may confirm (a
    seal keeper of the filing's centre who did not ask) or cancel (whoever asked, or a seal keeper
    there) are the transitions' permissions; the services add the filing's readiness."""

    filing = models.ForeignKey("cases.Filing", on_delete=models.PROTECT, related_name="+")
    state = FSMField(
        _("state"), max_length=12, choices=RequestState.choices, default=RequestState.PENDING, protected=True
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("issue request")
        verbose_name_plural = _("issue requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing"], condition=Q(state=RequestState.PENDING), name="issue_request_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.filing_id} · {self.state}"

    # The seal keeper confirms: in the same transaction every document of the filing is issued.
    @transition(
        field=state,
        source=RequestState.PENDING,
        target=RequestState.CONFIRMED,
        permission=every(_not_the_requester, _keeps_seals_at_the_centre),
    )
    def confirm(self):
        pass

    @transition(
        field=state,
        source=RequestState.PENDING,
        target=RequestState.CANCELLED,
        permission=_the_requester_or_a_seal_keeper,
    )
    def cancel(self):
        pass


class DocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")  # 证照 (准予许可)
    DENIAL = "denial", _("Decision of denial")  # 不予许可决定书


def new_verification_token() -> str:
    return secrets.token_urlsafe(18)


def document_path(instance, filename: str) -> str:
    return f"documents/{instance.filing_id}/{secrets.token_hex(16)}.pdf"


class IssuedDocument(models.Model):
    """What the desk issued for one decided case: the certificate of an approval, or the decision of a
    denial. Numbered, sealed and captured (``content``) in the issuing transaction; its PDF rendered
    from that content afterwards and stored once with its SHA-256."""

    filing = models.ForeignKey(
        "cases.Filing", verbose_name=_("filing"), on_delete=models.PROTECT, related_name="documents"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="document"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    licence_type = models.ForeignKey(
        "licences.LicenceType",
        verbose_name=_("certificate type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=60)
    # The library entry of a certificate (status, revocation); none for a denial.
    library_entry = models.OneToOneField(
        "licences.ElectronicCertificate",
        verbose_name=_("library entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_document",
    )
    # What the QR code carries: unguessable, so the public cannot enumerate certificates.
    verification_token = models.CharField(
        _("verification token"), max_length=40, unique=True, null=True, blank=True
    )
    content = models.JSONField(_("content"), default=dict, editable=False)
    seal = models.ForeignKey(Seal, verbose_name=_("seal"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.FileField("PDF", upload_to=document_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["filing", "pk"]
        permissions = [("revoke_certificate", "Revoke or cancel certificates of one's department")]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_type", "number"],
                condition=Q(kind=DocumentKind.CERTIFICATE),
                name="document_certificate_number",
            ),
            models.UniqueConstraint(
                fields=["department", "number"],
                condition=Q(kind=DocumentKind.DENIAL),
                name="document_denial_number",
            ),
        ]
        indexes = [
            models.Index(fields=["issued_at"], condition=Q(sha256=""), name="document_pending_pdf"),
            # The work roll-ups read a day's documents issued (apps.supervision.rollups).
            models.Index(fields=["issued_at"], name="document_issued_at"),
        ]

    def __str__(self):
        return self.number

    @property
    def title(self) -> str:
        return self.content.get("title", "")


class SealUse(models.Model):
    """Append-only log of every use of a seal (用印登记): the database refuses updates and deletes."""

    seal = models.ForeignKey(Seal, verbose_name=_("seal"), on_delete=models.PROTECT, related_name="uses")
    document = models.ForeignKey(
        IssuedDocument, verbose_name=_("issued document"), on_delete=models.PROTECT, related_name="seal_uses"
    )
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+"
    )
    confirmer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("seal use")
        verbose_name_plural = _("seal use log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["seal", "-at"], name="seal_use_by_seal")]

    def __str__(self):
        return f"{self.seal} · {self.document}"


class DeliveryMethod(models.TextChoices):
    HANDOVER = "handover", _("Handed over at the window")  # 窗口领取
    POST = "post", _("Posted free of charge")  # 免费邮寄


class RecipientRole(models.TextChoices):
    APPLICANT = "applicant", _("The applicant")
    AGENT = "agent", _("The applicant's authorised agent")  # 委托代理人


class Delivery(models.Model):
    """How a filing's documents left the desk — all together, bundles included."""

    filing = models.OneToOneField("cases.Filing", on_delete=models.PROTECT, related_name="delivery")
    method = models.CharField(_("method"), max_length=12, choices=DeliveryMethod.choices)
    recipient_name = models.CharField(_("recipient"), max_length=100)
    recipient_id_number = models.CharField(_("recipient's identity number"), max_length=18, blank=True)
    recipient_role = models.CharField(_("recipient is"), max_length=12, choices=RecipientRole.choices)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    carrier = models.CharField(_("carrier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=50, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), auto_now_add=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The issuing window a hand-over happened at (the issuer's, when their post names one): the act
    # the window's evaluation pad (评价器) offers for rating.
    window = models.ForeignKey(
        "accounts.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # indexed first in delivery_window_recent
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        # The hand-over just done at a window, which its evaluation pad asks for every 2 seconds.
        indexes = [
            models.Index(fields=["window", "delivered_at"], name="delivery_window_recent"),
            # The work roll-ups read a day's deliveries, whatever the window (apps.supervision.rollups).
            models.Index(fields=["delivered_at"], name="delivery_delivered_at"),
        ]

    def __str__(self):
        return f"{self.filing_id} · {self.method}"


class DeliveryChoice(models.Model):
    """How the applicant asks to receive the filing's documents (领取方式), chosen online before
    issue: collected at a window, or posted free of charge to an address. The desk shows it and
    prefills its post form from it; what actually happened is the ``Delivery``."""

    filing = models.OneToOneField(
        "cases.Filing", verbose_name=_("filing"), on_delete=models.CASCADE, related_name="delivery_choice"
    )
    method = models.CharField(_("method"), max_length=12, choices=DeliveryMethod.choices)
    recipient_name = models.CharField(_("recipient"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chosen by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery choice")
        verbose_name_plural = _("delivery choices")

    def __str__(self):
        return f"{self.filing_id} · {self.method}"


class VerificationOutcome(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    UNKNOWN = "unknown", _("Unknown code")
    TAMPERED = "tampered", _("Check failed")
    LIMITED = "limited", _("Refused: too many lookups")


class VerificationLog(models.Model):
    """Every public verification lookup: when, from where, how, what it found."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    method = models.CharField(_("looked up by"), max_length=12)  # token, number
    query = models.CharField(_("query"), max_length=120, blank=True)
    document = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=VerificationOutcome.choices)

    class Meta:
        verbose_name = _("verification lookup")
        verbose_name_plural = _("verification lookups")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} · {self.outcome}"
