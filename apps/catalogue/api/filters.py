import django_filters

from apps.catalogue import selectors
from apps.catalogue.codes import Channel, ExerciseLevel, ItemKind, ItemState, ItemType
from apps.catalogue.models import ServiceItem


class ServiceItemFilter(django_filters.FilterSet):
    """The public guide's search and filters (the same selector), plus state for catalogue admins."""

    q = django_filters.CharFilter(method="search", label="name, code, department or pinyin initials")
    category = django_filters.CharFilter(field_name="approval_category__code")
    item_type = django_filters.ChoiceFilter(choices=ItemType.choices)
    level = django_filters.ChoiceFilter(choices=ExerciseLevel.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices, method="by_channel")
    visits = django_filters.NumberFilter(field_name="visits_required", lookup_expr="lte")
    department = django_filters.CharFilter(field_name="department__credit_code")
    centre = django_filters.NumberFilter(field_name="lineage__centre_id")
    state = django_filters.ChoiceFilter(choices=ItemState.choices)
    kind = django_filters.ChoiceFilter(field_name="lineage__kind", choices=ItemKind.choices)

    class Meta:
        model = ServiceItem
        fields = []

    def search(self, queryset, name, value):
        return selectors.search_items(queryset, q=value)

    def by_channel(self, queryset, name, value):
        return queryset.filter(channels__contains=value)
