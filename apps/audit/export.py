"""A search of the logs as an .xlsx workbook (the viewer's and the API's export): the rows the search
matches, newest first, at most ``search.EXPORT_LIMIT`` of them (the sheet's last line says when the
search matched more). Written in openpyxl's write-only mode, read from the database in chunks.

Text is written as text: a comment or a name that begins with "=" is never a formula in the file."""

from __future__ import annotations

import functools
import io

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from apps.accounts.identifiers import mask_identifier
from apps.audit.search import EXPORT_LIMIT, Log, LogQuery, matching

HEADING_FONT = Font(bold=True)


def filename(query: LogQuery) -> str:
    """``audit-<log>-<first>-<last>.xlsx``; with no first day, ``audit-<log>-to-<last>.xlsx`` (the
    search starts at the oldest row kept: no date to name)."""
    last = f"{query.date_to or timezone.localdate():%Y%m%d}"
    if query.date_from:
        return f"audit-{query.log}-{query.date_from:%Y%m%d}-{last}.xlsx"
    return f"audit-{query.log}-to-{last}.xlsx"


# How the logged steps read, per kind of subject: the desks' own labels (the histories print the same
# words), named by path — the audit app imports no domain app. A step of a kind not listed, or not in
# its list, reads by any list that names it, else as its code. Every step the code can log has a
# label in its kind's list (tests/audit/test_step_labels.py): a code two kinds share (``cancel``,
# ``issue``, ``publish``) reads by its own kind's words.
STEP_LABELS = {
    "cases.filing": "apps.cases.codes.FILING_STEPS",
    "cases.case": "apps.cases.codes.CASE_STEPS",
    "cases.escalation": "apps.cases.codes.ESCALATION_STEPS",
    "feedback.rectificationticket": "apps.feedback.ticket_selectors.TICKET_STEPS",
    "feedback.evaluationpad": "apps.feedback.models.codes.PAD_STEPS",
    "catalogue.serviceitem": "apps.catalogue.codes.ITEM_STEPS",
    "catalogue.bundle": "apps.catalogue.codes.BUNDLE_STEPS",
    "certificates.seal": "apps.certificates.log_labels.SEAL_STEPS",
    "certificates.issuerequest": "apps.certificates.log_labels.ISSUE_REQUEST_STEPS",
    "licences.electroniccertificate": "apps.licences.log_labels.E_CERTIFICATE_STEPS",
    "accounts.user": "apps.accounts.log_labels.USER_STEPS",
    "accounts.organisationauthorisation": "apps.accounts.log_labels.AUTHORISATION_STEPS",
    "visits.ticket": "apps.visits.models.codes.QUEUE_TICKET_STEPS",
    "visits.appointment": "apps.visits.models.codes.APPOINTMENT_STEPS",
    "visits.servicearea": "apps.visits.models.codes.SERVICE_AREA_STEPS",
    "visits.openingperiod": "apps.visits.models.codes.OPENING_PERIOD_STEPS",
    "visits.halldevice": "apps.visits.models.codes.DEVICE_STEPS",
}


@functools.cache
def _steps(path: str) -> dict:
    return import_string(path)


@functools.cache
def step_labels(label: str | None = None) -> dict:
    """code → label: the subject kind's steps, over those of every kind (its own win). Merged once per
    kind (the labels are lazy: each reads in the language of the moment); read-only."""
    merged = {}
    for kind, path in STEP_LABELS.items():
        if kind != label:
            merged.update(_steps(path))
    if label in STEP_LABELS:
        merged.update(_steps(STEP_LABELS[label]))
    return merged


# What a disclosure showed (its ``what``: ``applicant_id_number``, ``material_upload`` …), per app that
# discloses, named by path as the steps are; a code not listed reads as itself.
DISCLOSURE_LABELS = (
    "apps.cases.codes.DISCLOSURES",
    "apps.certificates.log_labels.DISCLOSURES",
    "apps.feedback.models.codes.DISCLOSURES",
    "apps.accounts.log_labels.DISCLOSURES",
    "apps.uploads.log_labels.DISCLOSURES",
)


def what_shown(code: str) -> str:
    """A disclosure's ``what`` or ``purpose`` by its label (the dicts name both), else as its code."""
    for path in DISCLOSURE_LABELS:
        label = _steps(path).get(code)
        if label is not None:
            return str(label)
    return code


def action(entry) -> str:
    model = entry.content_type.model_class() if entry.content_type_id else None
    return str(step_labels(model and model._meta.label_lower).get(entry.transition, entry.transition))


def state(entry, code: str) -> str:
    """A state by its model's choices' label (a filing's 已受理, a case's 审查中), else the code."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    return str(_states(model).get(code, code))


@functools.cache
def _states(model) -> dict:
    """code → label of ``model``'s state choices (built once per model, not per row)."""
    try:
        return dict(model._meta.get_field("state").flatchoices) if model else {}
    except FieldDoesNotExist:
        return {}


def person(user) -> str:
    """A person by their name; the username only when no name is recorded (the API gives both)."""
    if user is None:
        return _("The system")
    return user.full_name or user.username


def subject(entry) -> str:
    """What the row is about: its kind (a filing, a case …), and its id only when no filing number
    names it (the next column holds the number)."""
    if entry.content_type_id is None:
        return ""
    model = entry.content_type.model_class()
    name = str(model._meta.verbose_name if model else entry.content_type.model)
    return name if entry.filing_number else f"{name} #{entry.object_id}"


def headings(log: str) -> list[str]:
    if log == Log.DISCLOSURES:
        return [
            _("At"),
            _("Viewer"),
            _("What was shown"),
            _("Purpose"),
            _("Object"),
            _("Looked up by"),
            _("Filing number"),
            _("Service centre"),
            _("Client address"),
        ]
    return [
        _("At"),
        _("Acted by"),
        _("Action"),
        _("From state"),
        _("To state"),
        _("Object"),
        _("Filing number"),
        _("Service centre"),
        _("Comment or reason"),
        _("Client address"),
    ]


def values(log: str, entry) -> list:
    at = timezone.localtime(entry.at).replace(tzinfo=None)
    centre = entry.centre.name if entry.centre_id else ""
    if log == Log.DISCLOSURES:
        looked_up = mask_identifier(entry.looked_up) if entry.looked_up else ""
        return [
            at,
            person(entry.viewer),
            what_shown(entry.what),
            what_shown(entry.purpose),
            subject(entry),
            looked_up,
            entry.filing_number,
            centre,
            entry.client_ip or "",
        ]
    return [
        at,
        person(entry.actor),
        action(entry),
        state(entry, entry.from_state),
        state(entry, entry.to_state),
        subject(entry),
        entry.filing_number,
        centre,
        entry.comment,
        entry.client_ip or "",
    ]


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text begins with
    if hasattr(value, "hour"):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def workbook(scope, query: LogQuery) -> bytes:
    """The rows ``matching(scope, query)``, at most EXPORT_LIMIT + a line saying when there were more."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(Log(query.log).label)[:31])
    heading = []
    for text in headings(query.log):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = HEADING_FONT
        heading.append(cell)
    sheet.append(heading)
    rows = matching(scope, query)[: EXPORT_LIMIT + 1].iterator(chunk_size=2000)
    for written, entry in enumerate(rows):
        if written == EXPORT_LIMIT:
            more = _("Only the newest %(count)s rows are exported: choose a shorter period.")
            sheet.append([_cell(sheet, more % {"count": EXPORT_LIMIT})])
            break
        sheet.append([_cell(sheet, value) for value in values(query.log, entry)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
