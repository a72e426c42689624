"""What every desk form shares: the object on the page, texts bounded by their columns, and fields
named after the ids of the object's own rows (``reason_<material id>``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from apps.audit.input_limits import text_limit


class DeskForm(forms.Form):
    """The input of one action on ``obj``, the object on the page. ``arguments()`` is what the
    action's service takes besides who acts, where and from which address."""

    def __init__(self, data=None, files=None, *, obj, **kwargs):
        self.obj = obj
        super().__init__(data, files, **kwargs)

    def arguments(self) -> dict:
        return dict(self.cleaned_data)


class NoInput(DeskForm):
    """An action that takes nothing but the object (claim, accept, take for pre-review …)."""


def text(model, column: str, *, label, required: bool = False, multiline: bool = False) -> forms.CharField:
    """A text field as long as ``model.column`` takes (its max_length, or the free-text limit)."""
    return forms.CharField(
        label=label,
        max_length=text_limit(model, column),
        required=required,
        widget=forms.Textarea if multiline else None,
    )


class PerMaterial:
    """Fields named ``material_prefix`` + the id of each material on the filing's checklist
    (``reason_12``), one text each, labelled with the material's name. A posted name with the prefix
    that is not one of them — no number, or another filing's material — was made up: an error
    naming it."""

    material_prefix: str  # not ``prefix``: a Django form prefixes every field name with that

    def add_material_fields(self, checklist, model, column: str) -> None:
        for entry in checklist:
            name = f"{self.material_prefix}{entry.material_id}"
            self.fields[name] = text(model, column, label=entry.material.name)

    def check_names(self) -> None:
        for name in self.data:
            if name.startswith(self.material_prefix) and name not in self.fields:
                self.add_error(
                    None,
                    _("The form was changed before it was sent: “%(name)s” is not one of its fields.")
                    % {"name": name[:60]},
                )

    def per_material(self) -> list[tuple[int, str]]:
        """(material id, text) of each material field filled in."""
        return [
            (int(name.removeprefix(self.material_prefix)), value)
            for name, value in self.cleaned_data.items()
            if name.startswith(self.material_prefix) and value.strip()
        ]
