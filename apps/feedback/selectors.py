"""Reads of ratings for the pages and the API: a filing's acts with the applicant's ratings of them."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils import timezone

from apps.cases.models import Filing
from apps.feedback.acts import CONCLUDED, Act, acts_of
from apps.feedback.models import Rating, RectificationTicket, TicketState
from apps.feedback.models.ratings import APPLICANT
from apps.feedback.services import may_change


def ratings_of_filing(filing: Filing) -> dict[str, Rating]:
    """The applicant's rating of each act of ``filing``, by act kind (one query). Each says whether
    a ticket of it was closed (``has_closed_ticket``), for the re-rating rule."""
    closed = RectificationTicket.objects.filter(rating=OuterRef("pk"), state=TicketState.CLOSED)
    ratings = Rating.objects.filter(filing=filing, rater_key=APPLICANT).annotate(
        has_closed_ticket=Exists(closed)
    )
    return {rating.act: rating for rating in ratings}


def rateable(filing: Filing) -> list[tuple[Act, Rating | None, bool]]:
    """Each act of ``filing`` that may be rated, the applicant's rating of it (or None), and whether
    the applicant may rate it now (not rated yet, within the change period, or re-rating once after
    a closed rectification). A constant number of queries: the filing's first item, its delivery,
    its ratings (fewer when ``items__item`` and ``delivery`` are already loaded)."""
    ratings = ratings_of_filing(filing)
    now = timezone.now()
    rows = []
    for act in acts_of(filing):
        rating = ratings.get(act.kind)
        rows.append((act, rating, rating is None or may_change(rating, now)))
    return rows


def unrated(filings) -> set[int]:
    """The ids of ``filings`` with an act the applicant may rate and has not rated yet: my hall's
    cards offer 去评价 on them. Two queries for the lot (their deliveries, the applicant's ratings);
    their items are the caller's prefetch (``items__item``, as my hall has it); a terminated filing
    reads when it ended (one query each: rare)."""
    filings = [f for f in filings if f.decided_at is not None or f.state in CONCLUDED]
    if not filings:
        return set()
    prefetch_related_objects(filings, "delivery")
    rated = set(
        Rating.objects.filter(filing__in=filings, rater_key=APPLICANT).values_list("filing_id", "act")
    )
    return {f.pk for f in filings if any((f.pk, act.kind) not in rated for act in acts_of(f))}
