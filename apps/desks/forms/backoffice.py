"""The approval desk's forms (后台审批台): the queues' filters, and the review workspace's actions on
the case of the page — claiming and releasing, opinions, corrections, special procedures,
extensions, decisions and sign-off — and the revocation of its certificate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from apps.audit.input_limits import MAX_ID
from apps.audit.models import TransitionLog
from apps.cases.codes import Channel
from apps.cases.models import Case, CorrectionRequest, Outcome, ReviewOpinion
from apps.cases.review.selectors import Queue, QueueFilters
from apps.desks.forms.base import DeskForm, PerMaterial, text
from apps.licences.models import ElectronicCertificate, RevocationMode
from apps.worktime.codes import SpecialProcedure
from apps.worktime.models import Extension, Suspension
from apps.worktime.warnings import WarningLevel


class QueueFiltersForm(forms.Form):
    """The queue shown and its filters, from the address. A value that is not one (a category that
    is no number, a date that is no date) filters nothing, as if it had not been typed."""

    queue = forms.ChoiceField(choices=[(name, name) for name in Queue.ALL], required=False)
    category = forms.IntegerField(min_value=0, max_value=MAX_ID, required=False)
    warning = forms.ChoiceField(choices=WarningLevel.choices, required=False)
    channel = forms.ChoiceField(choices=Channel.choices, required=False)
    accepted_from = forms.DateField(required=False)
    accepted_to = forms.DateField(required=False)

    def queue_and_filters(self) -> tuple[str, QueueFilters]:
        self.is_valid()  # the fields that are valid are in cleaned_data; the others count as blank
        value = {name: self.cleaned_data.get(name) for name in self.fields}
        filters = QueueFilters(
            category=value["category"],
            warning=value["warning"] or None,
            channel=value["channel"] or None,
            accepted_from=value["accepted_from"],
            accepted_to=value["accepted_to"],
        )
        return value["queue"] or Queue.UNCLAIMED, filters


class ReleaseForm(DeskForm):
    reason = text(TransitionLog, "comment", label=gettext_lazy("Reason"))


class OpinionForm(DeskForm):
    """An opinion on the record (审查意见)."""

    text = text(ReviewOpinion, "text", label=gettext_lazy("Opinion"), multiline=True)


class CorrectionForm(PerMaterial, DeskForm):
    """补正: what to correct for each material of the filing's checklist (``what_<id>``), other
    points one per line, and a note to the applicant."""

    material_prefix = "what_"
    other = text(CorrectionRequest, "items", label=gettext_lazy("Other (one per line)"), multiline=True)
    note = text(CorrectionRequest, "note", label=gettext_lazy("Note to the applicant"), multiline=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        checklist = self.obj.filing.checklist.select_related("material")
        self.add_material_fields(checklist, CorrectionRequest, "items")

    def clean(self):
        self.check_names()
        return super().clean()

    def arguments(self) -> dict:
        items = [{"material": material, "what": what} for material, what in self.per_material()]
        lines = (line.strip() for line in self.cleaned_data["other"].splitlines())
        items += [{"material": None, "what": line} for line in lines if line]
        return {"items": items, "note": self.cleaned_data["note"]}


class SpecialProcedureForm(DeskForm):
    """特别程序: one of the procedures the case's item allows."""

    procedure = forms.ChoiceField(label=gettext_lazy("Procedure"))
    planned_end_on = forms.DateField(label=gettext_lazy("Planned end"), required=False)
    reason = text(Suspension, "reason", label=gettext_lazy("Reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = self.obj.item.special_procedures or []
        self.fields["procedure"].choices = [
            (v, label) for v, label in SpecialProcedure.choices if v in allowed
        ]


class ExtensionForm(DeskForm):
    """延长审批: the allowance is the service's rule (it says what is left)."""

    days = forms.IntegerField(
        label=gettext_lazy("Working days"), min_value=1, max_value=MAX_ID, required=False
    )
    reason = text(Extension, "reason", label=gettext_lazy("Reason"))


def _opinion() -> forms.CharField:
    return text(ReviewOpinion, "text", label=gettext_lazy("Opinion"), multiline=True)


class ApprovalForm(DeskForm):
    """准予许可 (or its proposal): what the certificate says."""

    OUTCOME = Outcome.APPROVE
    holder = text(Case, "decision_holder", label=gettext_lazy("Holder"))
    scope = text(Case, "decision_scope", label=gettext_lazy("Scope"), multiline=True)
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), required=False)
    valid_until = forms.DateField(label=gettext_lazy("Valid until"), required=False)
    opinion = _opinion()

    def arguments(self) -> dict:
        return {"outcome": self.OUTCOME, **self.cleaned_data}


class DenialForm(DeskForm):
    """不予许可 (or its proposal): why, and by what law."""

    OUTCOME = Outcome.DENY
    reasons = text(Case, "denial_reasons", label=gettext_lazy("Reasons"), multiline=True)
    legal_basis = text(Case, "denial_legal_basis", label=gettext_lazy("Legal basis"), multiline=True)
    opinion = _opinion()

    def arguments(self) -> dict:
        return {"outcome": self.OUTCOME, **self.cleaned_data}


class ProposalForm(ApprovalForm, DenialForm):
    """The decision proposed for sign-off: approve or deny, chosen on the form (both sets of fields
    are on it; the service reads those of the outcome chosen)."""

    outcome = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Outcome.choices)

    def arguments(self) -> dict:
        return dict(self.cleaned_data)


class SignOffForm(DeskForm):
    """Signing a proposal off, or sending it back: the decision-maker's opinion."""

    opinion = _opinion()


class RevocationForm(DeskForm):
    """撤销 / 注销 the certificate of the case (``obj``: its issued document); revoking unless said."""

    mode = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RevocationMode.choices, required=False)
    reason = text(ElectronicCertificate, "revocation_reason", label=gettext_lazy("Reason"), multiline=True)

    def clean_mode(self) -> str:
        return self.cleaned_data["mode"] or RevocationMode.REVOKE
