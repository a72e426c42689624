"""Where a log row belongs: its centre, its department and the filing it is part of.

The logs name their subject generically (content type + id), which no index can search by centre or
by filing. So each row also carries three anchors, written with it: ``centre``, ``department`` and
``filing_number`` — the filing's own rows, and its cases', escalations', documents', uploads' and
issue requests' rows, all carry the filing's number, so that "everything about filing X" is one
indexed lookup, and a supervisor's centre is one indexed range.

``PATHS`` says, for each model that is logged, where its anchors are (ORM lookups from the subject;
``None``: it has none — a user account, a citizen's authorisation: such rows have no centre, and
only superusers see them in the viewer). The audit app imports no domain app: the models are named
by label, their fields by lookup strings, and a test checks every path resolves.

Writing costs nothing more: an anchor the subject holds in memory (``centre_id``, a loaded
``filing``) is copied; one further away becomes a subquery inside the log's own INSERT, never a
query of its own. Rows written in bulk without a subject (a sweep's INSERT … SELECT) are anchored
afterwards by ``fill``, set-based.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BigIntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce

# model label → (centre, department, filing number): lookups from the subject, None for none.
PATHS: dict[str, tuple[str | None, str | None, str | None]] = {
    "cases.filing": ("centre", None, "number"),
    "cases.case": ("filing__centre", "department", "filing__number"),
    "cases.escalation": ("department__centre", "department", "case__filing__number"),
    "cases.materialupload": ("entry__filing__centre", None, "entry__filing__number"),
    "cases.correctionfile": (
        "request__case__filing__centre",
        "request__case__department",
        "request__case__filing__number",
    ),
    "certificates.issuerequest": ("filing__centre", None, "filing__number"),
    "certificates.issueddocument": ("filing__centre", "department", "filing__number"),
    "certificates.seal": ("department__centre", "department", None),
    "licences.electroniccertificate": (
        "issued_document__filing__centre",
        "issued_document__department",
        "issued_document__filing__number",
    ),
    "catalogue.serviceitem": ("lineage__centre", "department", None),
    "catalogue.bundle": ("centre", None, None),
    "visits.ticket": ("centre", None, None),
    "visits.appointment": ("slot__area__centre", None, None),
    "visits.servicearea": ("centre", None, None),
    "visits.openingperiod": ("centre", None, None),
    "visits.halldevice": ("centre", None, None),
    "feedback.rectificationticket": ("centre", "department", "rating__filing__number"),
    "feedback.evaluationpad": ("window__centre", None, None),
}
# The log's columns, in PATHS' order (a foreign key's value is its id).
COLUMNS = ("centre_id", "department_id", "filing_number")


def label_of(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def _lookup(column: str, path: str) -> str:
    # A foreign key's anchor is its id: ``filing__centre`` is read as ``filing__centre_id``.
    return path if column == "filing_number" else f"{path}_id"


class _Far:
    """Not in memory: the INSERT reads it."""


def _local(subject, lookup: str):
    """The value at ``lookup`` if the subject holds it in memory (its own column, or through
    relations already loaded), else ``_Far``. A relation that is None on the way ends it: None."""
    obj = subject
    *hops, last = lookup.split("__")
    for hop in hops:
        field = obj._meta.get_field(hop)
        if not field.is_cached(obj):
            return _Far
        try:
            obj = getattr(obj, hop)
        except ObjectDoesNotExist:  # a reverse one-to-one known to be missing
            return None
        if obj is None:
            return None
    return getattr(obj, obj._meta.get_field(last).attname)


def _far(model, pk, column: str, lookup: str):
    value = Subquery(model._base_manager.filter(pk=pk).values(lookup)[:1])
    return Coalesce(value, Value("")) if column == "filing_number" else value


def anchors_of(subject) -> dict:
    """The anchor columns of a new log row about ``subject``: values, or subqueries its INSERT runs."""
    model = subject._meta.concrete_model
    paths = PATHS.get(label_of(model))
    if paths is None:
        return {}
    values = {}
    for column, path in zip(COLUMNS, paths, strict=True):
        if path is None:
            continue
        lookup = _lookup(column, path)
        value = _local(subject, lookup)
        if value is _Far:
            value = _far(model, subject.pk, column, lookup)
        if value is not None:
            values[column] = value
    return values


def fill(queryset, content_type_ids=None) -> int:
    """Anchor the rows of ``queryset`` (of either log) that have no anchor yet, set-based: one UPDATE
    per logged model (only those of ``content_type_ids`` if given). For rows written in bulk without
    their subject at hand: the logs' ``bulk_create`` calls it, and a raw INSERT … SELECT should."""
    from django.contrib.contenttypes.models import ContentType

    done = 0
    for label, paths in PATHS.items():
        model = apps.get_model(label)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        if content_type_ids is not None and content_type.pk not in content_type_ids:
            continue
        pk = Cast(OuterRef("object_id"), BigIntegerField())
        changes = {
            column.removesuffix("_id"): _far(model, pk, column, _lookup(column, path))
            for column, path in zip(COLUMNS, paths, strict=True)
            if path is not None
        }
        done += queryset.filter(
            content_type=content_type,
            centre__isnull=True,
            department__isnull=True,
            filing_number="",
        ).update(**changes)
    return done
