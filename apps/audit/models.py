from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _

from apps.audit.retention import RetentionError, cutoff


class LogQuerySet(models.QuerySet):
    """The logs are append-only: a delete touching any row inside the retention period is refused
    whole (``apps.audit.retention``); the archiving command deletes only older rows."""

    def delete(self):
        if self.filter(at__gte=cutoff()).exists():
            raise RetentionError(
                f"{self.model._meta.label} rows younger than the retention period cannot be deleted."
            )
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        """Rows built in bulk (a sweep's, an import's) carry no anchors: one UPDATE per kind of
        subject among them gives them theirs (``apps.audit.anchors.fill``)."""
        from apps.audit.anchors import fill

        created = super().bulk_create(objs, *args, **kwargs)
        bare = [
            o
            for o in created
            if o.pk and o.centre_id is None and o.department_id is None and not o.filing_number
        ]
        if bare:
            ids = [o.pk for o in bare]  # a range, not a list: an import writes thousands
            fill(self.model.objects.filter(pk__range=(min(ids), max(ids))), {o.content_type_id for o in bare})
        return created


def anchored_indexes(prefix: str) -> list[models.Index]:
    """The viewer's searches over a log, newest first (keyset on at, id): a centre's, a department's,
    a filing's by its number, and by the tail clerks quote (``search.FILING_TAIL``: its last 12
    characters, the day and serial)."""
    return [
        models.Index(fields=["centre", "-at", "-id"], name=f"{prefix}_centre_at"),
        models.Index(fields=["department", "-at", "-id"], name=f"{prefix}_department_at"),
        models.Index(
            fields=["filing_number", "-at", "-id"],
            name=f"{prefix}_filing_at",
            condition=~models.Q(filing_number=""),
        ),
        models.Index(
            Right("filing_number", 12),
            F("at").desc(),
            F("id").desc(),
            name=f"{prefix}_filing_tail",
            condition=~models.Q(filing_number=""),
        ),
    ]


class AnchoredLog(models.Model):
    """What both logs carry to be searched by centre and filing (``apps.audit.anchors``): written
    with the row, from its subject."""

    centre = models.ForeignKey(
        "accounts.ServiceCentre",
        verbose_name=_("service centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # first in the log's (centre, id) index
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # first in the log's (department, id) index
    )
    # A database default too: raw INSERTs that name only the older columns (the sweeps') still work.
    filing_number = models.CharField(_("filing number"), max_length=60, blank=True, default="", db_default="")

    objects = LogQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        if self.at is None or self.at >= cutoff():
            raise RetentionError(
                f"{self._meta.label} rows younger than the retention period cannot be deleted."
            )
        return super().delete(*args, **kwargs)


class TransitionLog(AnchoredLog):
    """Append-only record of every state transition (全程留痕): who did what to which object.

    Written by the services in the same transaction as the transition, so a transition and its record
    commit or roll back together. Nothing updates these rows (the admin is read-only); only rows older
    than the retention period are deleted, by the archiving command that keeps them in a file first.
    """

    # Indexed first in transitionlog_subject.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, db_index=False
    )
    object_id = models.CharField(_("object id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("action"), max_length=60)
    from_state = models.CharField(_("from state"), max_length=40)
    to_state = models.CharField(_("to state"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)

    class Meta:
        verbose_name = _("transition log entry")
        verbose_name_plural = _("transition log")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="transitionlog_subject"),
            *anchored_indexes("transitionlog"),
        ]

    def __str__(self):
        return f"{self.transition}: {self.from_state} → {self.to_state}"


class DisclosureLog(AnchoredLog):
    """Append-only record of who was shown personal data in full (an identity number unmasked, a
    scan downloaded, a holder's certificates looked up), where and why. Lists mask identity numbers;
    a page that shows one whole writes a row here first.

    A row names the object shown (``subject``), or, for a lookup that shows whatever matches, what
    the viewer looked up by (``looked_up``: a holder's identity number or credit code), so that "who
    looked at this person" finds lookups that matched nothing as well."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    looked_up = models.CharField(_("looked up by"), max_length=60, blank=True)
    what = models.CharField(_("what was shown"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=100)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("viewer"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure log entry")
        verbose_name_plural = _("disclosure log")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="disclosurelog_subject"),
            models.Index(fields=["looked_up", "at"], name="disclosurelog_looked_up"),
            *anchored_indexes("disclosurelog"),
        ]

    def __str__(self):
        of = (
            f"looked up by {self.looked_up}"
            if self.looked_up
            else f"of {self.content_type_id}:{self.object_id}"
        )
        return f"{self.viewer_id} saw {self.what} {of}"
