from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class LicenceType(models.Model):
    """A kind of certificate or licence (证照类型), e.g. 营业执照, 食品经营许可证.

    Catalogue items name the type they produce, and materials name the type that can stand in for
    them (免证可办). The certificates each holder holds are added by the certificate desk.
    """

    code = models.CharField(
        _("type code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9A-Z]+$", _("A certificate type code uses digits and capital letters."))
        ],
        help_text=_("The certificate type code of GB/T 36903, used in electronic certificate identifiers."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")  # 撤销 / 注销
    # Expired is not stored: it is a date passing (valid_until < today), read as such.


class RevocationMode(models.TextChoices):
    """How a certificate stops standing: each is a transition of its own, named by the value."""

    REVOKE = "revoke", _("Revoke (撤销)")  # the grant was unlawful or obtained by deceit
    CANCEL = "cancel", _("Cancel (注销)")  # the licence ends (business closed, surrendered …)


class Standing(models.TextChoices):
    """What ``ElectronicCertificate.status_on`` answers for a day: the stored status and the dates."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# For display (the back office's case page).
STATUS_ON_LABELS = dict(Standing.choices)


class ElectronicCertificate(FSMModelMixin, models.Model):
    """One certificate in the e-certificate library (电子证照库): what was issued to whom, by whom,
    until when, and whether it still stands. Written by the certificate desk when it issues.

    Its status is a protected graph: valid → revoked, by ``revoke`` (撤销) or ``cancel`` (注销), once
    (``certificates.services.revoke``); both end in the one status that no longer stands, the
    transition log and the reason saying which it was."""

    identifier = models.CharField(_("electronic certificate identifier"), max_length=120, unique=True)
    licence_type = models.ForeignKey(
        LicenceType, verbose_name=_("certificate type"), on_delete=models.PROTECT
    )
    number = models.CharField(_("certificate number"), max_length=60)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_code = models.CharField(
        _("holder code"), max_length=18, help_text=_("Resident ID number or unified social credit code.")
    )
    issuer = models.CharField(_("issuer"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no expiry."))
    status = FSMField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        protected=True,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("electronic certificate")
        verbose_name_plural = _("electronic certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["licence_type", "number"], name="certificate_number_per_type")
        ]
        indexes = [models.Index(fields=["holder_code", "status"], name="certificate_holder")]

    def __str__(self):
        return f"{self.licence_type} {self.number}"

    def status_on(self, day) -> Standing:
        """valid, expired or revoked on ``day`` (expired is a date passing, never stored)."""
        if self.status == CertificateStatus.REVOKED:
            return Standing.REVOKED
        if self.valid_until and self.valid_until < day:
            return Standing.EXPIRED
        return Standing.VALID

    @transition(field=status, source=CertificateStatus.VALID, target=CertificateStatus.REVOKED)
    def revoke(self):
        pass

    @transition(field=status, source=CertificateStatus.VALID, target=CertificateStatus.REVOKED)
    def cancel(self):
        pass
