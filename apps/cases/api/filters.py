"""The API's search and sort of filings and cases: the desks' own (``apps.cases.finding``), as
``?q=`` and ``?ordering=`` on the list endpoints. They narrow the queryset the view scoped to the user
(``filings_visible_to``, the back office's queues) and never widen it."""

import django_filters

from apps.cases import finding
from apps.cases.models import Case, Filing

Q_LABEL = "filing number (or its start), applicant name, full identity number or item"


class FindingFilter(django_filters.FilterSet):
    """``q`` and ``ordering`` over rows of one shape (``paths``: where the filing and its case are)."""

    paths: finding.Paths = finding.FILINGS

    q = django_filters.CharFilter(method="search", max_length=finding.MAX_QUERY, label=Q_LABEL)
    ordering = django_filters.ChoiceFilter(
        choices=[(key, str(label)) for key, label in finding.SORTS.items()],
        method="sort",
        label="due (soonest first), received (newest first) or warning (most urgent first)",
    )

    def search(self, queryset, name, value):
        return finding.narrowed(queryset, " ".join(value.split()), self.paths)

    def sort(self, queryset, name, value):
        return finding.sorted_by(queryset, value, self.paths)


class FilingFilter(FindingFilter):
    """The filings endpoint's list (``state`` stays the view's)."""

    paths = finding.FILINGS

    class Meta:
        model = Filing
        fields = []


class CaseFilter(FindingFilter):
    """The cases endpoint's queue: applied to the queue's ids before they are paged."""

    paths = finding.CASES

    class Meta:
        model = Case
        fields = []
