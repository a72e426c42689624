"""Queue tickets (取号) and their calls (叫号).

A ticket waits in its service area's queue for the day; a clerk at a window serving that area calls
the highest-priority ticket waiting longest (``calling_selectors.QUEUE_ORDER``), recalls it, skips it
(过号: recallable for ``HALL_SKIP_RECALL_MINUTES``), transfers it to another area, starts and
finishes serving it. The graph is here; the use cases are in ``apps.visits.calling`` and
``apps.visits.ticketing``, each writing the transition to the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.accounts.identifiers import mask_name
from apps.visits.models.codes import CallKind, TicketSource, TicketState

S = TicketState


class Ticket(FSMModelMixin, models.Model):
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "visits.ServiceArea", verbose_name=_("service area"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("day"))
    # Numbered per area and day (A001, A002 …): gap-free, from apps.sequences.
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("ticket number"), max_length=10)
    source = models.CharField(_("taken by"), max_length=20, choices=TicketSource.choices)
    appointment = models.OneToOneField(
        "visits.Appointment",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ticket",
    )
    # Who holds it, when known (a booking, a resident ID): the display shows the name masked (张*).
    name = models.CharField(_("name"), max_length=100, blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    # 优先: any reason puts the ticket first within its area (PriorityReason codes, in the order given).
    priority_reasons = models.JSONField(_("priority"), default=list, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority rank"), default=0)
    state = FSMField(_("state"), default=S.WAITING, choices=TicketState.choices, protected=True)
    issued_at = models.DateTimeField(_("issued at"))
    # The first call ends the wait (waiting time); a transfer starts a new wait in the new area.
    waiting_since = models.DateTimeField(_("waiting since"))
    first_called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    window = models.ForeignKey(
        "accounts.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    call_count = models.PositiveSmallIntegerField(_("calls"), default=0)
    skipped_at = models.DateTimeField(_("skipped at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "visits.ServiceArea",
        verbose_name=_("transferred from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The filings made for this visit (一次一评 offers the visit on the window's pad when finished).
    filings = models.ManyToManyField(
        "cases.Filing", verbose_name=_("filings"), related_name="tickets", blank=True
    )

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-day", "area", "sequence"]
        constraints = [
            # A number once per centre and day (its letter is its first area's). Not (area, day,
            # sequence): a transfer moves B001 into area A, which has its own A001.
            models.UniqueConstraint(
                fields=["centre", "day", "number"], name="ticket_number_once_per_centre_day"
            ),
        ]
        indexes = [
            # Call next: the area's waiting tickets, priority first, then the longest wait.
            models.Index(
                "area",
                "day",
                models.F("priority").desc(),
                "waiting_since",
                condition=models.Q(state=S.WAITING),
                name="ticket_waiting_queue",
            ),
            # The window's current ticket, and the figures by window and day.
            models.Index(fields=["window", "day", "state"], name="ticket_window_day"),
            models.Index(fields=["centre", "day", "state"], name="ticket_centre_day"),
            models.Index(fields=["id_number", "day"], name="ticket_id_number_day"),
        ]

    def __str__(self):
        return self.number

    @property
    def masked_name(self) -> str:
        return mask_name(self.name) if self.name else ""

    # --- the graph (docs/state-machines.md) ---
    @transition(field=state, source=S.WAITING, target=S.CALLED)
    def call(self):
        pass

    # 过号 recalled within HALL_SKIP_RECALL_MINUTES (the service checks the time).
    @transition(field=state, source=S.SKIPPED, target=S.CALLED)
    def recall_skipped(self):
        pass

    @transition(field=state, source=S.CALLED, target=S.SKIPPED)
    def skip(self):
        pass

    @transition(field=state, source=S.CALLED, target=S.SERVING)
    def start(self):
        pass

    @transition(field=state, source=S.SERVING, target=S.DONE)
    def finish(self):
        pass

    # To another area's queue (the wait starts again there, the number kept).
    @transition(field=state, source=[S.CALLED, S.SERVING], target=S.WAITING)
    def transfer(self):
        pass

    # The day is over: what was never served.
    @transition(field=state, source=[S.WAITING, S.CALLED, S.SKIPPED], target=S.ABANDONED)
    def abandon(self):
        pass


class TicketCall(models.Model):
    """A call (or a recall) of a ticket to a window: what the hall display shows and announces."""

    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="calls"
    )
    window = models.ForeignKey(
        "accounts.Window", verbose_name=_("window"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CallKind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-pk"]
        # The display asks for the centre's calls after the last one it has, every second.
        indexes = [models.Index(fields=["centre", "id"], name="call_centre_latest")]

    def __str__(self):
        return f"{self.ticket} → {self.window}"
