"""What a citizen posts on a filing's page: an answer to a correction (补正), a withdrawal.

The forms check the shape (lengths, files present); the rules — whose filing, which state, each file
checked by its content — are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.audit.input_limits import text_limit
from apps.audit.models import TransitionLog
from apps.cases.models import CorrectionRequest
from apps.desks.forms.intake import MultipleFileField


class AnswerCorrectionForm(forms.Form):
    answer = forms.CharField(
        label=_("Your note"),
        max_length=text_limit(CorrectionRequest, "answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you corrected. Add the files asked for below."),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, JPG or PNG; you may choose several files at once."),
    )

    def __init__(self, *args, correction_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Several open corrections (one a case) may be on the page: each form's fields are its own.
        if correction_id is not None:
            self.prefix = f"c{correction_id}"

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("answer") or "").strip() and not cleaned.get("files"):
            raise forms.ValidationError(_("Answer with a note, files, or both."))
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw this filing?"),
        max_length=text_limit(TransitionLog, "comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
