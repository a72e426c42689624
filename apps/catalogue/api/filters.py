import django_filters
from django import forms

from apps.audit.input_limits import MAX_ID
from apps.catalogue import selectors
from apps.catalogue.codes import Channel, ExerciseLevel, ItemKind, ItemState, ItemType
from apps.catalogue.models import ServiceItem


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number that fits a key (not NumberFilter's decimal: ``1e999`` is no centre)."""

    field_class = forms.IntegerField


class ServiceItemFilter(django_filters.FilterSet):
    """The public guide's search and filters (the same selector), plus state for catalogue admins."""

    q = django_filters.CharFilter(
        method="search", max_length=100, label="name, code, department or pinyin initials"
    )
    category = django_filters.CharFilter(field_name="approval_category__code")
    item_type = django_filters.ChoiceFilter(choices=ItemType.choices)
    level = django_filters.ChoiceFilter(choices=ExerciseLevel.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices, method="by_channel")
    visits = WholeNumberFilter(field_name="visits_required", lookup_expr="lte", min_value=0, max_value=MAX_ID)
    department = django_filters.CharFilter(field_name="department__credit_code")
    centre = WholeNumberFilter(field_name="lineage__centre_id", min_value=1, max_value=MAX_ID)
    state = django_filters.ChoiceFilter(choices=ItemState.choices)
    kind = django_filters.ChoiceFilter(field_name="lineage__kind", choices=ItemKind.choices)

    class Meta:
        model = ServiceItem
        fields = []

    def search(self, queryset, name, value):
        return selectors.search_items(queryset, q=value)

    def by_channel(self, queryset, name, value):
        return queryset.filter(channels__contains=value)
