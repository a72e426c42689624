"""The intake desk's forms (综合受理台): the applicant of a new filing, the checklist, and the
window's decisions. The object on the page is the filing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.input_limits import MAX_ID, text_limit
from apps.audit.models import TransitionLog
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind, FilingState, MaterialStatus
from apps.cases.models import ChecklistEntry, CorrectionRequest, Filing
from apps.cases.services import all_originals_received
from apps.catalogue.models import Bundle
from apps.desks.forms.base import DeskForm, PerMaterial, text


class ApplicantForm(forms.Form):
    """Who files, as the clerk types it in; named as the filing's columns, which
    ``ApplicantData.from_mapping`` reads. The identity numbers' rules are the service's."""

    applicant_kind = forms.ChoiceField(
        label=gettext_lazy("Applicant type"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        initial=ApplicantKind.PERSON,
    )
    applicant_name = text(Filing, "applicant_name", label=gettext_lazy("Name"), required=True)
    applicant_id_number = text(
        Filing, "applicant_id_number", label=gettext_lazy("Identity number"), required=True
    )
    applicant_phone = text(Filing, "applicant_phone", label=gettext_lazy("Phone"))
    legal_representative = text(Filing, "legal_representative", label=gettext_lazy("Legal representative"))
    contact_name = text(Filing, "contact_name", label=gettext_lazy("Contact person"))
    contact_phone = text(Filing, "contact_phone", label=gettext_lazy("Contact phone"))
    agent_name = text(Filing, "agent_name", label=gettext_lazy("Agent"))
    agent_id_number = text(Filing, "agent_id_number", label=gettext_lazy("Agent's resident ID number"))
    agent_phone = text(Filing, "agent_phone", label=gettext_lazy("Agent's phone"))

    def applicant(self) -> ApplicantData:
        return ApplicantData.from_mapping(self.cleaned_data)

    def add_refusal(self, error: ValidationError) -> None:
        """The service's refusal of the filing, on the fields it names (the rest above the form)."""
        for field, errors in error.message_dict.items():
            column = ApplicantData.column_of(field)
            self.add_error(column if column in self.fields else None, errors)


class WindowFilingForm(ApplicantForm):
    """A new filing at the window: the applicant, and the returned filing (一次性告知) it answers, if
    any — by number, among this centre's filings (the service checks the rest: returned, the same
    applicant, not resubmitted yet)."""

    resubmission_of = forms.CharField(
        label=gettext_lazy("Answers the one-time notice of filing"),
        max_length=text_limit(Filing, "number"),
        required=False,
        help_text=gettext_lazy(
            "The number of the filing returned for completion that this one answers, if any."
        ),
    )

    # Right under the identity number, where the applicant's returned filings are offered as it is typed.
    field_order = ["applicant_kind", "applicant_name", "applicant_id_number", "resubmission_of"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre

    def clean_resubmission_of(self) -> Filing | None:
        number = self.cleaned_data["resubmission_of"].strip()
        if not number:
            return None
        filing = Filing.objects.filter(number=number, centre=self.centre).first()
        if filing is None:
            raise ValidationError(_("No filing of this service centre has this number."))
        return filing

    def answerable(self, id_number: str) -> list[Filing]:
        """The applicant's filings at this centre returned for completion and not resubmitted yet,
        latest first: what the clerk is offered to link (one query)."""
        return answerable_filings(self.centre, id_number)


def answerable_filings(centre, id_number: str) -> list[Filing]:
    """The filings of ``id_number`` at ``centre`` returned for completion and not resubmitted yet,
    latest first (the index filing_applicant finds them)."""
    id_number = (id_number or "").strip().upper()
    if not id_number:
        return []
    return list(
        Filing.objects.filter(
            applicant_id_number=id_number,
            centre=centre,
            state=FilingState.RETURNED,
            resubmissions__isnull=True,
        )
        .only("pk", "number", "decided_at", "completion_list")
        .order_by("-decided_at", "-pk")[:10]
    )


class FilingTargetForm(forms.Form):
    """What a new filing is for: a bundle (by code) or an item (by id) — in the address when the page
    opens, posted with the applicant after (the address wins)."""

    item = forms.IntegerField(label=gettext_lazy("Item"), min_value=1, max_value=MAX_ID, required=False)
    bundle = forms.CharField(
        label=gettext_lazy("Bundle"), max_length=text_limit(Bundle, "code"), required=False
    )

    @classmethod
    def of(cls, request) -> FilingTargetForm:
        data = request.GET.copy()
        for name in ("item", "bundle"):
            posted = request.POST.get(name)
            if posted and not data.get(name):
                data[name] = posted
        return cls(data)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("bundle") and data.get("item") is None:
            raise ValidationError(_("Choose an item of this service centre."))
        return data


class FilingForm(DeskForm):
    """A form on a filing's page: ``obj`` is the filing, its checklist prefetched."""

    @property
    def filing(self) -> Filing:
        return self.obj

    def on_checklist(self, material_id: int) -> int:
        if material_id not in {entry.material_id for entry in self.filing.checklist.all()}:
            raise ValidationError(_("This material is not on this filing's list."))
        return material_id


class MaterialForm(FilingForm):
    """One material of the checklist: its id comes from the address and must be on the filing's list."""

    material = forms.IntegerField(label=gettext_lazy("Material"), widget=forms.HiddenInput)

    def clean_material(self) -> int:
        return self.on_checklist(self.cleaned_data["material"])

    def arguments(self) -> dict:
        arguments = dict(self.cleaned_data)
        arguments["material_id"] = arguments.pop("material")
        return arguments


class RecordMaterialForm(MaterialForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=MaterialStatus.choices)
    note = text(ChecklistEntry, "note", label=gettext_lazy("Note"))
    certificate_reference = text(
        ChecklistEntry, "certificate_reference", label=gettext_lazy("e-certificate used")
    )


class UploadForm(MaterialForm):
    file = forms.FileField(
        label=gettext_lazy("File"), error_messages={"required": gettext_lazy("Choose a file to upload.")}
    )


class AllReceivedForm(FilingForm):
    """全部收取原件: an original for each material not checked yet that is required and asked for as an
    original (the services' rule); the rest is left for the clerk. Nothing is posted."""

    def arguments(self) -> dict:
        return {"records": all_originals_received(self.filing.checklist.all())}


class ReasonForm(FilingForm):
    """Handing back to the pre-review queue, or withdrawing: a reason for the filing's log."""

    reason = text(TransitionLog, "comment", label=gettext_lazy("Reason"))


class DeficiencyForm(FilingForm):
    commitment_date = forms.DateField(label=gettext_lazy("Deficiency to be cleared by"), required=False)


class CompletionForm(PerMaterial, FilingForm):
    """一次性告知: what is missing or wrong, per material of the checklist (``reason_<id>``), and more."""

    material_prefix = "reason_"
    general_reason = text(Filing, "completion_list", label=gettext_lazy("Other"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_material_fields(self.filing.checklist.all(), Filing, "completion_list")

    def clean(self):
        self.check_names()
        return super().clean()

    def arguments(self) -> dict:
        corrections = [{"material": material, "reason": reason} for material, reason in self.per_material()]
        general = self.cleaned_data["general_reason"]
        if general.strip():
            corrections.append({"material": None, "reason": general})
        return {"corrections": corrections}


class RefusalForm(FilingForm):
    reasons = text(Filing, "decision_reasons", label=gettext_lazy("Reasons"), multiline=True)
    legal_basis = text(Filing, "decision_legal_basis", label=gettext_lazy("Legal basis"), multiline=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's own takes one); none is fine: a note may answer alone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class AnswerCorrectionForm(FilingForm):
    """补正 handed in at the window: the applicant's note and files for an open correction request of
    one of this filing's cases (its id posted, checked against the filing's)."""

    correction = forms.IntegerField(label=gettext_lazy("Correction"), widget=forms.HiddenInput)
    answer = text(
        CorrectionRequest, "answer", label=gettext_lazy("What the applicant handed in"), multiline=True
    )
    files = MultipleFileField(label=gettext_lazy("Files"), required=False)

    def clean_correction(self) -> int:
        correction = self.cleaned_data["correction"]
        open_here = {c.pk for case in self.filing.cases.all() for c in case.corrections.all() if c.is_open}
        if correction not in open_here:
            raise ValidationError(_("This correction request is not open on this filing."))
        return correction

    def arguments(self) -> dict:
        return {
            "correction_id": self.cleaned_data["correction"],
            "answer": self.cleaned_data["answer"],
            "files": self.cleaned_data["files"],
        }


# How a missing material (容缺) may be handed in at the window.
HANDED_IN = [
    (s.value, s.label) for s in (MaterialStatus.ORIGINAL, MaterialStatus.COPY, MaterialStatus.ELECTRONIC)
]


class ClearDeficiencyForm(MaterialForm):
    """容缺: a material missing at the acceptance, handed in now (its id posted, on the filing's list)."""

    status = forms.ChoiceField(label=gettext_lazy("Handed in as"), choices=HANDED_IN)
