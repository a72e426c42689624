"""A rating (评价) of one act by one rater."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.feedback.models.codes import ActKind, Channel, Level, Reason

# Who rated. The applicant is one rater whatever the channel (the pad, the portal, a QR code, the SMS
# link, or a 12345 call from one of the filing's own numbers): a second rating through another channel
# changes the first. A 12345 caller who is not the applicant is a rater of their own, keyed by number.
APPLICANT = "applicant"


def caller_key(phone: str) -> str:
    return f"phone:{phone}"


class Rating(models.Model):
    """One rating of one act (``act`` of ``filing``) by one rater: never a second row.

    The rater may change it within ``HALL_RATING_CHANGE_DAYS`` of first rating it, and once more after
    the rectification of a bad rating is closed (``rerated_at``). Who and what it judges (centre,
    department, window, staff member, item) are copied from the act when it is first rated, so that the
    figures and the ticket read one row. ``excluded`` is set when an appeal (申诉) is upheld: the rating
    stays on record but no longer counts."""

    act = models.CharField(_("rated act"), max_length=20, choices=ActKind.choices)
    filing = models.ForeignKey(
        "cases.Filing", verbose_name=_("filing"), on_delete=models.PROTECT, related_name="+"
    )
    rater_key = models.CharField(_("rater"), max_length=40, default=APPLICANT)
    level = models.CharField(_("rating"), max_length=1, choices=Level.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The portal account that rated, if any.
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A 12345 call: the caller, and the supervisor who entered it.
    caller_name = models.CharField(_("caller's name"), max_length=100, blank=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=20, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What it judges, copied from the act.
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        "accounts.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    act_at = models.DateTimeField(_("act done at"))
    rated_at = models.DateTimeField(_("rated at"))
    # The day the rating counts for in the figures: the day it was first given.
    rated_on = models.DateField(_("rated on"))
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    rerated_at = models.DateTimeField(_("re-rated after rectification at"), null=True, blank=True)
    excluded = models.BooleanField(_("excluded by an upheld appeal"), default=False)
    # Every change moves it: the roll-up job refreshes the days of what changed since its last run.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "act", "rater_key"], name="rating_one_per_act_and_rater"
            )
        ]
        indexes = [
            models.Index(fields=["rated_on", "centre"], name="rating_day"),
            models.Index(fields=["updated_at"], name="rating_updated"),
        ]

    def __str__(self):
        return f"{self.filing_id} · {self.act} · {self.level}"
