"""The audit viewer's reads (日志查询): the transition and disclosure logs searched by person, filing,
action and date, newest first, for the supervision desk's page and the API alike.

Scoped by the log's anchors (``apps.audit.anchors``): a centre's supervisors see the rows anchored at
their centre, a department's supervisors the rows anchored at their department (a case's, its
documents', its escalations') and the own rows (no department) of every filing with a case in their
department — its opening, acceptance, uploads — matched by filing number (not another department's
case rows of the same filing); a superuser
sees every row, those with no centre too (a user account's steps). Newest first is by the time of
the row (``at``, then id): a row may be written with a time earlier than rows written before it (a
step recorded late, a planted or imported history), so the id is no order of time. Pages are keyset
pages on (at, id) (``before``: the id of the last row shown; its time is read by the page's own query
as a subquery), so that no page counts the log or skips through it: each is one query over an index —
(centre, -at, -id), (department, -at, -id) or (filing number, -at, -id) (audit 0010).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, Subquery, TextChoices
from django.db.models.functions import Right
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope, scope_of
from apps.audit.input_limits import MAX_ID
from apps.audit.models import DisclosureLog, TransitionLog

PAGE_SIZE = 50
# A filing is found by the end of its number (clerks quote the day and serial, its last 12
# characters), at least this long: the logs' (right(number, 12), -at, -id) index serves it.
FILING_TAIL = 12
# An export holds at most this many rows, the newest (the page says so): a longer period is exported
# in parts, or archived (manage.py archive_audit_log).
EXPORT_LIMIT = 10_000


class Log(TextChoices):
    TRANSITIONS = "transitions", _("Actions (transition log)")
    DISCLOSURES = "disclosures", _("Personal data shown (disclosure log)")


MODELS = {Log.TRANSITIONS: TransitionLog, Log.DISCLOSURES: DisclosureLog}
PERSON = {Log.TRANSITIONS: "actor", Log.DISCLOSURES: "viewer"}
ACTION = {Log.TRANSITIONS: "transition", Log.DISCLOSURES: "what"}


@dataclass(frozen=True)
class LogQuery:
    log: str = Log.TRANSITIONS
    person: str = ""
    filing: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    before: int | None = None


@dataclass(frozen=True)
class Page:
    rows: list
    # The id to ask ``before`` for the next (older) page; None on the last page.
    next_before: int | None


class LogSearchForm(forms.Form):
    """The viewer's filters, for the page and the API (a bad value is a 400 naming its field)."""

    log = forms.ChoiceField(label=_("Log"), choices=Log.choices, required=False)
    person = forms.CharField(
        label=_("Person"),
        max_length=150,
        required=False,
        help_text=_("Username, or part of the name."),
    )
    filing = forms.CharField(
        label=_("Filing number"),
        min_length=FILING_TAIL,
        max_length=60,
        required=False,
        help_text=_("The whole number, or at least its last 12 characters (the date and serial)."),
        error_messages={"min_length": _("Give at least the last 12 characters of the filing number.")},
    )
    # A select of the known steps by their labels (the value is the code, as the API takes it); any
    # other code logged (a disclosure's ``what``) is still taken through the API and the URL.
    action = forms.CharField(label=_("Action"), max_length=60, required=False, widget=forms.Select)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID)

    def __init__(self, data=None, **kwargs):
        # The API's query names (``from``, ``to``) are the page's too.
        if data is not None:
            data = {
                "log": data.get("log"),
                "person": data.get("person"),
                "filing": data.get("filing"),
                "action": data.get("action"),
                "date_from": data.get("from") or data.get("date_from"),
                "date_to": data.get("to") or data.get("date_to"),
                "before": data.get("before"),
            }
        super().__init__(data, **kwargs)
        choices = action_choices()
        given = (data or {}).get("action") or ""
        if given and given not in dict(choices) and given not in {str(label) for _c, label in choices}:
            choices.append((given, given))  # a code with no label (a disclosure's what): shown as asked
        self.fields["action"].widget.choices = choices

    def clean_action(self):
        # A label typed into the URL (?action=准予许可) means its code.
        given = (self.cleaned_data.get("action") or "").strip()
        by_label = {str(label): code for code, label in action_choices()[1:]}
        return by_label.get(given, given)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            self.add_error("date_from", _("The first day is after the last."))
        return cleaned

    def query(self, log: str | None = None) -> LogQuery:
        data = self.cleaned_data
        return LogQuery(
            log=log or data.get("log") or Log.TRANSITIONS,
            person=(data.get("person") or "").strip(),
            filing=(data.get("filing") or "").strip(),
            action=(data.get("action") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            before=data.get("before"),
        )


def action_choices() -> list[tuple[str, str]]:
    """("", any) then every known step, by label (a code two kinds share with different words reads
    with both)."""
    from apps.audit.export import STEP_LABELS, _steps

    labels: dict[str, list[str]] = {}
    for path in STEP_LABELS.values():
        for code, label in _steps(path).items():
            if str(label) not in labels.setdefault(code, []):
                labels[code].append(str(label))
    choices = sorted(((code, " / ".join(words)) for code, words in labels.items()), key=lambda c: c[1])
    return [("", _("Any action")), *choices]


def visible_to(user) -> Scope | None:
    """What ``user`` may read of the logs: None for everything (a superuser), else their scope."""
    return None if user.is_superuser else scope_of(user)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def matching(scope: Scope | None, query: LogQuery):
    """The rows of ``query.log`` that ``scope`` sees and the query asks for, newest first (a queryset:
    the page slices it, the export streams it)."""
    log = Log(query.log)
    model = MODELS[log]
    rows = model.objects.all()
    if scope is not None:
        if not scope:
            return model.objects.none()
        # Only the parts the scope has: a centre's supervisor's search is then one ordered walk of
        # the (centre, -at, -id) index, not a merge of two.
        where = Q()
        if scope.centre_ids:
            where |= Q(centre_id__in=scope.centre_ids)
        if scope.department_ids:
            where |= Q(department_id__in=scope.department_ids)
            # A filing's own rows (opened, accepted, its uploads …) are the centre's (no department),
            # but a department's supervisors answer for the filings with a case of theirs: those rows
            # by the filing's number, through a subquery of the page's one query.
            cases = apps.get_model("cases", "Case")._base_manager.filter(
                department_id__in=scope.department_ids
            )
            where |= Q(department__isnull=True, filing_number__in=cases.values("filing__number"))
        rows = rows.filter(where)
    if query.person:
        people = get_user_model().objects.filter(
            Q(username__iexact=query.person) | Q(full_name__icontains=query.person)
        )
        rows = rows.filter(**{f"{PERSON[log]}__in": people.values("pk")})
    if query.filing:
        # The number's last FILING_TAIL characters select by the (tail, -at, -id) index; the whole
        # text given must end the number. The index is partial (rows with a number): PostgreSQL uses
        # it only when the query says so too.
        tail = query.filing[-FILING_TAIL:]
        rows = (
            rows.alias(filing_tail=Right("filing_number", FILING_TAIL))
            .filter(filing_tail=tail, filing_number__endswith=query.filing)
            .exclude(filing_number="")
        )
    if query.action:
        rows = rows.filter(**{ACTION[log]: query.action})
    if query.date_from:
        rows = rows.filter(at__gte=_start_of(query.date_from))
    if query.date_to:
        rows = rows.filter(at__lt=_start_of(query.date_to + dt.timedelta(days=1)))
    return rows.select_related(PERSON[log], "content_type", "centre", "department").order_by("-at", "-id")


def search(scope: Scope | None, query: LogQuery, *, size: int = PAGE_SIZE) -> Page:
    """One page of ``matching``: the ``size`` rows before ``query.before`` (one query)."""
    rows = matching(scope, query)
    if query.before:
        # After the row ``before`` in (-at, -id) order: at <= its time, and if at the same time, a
        # smaller id. ``at__lte`` bounds the index range; its time is a subquery, not a query.
        at = Subquery(rows.model.objects.filter(pk=query.before).values("at")[:1])
        rows = rows.filter(at__lte=at).filter(Q(at__lt=at) | Q(pk__lt=query.before))
    found = list(rows[: size + 1])
    more = len(found) > size
    found = found[:size]
    return Page(found, found[-1].pk if more else None)
