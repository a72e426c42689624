"""Element-by-element comparison of two item versions.

One function serves both the version diff in the admin and the consistency report (多级十同), so the
two can never disagree about what "differs" means. Values are compared as shown to people (labels,
not codes), and the lists (materials, fees, steps, FAQ) are compared as a whole, row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.catalogue.fields import CodeSetField
from apps.catalogue.models import ServiceItem

LISTS = {
    "materials": _("required materials"),
    "fees": _("fee items"),
    "steps": _("process steps"),
    "faqs": _("FAQ"),
}
# Prefetch these so that comparing many items costs a fixed number of queries.
PREFETCH = ["materials__material", "fees", "steps", "faqs"]


@dataclass(frozen=True)
class Difference:
    element: str
    label: str
    left: str
    right: str


def _display(item: ServiceItem, name: str) -> str:
    field = item._meta.get_field(name)
    value = getattr(item, name)
    if isinstance(field, CodeSetField):
        return "、".join(field.labels(value))
    if field.choices:
        return str(getattr(item, f"get_{name}_display")())
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if value is None:
        return ""
    return str(value)


def _list_rows(item: ServiceItem, name: str) -> list[str]:
    rows = getattr(item, name).all()
    if name == "materials":
        return [
            f"{m.material.name} · {_('originals')} {m.original_count} · {_('copies')} {m.copy_count} · "
            f"{m.get_necessity_display()} · {m.get_form_display()}"
            f"{' · ' + str(_('e-certificate accepted')) if m.e_certificate_accepted else ''}"
            f"{' · ' + m.acceptance_standard if m.acceptance_standard else ''}"
            for m in rows
        ]
    if name == "fees":
        return [f"{f.name} · {f.standard} · {f.basis}" for f in rows]
    if name == "steps":
        return [f"{s.name}{' · ' + s.description if s.description else ''}" for s in rows]
    return [f"{q.question} · {q.answer}" for q in rows]


def compare(left: ServiceItem, right: ServiceItem, fields: list[str]) -> list[Difference]:
    """The elements (``fields`` and all lists) in which two versions differ, in field order."""
    differences = []
    for name in fields:
        a, b = _display(left, name), _display(right, name)
        if a != b:
            label = str(left._meta.get_field(name).verbose_name)
            differences.append(Difference(name, label, a, b))
    for name, label in LISTS.items():
        a, b = _list_rows(left, name), _list_rows(right, name)
        if a != b:
            differences.append(Difference(name, str(label), "\n".join(a), "\n".join(b)))
    return differences
