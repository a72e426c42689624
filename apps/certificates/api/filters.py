"""The certificate desk API's search and sort: the desks' own (``apps.cases.finding``), as ``?q=``
and ``?ordering=``, narrowing the desk's filings and pending requests of the user's centres."""

from apps.cases import finding
from apps.cases.api.filters import FindingFilter
from apps.cases.models import Filing
from apps.certificates.models import IssueRequest


class DeskFilingFilter(FindingFilter):
    paths = finding.FILINGS

    class Meta:
        model = Filing
        fields = []


class IssueRequestFilter(FindingFilter):
    paths = finding.REQUESTS

    class Meta:
        model = IssueRequest
        fields = []
