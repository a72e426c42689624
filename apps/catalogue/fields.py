"""A set of codes from a code list, stored as one comma-separated column.

Stored sorted ("1,2,4") so that equal sets compare equal in SQL and in exports; filtered with
``field__contains="2"`` on every database (the codes of one list never contain each other).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeSetField(models.CharField):
    def __init__(self, *args, choices_enum=None, **kwargs):
        self.choices_enum = choices_enum
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_enum"] = self.choices_enum
        return name, path, args, kwargs

    def _split(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = value.split(",")
        return sorted({str(v).strip() for v in value if str(v).strip()})

    def from_db_value(self, value, expression, connection):
        return self._split(value)

    def to_python(self, value):
        return self._split(value)

    def get_prep_value(self, value):
        if isinstance(value, (list, tuple, set, frozenset)):
            return ",".join(self._split(value))
        return value

    def validate(self, value, model_instance):
        allowed = set(self.choices_enum.values)
        unknown = [v for v in self._split(value) if v not in allowed]
        if unknown:
            raise ValidationError(
                _("Unknown code(s) %(codes)s; allowed: %(allowed)s."),
                code="unknown_code",
                params={"codes": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))},
            )
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        # The length limit concerns the stored text ("1,2,4"), not the number of codes.
        super().run_validators(",".join(self._split(value)))

    def value_to_string(self, obj):
        return ",".join(self._split(self.value_from_object(obj)))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_enum.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def labels(self, codes) -> list[str]:
        names = dict(self.choices_enum.choices)
        return [str(names.get(code, code)) for code in codes]
