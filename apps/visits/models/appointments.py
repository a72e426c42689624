"""Appointments (预约): bookable slots of a service area, the bookings, and booking suspensions."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.visits.models.codes import AppointmentState


class AppointmentSlot(models.Model):
    """One bookable time slot of a service area on one working day, generated from the centre's
    opening periods (never on a non-working day or a closure). ``booked`` counts the live bookings:
    a booking raises it with one conditional UPDATE (``booked < capacity``), so the last place goes
    to exactly one of two people booking it at once."""

    area = models.ForeignKey(
        "visits.ServiceArea", verbose_name=_("service area"), on_delete=models.PROTECT, related_name="slots"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["area", "date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["area", "date", "starts_at"], name="slot_once_per_area_and_time"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_never_overbooked"
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def left(self) -> int:
        return max(self.capacity - self.booked, 0)


def new_booking_token() -> str:
    return secrets.token_urlsafe(16)


class Appointment(models.Model):
    """A real-name citizen's booking of a slot, for an item or a bundle (which tells the area)."""

    number = models.CharField(_("booking number"), max_length=30, unique=True)
    # What the booking's QR code carries; the kiosk reads it back (a scanner types it in).
    token = models.CharField(max_length=32, unique=True, default=new_booking_token, editable=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    slot = models.ForeignKey(
        AppointmentSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="appointments"
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("service item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bundle = models.ForeignKey(
        "catalogue.Bundle",
        verbose_name=_("bundle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied from the account when booked: the kiosk matches the resident ID, the reminder the phone.
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("resident ID number"), max_length=18)
    phone = models.CharField(_("phone"), max_length=20)
    state = models.CharField(
        _("state"), max_length=20, choices=AppointmentState.choices, default=AppointmentState.BOOKED
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("no-show recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-booked_at", "-pk"]
        indexes = [
            models.Index(fields=["citizen", "state"], name="appointment_citizen"),
            models.Index(fields=["id_number", "state"], name="appointment_id_number"),
            models.Index(fields=["slot", "state"], name="appointment_slot_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | models.Q(bundle__isnull=False),
                name="appointment_for_item_or_bundle",
            ),
            # One live booking per person and slot.
            models.UniqueConstraint(
                fields=["citizen", "slot"],
                condition=models.Q(state=AppointmentState.BOOKED),
                name="appointment_once_per_slot",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_live(self) -> bool:
        """Booked and not yet used, cancelled or missed: its QR code takes a ticket."""
        return self.state == AppointmentState.BOOKED


class BookingSuspension(models.Model):
    """Online booking suspended for a citizen after too many no-shows (N in M days → K days)."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        related_name="booking_suspensions",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    no_shows = models.PositiveSmallIntegerField(_("no-shows counted"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking suspension")
        verbose_name_plural = _("booking suspensions")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["citizen", "ends_on"], name="suspension_citizen_until")]

    def __str__(self):
        return f"{self.citizen} {self.starts_on}–{self.ends_on}"
