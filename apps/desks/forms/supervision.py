"""The supervision desk's forms (督办台): acknowledging and resolving an escalation, the object on
the page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from apps.cases.models import Escalation
from apps.desks.forms.base import DeskForm, text


class AcknowledgementForm(DeskForm):
    note = text(Escalation, "acknowledgement", label=gettext_lazy("What will be done"))


class ResolutionForm(DeskForm):
    note = text(Escalation, "resolution", label=gettext_lazy("Resolution"))

    def arguments(self) -> dict:
        return {"resolution": self.cleaned_data["note"]}
