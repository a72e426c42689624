import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.identifiers import mask_phone, normalise_resident_id, validate_resident_id, validate_uscc
from apps.accounts.roles import BACK_OFFICE_ROLES, Role


class RealNameLevel(models.TextChoices):
    """How sure the hall is that an account is the person it names (实名等级)."""

    DECLARED = "declared", _("Self-declared")  # 自主声明: typed at registration, checksum-valid
    VERIFIED = "verified", _("Verified at a window")  # 窗口核验: a clerk compared it with the ID card


class User(AbstractUser):
    """A person who logs in: staff of a centre or a citizen / company representative.

    Chinese names are not split into given and family names: ``full_name`` is the name as written.
    """

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^1\d{10}$", _("A mainland mobile number has 11 digits and starts with 1."))
        ],
    )

    # The account's own identity (实名): what an online filing in the citizen's own name must carry,
    # and what a window clerk checks against the identity card. Empty for staff-only accounts.
    id_number = models.CharField(
        _("resident ID number"), max_length=18, blank=True, validators=[validate_resident_id]
    )
    real_name_level = models.CharField(
        _("real-name level"), max_length=10, choices=RealNameLevel.choices, blank=True
    )
    # Who compared the account with the identity card, when and at which centre (窗口核验).
    real_name_verified_at = models.DateTimeField(_("real name verified at"), null=True, blank=True)
    real_name_verified_by = models.ForeignKey(
        "self",
        verbose_name=_("real name verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    real_name_verified_centre = models.ForeignKey(
        "ServiceCentre",
        verbose_name=_("real name verified at centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~models.Q(id_number=""), name="user_unique_id_number"
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Stored as an identity card prints it (final X upper case), so that comparing it with a
        # filing's applicant, which the services normalise the same way, never depends on typing.
        self.id_number = normalise_resident_id(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class CentreLevel(models.TextChoices):
    """行使层级 / administrative level, GB/T 39046-2020 code list A.2."""

    NATIONAL = "1", _("National")  # 国家级
    PROVINCIAL = "2", _("Provincial")  # 省级
    CITY = "3", _("City")  # 市级
    COUNTY = "4", _("County")  # 县级
    TOWN = "5", _("Town / street")  # 镇(乡、街道)级
    VILLAGE = "6", _("Village / community")  # 村(社区)级


class ServiceCentre(models.Model):
    """政务服务中心: a service hall."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=1, choices=CentreLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField(
        _("region code"),
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("A region code (GB/T 2260) has 6 digits."))],
        help_text=_("Administrative division code, GB/T 2260."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # 四眼原则 for the catalogue: a county office with a single catalogue admin may turn it off; every
    # publish logs which rule applied (``apps.catalogue.services.publish``).
    four_eyes_publishing = models.BooleanField(
        _("publishing needs a second person"),
        default=True,
        help_text=_(
            "Whoever submitted a catalogue version for review may not publish it. Turn off only for an "
            "office with a single catalogue admin."
        ),
    )

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name


class DepartmentNature(models.TextChoices):
    """实施主体性质, GB/T 39046-2020 code list A.3."""

    STATUTORY = "1", _("Statutory authority")  # 法定机关
    AUTHORISED = "2", _("Authorised organisation")  # 授权组织
    ENTRUSTED = "3", _("Entrusted organisation")  # 受委托组织
    OTHER = "9", _("Other")  # 其他


class Department(models.Model):
    """An implementing body (实施主体) whose items are filed at a centre."""

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    nature = models.CharField(
        _("nature"), max_length=1, choices=DepartmentNature.choices, default=DepartmentNature.STATUTORY
    )
    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="departments"
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="department_unique_name_in_centre")
        ]

    def __str__(self):
        return self.name


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive intake")  # 综合窗口
    ISSUING = "issuing", _("Certificate issuing")  # 出证窗口


class Window(models.Model):
    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="windows"
    )
    number = models.CharField(_("window number"), max_length=10)
    kind = models.CharField(_("kind"), max_length=20, choices=WindowKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="window_unique_number_in_centre")
        ]

    def __str__(self):
        return f"{self.centre} {self.number}"


class StaffMembership(models.Model):
    """Where a staff member works in a role: a centre, and a department for back-office roles."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=[c for c in Role.choices if c[0] != Role.CITIZEN]
    )
    centre = models.ForeignKey(ServiceCentre, verbose_name=_("service centre"), on_delete=models.PROTECT)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    window = models.ForeignKey(
        Window, verbose_name=_("usual window"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "centre", "department"], name="membership_unique_in_department"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "centre"],
                condition=models.Q(department__isnull=True),
                name="membership_unique_in_centre",
            ),
        ]
        permissions = [
            ("use_intake_desk", _("Can use the comprehensive intake desk")),
            ("use_backoffice_desk", _("Can use the back-office approval desk")),
            ("sign_off_decisions", _("Can sign decisions off and approve extensions (decision-maker)")),
            ("use_issuing_desk", _("Can use the certificate issuing desk")),
            ("use_supervision_desk", _("Can use the supervision desk")),
            ("use_catalogue_desk", _("Can maintain the service-item catalogue")),
            ("use_citizen_portal", _("Can use the citizen portal")),
            ("use_assistance_desk", _("Can use the assisted-filing desk")),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.department or self.centre}"

    def clean(self):
        """Where a role is held must make sense: back-office roles in a department (they only ever see
        its cases), the department and the window of the membership's centre. Checked by every path
        that saves a membership (``accounts.services``, the admin's inline form)."""
        errors = {}
        if self.role in BACK_OFFICE_ROLES and self.department_id is None:
            errors["department"] = _("Back-office staff need a department.")
        if self.centre_id is not None:
            if self.department_id is not None and self.department.centre_id != self.centre_id:
                errors["department"] = _("The department does not belong to this service centre.")
            if self.window_id is not None and self.window.centre_id != self.centre_id:
                errors["window"] = _("The window does not belong to this service centre.")
        if errors:
            raise ValidationError(errors)


class AuthorisationKind(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")  # 法定代表人
    AGENT = "agent", _("Authorised agent")  # 经办人 (授权委托)


def letter_path(instance, filename: str) -> str:
    # A random name under the account: the original name is kept in the row, never trusted as a path.
    return f"authorisations/{instance.user_id}/{secrets.token_hex(16)}"


class OrganisationAuthorisation(models.Model):
    """A citizen account may file online for an organisation only while an authorisation holds:
    as its legal representative, or as an agent with a letter of authorisation for a period.

    The letter (授权委托书) is checked by content and size (``apps.uploads.stored.checked``) before
    it is stored; its description is kept beside it as ``uploads.CheckedFile`` keeps one. A revoked
    authorisation stays (the filings made under it name it) but no longer lets anyone act.

    An authorisation is self-declared until a window clerk checks it against the letter
    (``verified_at``): only a verified one shows the account the organisation's other filings."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="organisation_authorisations"
    )
    organisation_name = models.CharField(_("organisation name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, validators=[validate_uscc])
    kind = models.CharField(_("capacity"), max_length=30, choices=AuthorisationKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    letter = models.FileField(_("authorisation letter"), upload_to=letter_path, blank=True)
    letter_name = models.CharField(_("letter file name"), max_length=255, blank=True)
    letter_content_type = models.CharField(_("letter content type"), max_length=100, blank=True)
    letter_size = models.PositiveIntegerField(_("letter size"), null=True, blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, null=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Who compared the authorisation with its letter at a window, when and at which centre. Until
    # then it is self-declared: the account files for the organisation (the window checks the letter
    # in pre-review), but does not read the organisation's other filings.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_centre = models.ForeignKey(
        "ServiceCentre",
        verbose_name=_("verified at centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation authorisation")
        verbose_name_plural = _("organisation authorisations")
        indexes = [models.Index(fields=["user", "credit_code"], name="authorisation_user_code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="authorisation_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation_name} · {self.get_kind_display()}"
