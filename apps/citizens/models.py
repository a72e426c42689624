"""What citizen accounts keep beyond ``accounts.User``: the SMS codes that prove a mobile number."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("Registration")  # 注册
    LOGIN = "login", _("Log in")  # 登录
    RESET = "reset", _("Password reset")  # 找回密码


class PhoneCode(models.Model):
    """One 6-digit code sent to one mobile number for one purpose (``apps.citizens.codes``).

    Only a keyed hash of the code is stored. A code is good for 5 minutes and one use; 6 wrong guesses
    spend it and block the number's codes for that purpose for 30 minutes (``blocked_until``)."""

    phone = models.CharField(_("mobile phone"), max_length=11)
    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=64)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The send limit and the latest code: a number's codes of the last hour, newest first.
            models.Index(fields=["phone", "created_at"], name="phonecode_phone_recent"),
            models.Index(fields=["client_ip", "created_at"], name="phonecode_address_recent"),
        ]

    def __str__(self):
        return f"{self.phone} · {self.get_purpose_display()} · {self.created_at:%Y-%m-%d %H:%M}"
