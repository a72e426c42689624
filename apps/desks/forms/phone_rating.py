"""The 12345 rating form of the supervision desk: a caller's rating of one act of a filing, as the
supervisor took it on the phone. Fields are named as ``feedback.services.rate_by_phone`` names them
in its refusals, so each refusal is shown on its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.feedback.models import ActKind, Level, Reason
from apps.feedback.services import COMMENT_MAX


class PhoneRatingForm(forms.Form):
    act = forms.ChoiceField(label=_("Rated act"), widget=forms.RadioSelect)
    # Checked by the service, which names both at once (the form would stop at an empty one).
    caller_name = forms.CharField(label=_("Caller's name"), max_length=100, required=False)
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=30, required=False)
    level = forms.ChoiceField(label=_("Rating"), choices=Level.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason (required for dissatisfied and very dissatisfied)"),
        choices=[("", "—"), *Reason.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("What the caller said"), max_length=COMMENT_MAX, required=False, widget=forms.Textarea
    )

    def __init__(self, data=None, *, acts, **kwargs):
        """``acts``: the filing's acts that may be rated now (``apps.feedback.acts.acts_of``)."""
        super().__init__(data, **kwargs)
        self.fields["act"].choices = [(act.kind, ActKind(act.kind).label) for act in acts]
        if len(acts) == 1:
            self.fields["act"].initial = acts[0].kind
        self.fields["caller_phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.fields["caller_name"].widget.attrs.update(autocomplete="off")

    def arguments(self) -> dict:
        return dict(self.cleaned_data)
