from django import forms
from django.utils.translation import gettext_lazy as _

from apps.catalogue.codes import Channel, ExerciseLevel, ItemType
from apps.catalogue.models import ApprovalCategory


class GuideSearchForm(forms.Form):
    """The public catalogue's search box and filters; every field is optional."""

    VISITS = [("", _("Any")), ("0", _("No visit (零跑动)")), ("1", _("At most one visit (最多跑一次)"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    centre = forms.ChoiceField(label=_("Service centre"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    item_type = forms.ChoiceField(
        label=_("Item type"), required=False, choices=[("", _("Any"))] + ItemType.choices
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any"))] + ExerciseLevel.choices
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any"))] + Channel.choices
    )
    visits = forms.ChoiceField(label=_("Visits"), required=False, choices=VISITS)

    def __init__(self, *args, categories: list[ApprovalCategory], centres: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any"))] + [(c.code, c.name) for c in categories]
        self.fields["centre"].choices = [("", _("Any"))] + [(str(c.pk), c.name) for c in centres]

    def filters(self) -> dict[str, str]:
        """The valid filters; a stale or hand-made value (an unknown centre) is dropped, not an error."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
