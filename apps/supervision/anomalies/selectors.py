"""The anomalies as the supervision desk and the API read them: counted per rule and listed, in the
reader's scope (a centre's supervisors: every finding of the centre; a department's: their
department's), filtered by rule, department and the finding's day; each described in words and
linked to the page a supervisor can open about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.accounts.scopes import Scope
from apps.cases.codes import CASE_STEPS, FILING_STEPS
from apps.supervision.about import about as about_download
from apps.supervision.models import Anomaly, AnomalyRule
from apps.supervision.tables import Linked, Table, workbook
from apps.worktime.codes import SpecialProcedure


def in_scope(scope: Scope) -> QuerySet[Anomaly]:
    if not scope:
        return Anomaly.objects.none()
    return Anomaly.objects.filter(
        Q(centre_id__in=scope.centre_ids) | Q(department_id__in=scope.department_ids)
    )


def departments_in(scope: Scope) -> QuerySet[Department]:
    return Department.objects.filter(
        Q(centre_id__in=scope.centre_ids) | Q(pk__in=scope.department_ids)
    ).order_by("name", "pk")


@dataclass(frozen=True)
class AnomalyQuery:
    rule: str = ""
    department_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class AnomalyForm(forms.Form):
    """The filters, by the names the page's and the API's query strings use: ``rule``, ``department``
    (one of the scope's), ``from`` and ``to`` (the findings' days, both included)."""

    rule = forms.ChoiceField(
        label=_("Rule"), choices=[("", _("All rules")), *AnomalyRule.choices], required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].queryset = departments_in(scope)
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["to"] < data["from"]:
            self.add_error("to", _("The range ends before it starts."))
        return data

    def query(self) -> AnomalyQuery:
        data = self.cleaned_data
        department = data.get("department")
        return AnomalyQuery(
            rule=data.get("rule") or "",
            department_id=department.pk if department else None,
            date_from=data.get("from"),
            date_to=data.get("to"),
        )


def _filtered(scope: Scope, query: AnomalyQuery) -> QuerySet[Anomaly]:
    rows = in_scope(scope)
    if query.department_id is not None:
        rows = rows.filter(department_id=query.department_id)
    if query.date_from is not None:
        rows = rows.filter(day__gte=query.date_from)
    if query.date_to is not None:
        rows = rows.filter(day__lte=query.date_to)
    return rows


@dataclass(frozen=True)
class RuleCount:
    rule: str
    label: str
    count: int


def counts(scope: Scope, query: AnomalyQuery) -> list[RuleCount]:
    """Every rule, in ``AnomalyRule``'s order, with its findings under the filters other than the rule
    (one query)."""
    found = dict(
        _filtered(scope, query)
        .order_by()
        .values_list("rule")
        .annotate(n=Count("id"))
        .values_list("rule", "n")
    )
    return [RuleCount(rule, str(label), found.get(rule, 0)) for rule, label in AnomalyRule.choices]


def findings(scope: Scope, query: AnomalyQuery) -> QuerySet[Anomaly]:
    """The findings, newest day first (with their department and filing: no query per row)."""
    rows = _filtered(scope, query)
    if query.rule:
        rows = rows.filter(rule=query.rule)
    return rows.select_related("department", "filing").order_by("-day", "-pk")


# --- words and links --------------------------------------------------------------------------------


# What a person did, as the verb of the button they pressed (受理, 准予许可), not the state it left
# behind (已受理): the findings read "王小明在一秒内对 23 件办件执行了“受理”". The steps a rule can see a
# person take on a filing or a case; any other falls back to how the history labels it.
ACTIONS = {
    # A filing's, at the window and online (FILING_STEPS' names).
    "open": _("Register the filing"),
    "record_materials": _("Record the materials"),
    "upload": _("Upload a file"),
    "submit": _("Submit online"),
    "start_pre_review": _("Take for pre-review"),
    "release_pre_review": _("Release from pre-review"),
    "accept": _("Accept"),
    "accept_with_deficiency": _("Accept with a deficiency"),
    "return_for_completion": _("Return for completion"),
    "refuse": _("Refuse"),
    "withdraw": _("Withdraw"),
    "clear_deficiency": _("Record the missing materials handed in"),
    "request_issue": _("Request the issue"),
    "cancel_issue": _("Cancel the issue request"),
    "issue": _("Issue the documents"),
    "deliver": _("Deliver the documents"),
    "close": _("Close the filing"),
    # A case's, in the back office (CASE_STEPS' names).
    "claim": _("Claim"),
    "release": _("Release to the queue"),
    "request_correction": _("Request a correction"),
    "start_special_procedure": _("Start a special procedure"),
    "resume": _("Resume the review"),
    "extend": _("Extend the time limit"),
    "approve": _("Approve"),
    "deny": _("Deny"),
    "propose_decision": _("Propose a decision"),
    "sign_off_approval": _("Sign off an approval"),
    "sign_off_denial": _("Sign off a denial"),
    "send_back": _("Send back"),
    "terminate": _("Terminate"),
}


def action_label(name: str) -> str:
    """The action a transition of the log is, in words (a verb: "Accept", 受理)."""
    return str(ACTIONS.get(name) or CASE_STEPS.get(name) or FILING_STEPS.get(name) or name)


def _procedure(code: str) -> str:
    return str(dict(SpecialProcedure.choices).get(code, code))


def describe(anomaly: Anomaly) -> str:
    """What the rule saw, in a sentence (from ``detail``, written by the rule)."""
    d = anomaly.detail or {}
    rule = anomaly.rule
    if rule == AnomalyRule.DECIDED_LATE:
        return gettext("Due on %(due)s, decided on %(decided)s.") % {
            "due": d.get("due_on"),
            "decided": d.get("decided_on"),
        }
    if rule == AnomalyRule.SUSPENDED_TOO_LONG:
        parts = [
            gettext("%(procedure)s from %(start)s.")
            % {"procedure": _procedure(d.get("procedure", "")), "start": d.get("started_on")}
        ]
        reasons = d.get("reasons", [])
        if "past_planned_end" in reasons:
            if d.get("ended_on"):
                parts.append(
                    gettext("Planned to end on %(planned)s, resumed on %(ended)s.")
                    % {"planned": d.get("planned_end_on"), "ended": d.get("ended_on")}
                )
            else:
                parts.append(
                    gettext("Planned to end on %(planned)s, still suspended.")
                    % {"planned": d.get("planned_end_on")}
                )
        if "over_limit" in reasons:
            parts.append(
                gettext("No planned end: %(days)s working days stopped, more than the %(limit)s allowed.")
                % {"days": d.get("working_days"), "limit": d.get("limit")}
            )
        if "not_allowed" in reasons:
            parts.append(gettext("The item does not list this special procedure."))
        return " ".join(parts)
    if rule == AnomalyRule.EXTENSION_UNAPPROVED:
        reasons, parts = d.get("reasons", []), []
        if "unapproved_days" in reasons:
            parts.append(
                gettext(
                    "The clock is extended by %(clock)s working days; approved extensions add %(approved)s."
                )
                % {"clock": d.get("clock_days"), "approved": d.get("approved_days")}
            )
        if "not_entitled" in reasons:
            parts.append(
                gettext("An extension was approved by someone who is not a decision-maker of the department.")
            )
        if "beyond_allowance" in reasons:
            parts.append(
                gettext("Extended by %(clock)s working days; the item allows %(allowance)s.")
                % {"clock": d.get("clock_days"), "allowance": d.get("allowance")}
            )
        return " ".join(parts)
    if rule == AnomalyRule.DECISION_WITHOUT_OPINION:
        return gettext("%(person)s did “%(action)s” at %(at)s without recording an opinion.") % {
            "person": d.get("actor") or "—",
            "action": action_label(d.get("transition", "")),
            "at": (d.get("at") or "")[:16].replace("T", " "),
        }
    if rule == AnomalyRule.RETURNED_TWICE:
        return gettext("Returned again for %(material)s, already listed when %(earlier)s was returned.") % {
            "material": d.get("material_name") or d.get("material"),
            "earlier": "、".join(d.get("earlier", [])),
        }
    if rule == AnomalyRule.BULK_CLICKING:
        return gettext("%(person)s did “%(action)s” on %(count)s filings within one second (%(at)s).") % {
            "person": d.get("actor") or "—",
            "action": action_label(d.get("transition", "")),
            "count": d.get("filings"),
            "at": (d.get("at") or "")[:19].replace("T", " "),
        }
    if rule == AnomalyRule.ISSUED_WITHOUT_SEAL:
        return gettext("%(number)s issued at %(at)s with no use of the seal “%(seal)s” recorded.") % {
            "number": d.get("number"),
            "at": (d.get("at") or d.get("issued_at") or "")[:16].replace("T", " "),
            "seal": d.get("seal"),
        }
    return ""


def _url(name: str, *args, query: dict | None = None) -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:  # the page is not routed (in this build)
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def link(anomaly: Anomaly) -> str:
    """The supervision page about the finding: the case's (cases at risk: any case of the scope), the
    case of an issued document, else the audit log of the filing, or of the person's action that day."""
    d = anomaly.detail or {}
    model = ContentType.objects.get_for_id(anomaly.subject_type_id).model  # cached: no query per row
    if model == "case":
        return _url("desks:at_risk_case", anomaly.subject_id)
    if model == "issueddocument" and d.get("case"):
        return _url("desks:at_risk_case", d["case"])
    if anomaly.filing_id is not None:
        return _url("desks:audit_log", query={"filing": anomaly.filing.number})
    if anomaly.rule == AnomalyRule.BULK_CLICKING:
        day = anomaly.day.isoformat()
        query = {
            "person": d.get("username", ""),
            "action": d.get("transition", ""),
            "date_from": day,
            "date_to": day,
        }
        return _url("desks:audit_log", query=query)
    return ""


# --- tables (the page's chart and the .xlsx) ---------------------------------------------------------

# The export holds at most this many findings (newest first): a spreadsheet, not an archive.
EXPORT_CAP = 5000


def counts_table(
    rule_counts: list[RuleCount], links: dict[str, str] | None = None, current: str = ""
) -> Table:
    """The findings per rule (the page's chart and its table, the export's first sheet). With ``links``
    (a URL per rule: the page's findings of that rule), each rule's name links there, ``current``'s
    marked as the one shown."""
    links = links or {}
    return Table(
        slug="anomaly-counts",
        title=gettext("Anomalies by rule"),
        headings=[gettext("Rule"), gettext("Findings")],
        rows=[
            [
                Linked(c.label, links[c.rule], current=c.rule == current, testid=f"anomaly-count-{c.rule}")
                if c.rule in links
                else c.label,
                c.count,
            ]
            for c in rule_counts
        ],
        chart="bar",
        note=gettext(
            "Found by the rules over the transition log, every few minutes; by the day of what each saw."
        ),
    )


def findings_table(rows) -> Table:
    return Table(
        slug="anomaly-findings",
        title=gettext("Findings"),
        headings=[
            gettext("Day"),
            gettext("Rule"),
            gettext("Department"),
            gettext("Filing number"),
            gettext("What was found"),
        ],
        rows=[
            [
                a.day.isoformat(),
                a.get_rule_display(),
                a.department.name if a.department_id else gettext("Whole centre"),
                a.filing.number if a.filing_id else "",
                describe(a),
            ]
            for a in rows
        ],
    )


def about(query: AnomalyQuery, now: dt.datetime | None = None) -> list[tuple[str, object]]:
    """What an export holds: its filters and when it was made (the workbook's "About" sheet)."""
    return about_download(
        query.department_id,
        (gettext("Rule"), AnomalyRule(query.rule).label if query.rule else gettext("All rules")),
        (gettext("From"), query.date_from or "—"),
        (gettext("To"), query.date_to or "—"),
        (gettext("Findings listed"), gettext("At most the newest %(cap)s.") % {"cap": EXPORT_CAP}),
        now=now,
    )


def workbook_of(scope: Scope, query: AnomalyQuery, now: dt.datetime | None = None) -> bytes:
    return workbook(
        [counts_table(counts(scope, query)), findings_table(findings(scope, query)[:EXPORT_CAP])],
        about=about(query, now),
    )


def export_name(query: AnomalyQuery) -> str:
    """anomalies[-<rule>][-<from>][-<to>].xlsx"""
    parts = ["anomalies", query.rule]
    parts += [day.isoformat() for day in (query.date_from, query.date_to) if day]
    return "-".join(p for p in parts if p) + ".xlsx"
