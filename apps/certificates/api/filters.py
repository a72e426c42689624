"""The certificate desk API's search and sort: the desks' own (``apps.cases.finding``), as ``?q=``
and ``?ordering=``. Its filings use ``apps.cases.api.filters.FilingFilter``; its pending requests of
the user's centres this one."""

from apps.cases import finding
from apps.cases.api.filters import FindingFilter
from apps.certificates.models import IssueRequest


class IssueRequestFilter(FindingFilter):
    paths = finding.REQUESTS

    class Meta:
        model = IssueRequest
        fields = []
