"""Two first ratings of one act at once, on PostgreSQL where they really run at once (a double tap on the
pad, the QR page and the portal together): one row, the second a change of the first."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.audit.selectors import history_of
from apps.cases.rating_links import make_token
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason, RectificationTicket
from apps.feedback.services import rate
from tests.concurrency import together
from tests.factories.feedback import visited_filing

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_first_ratings_at_once_make_one_row_the_second_a_change():
    filing = visited_filing()

    def rating(level, channel, reason=""):
        return lambda: rate(
            filing_id=filing.pk, act=ActKind.WINDOW_VISIT, level=level, reason=reason, channel=channel
        )

    results = together(
        rating(Level.DISSATISFIED, Channel.QR, Reason.WAITING),
        rating(Level.VERY_DISSATISFIED, Channel.PAD, Reason.ATTITUDE),
    )
    assert all(isinstance(result, Rating) for result in results), results
    assert results[0].pk == results[1].pk
    [stored] = Rating.objects.filter(filing=filing)
    steps = sorted(
        history_of(filing)
        .filter(transition__in=["rated", "rating_changed"])
        .values_list("transition", flat=True)
    )
    assert steps == ["rated", "rating_changed"]
    assert stored.changed_at is not None
    # Bad both times: one ticket, not two.
    assert RectificationTicket.objects.filter(rating=stored).count() == 1


def test_a_double_tapped_link_rates_once():
    filing = visited_filing()
    url = reverse("token-ratings", args=[make_token(filing.pk)])

    def post():
        return Client().post(
            url, {"act": ActKind.WINDOW_VISIT, "level": "1"}, content_type="application/json"
        )

    codes = sorted(response.status_code for response in together(post, post))
    assert codes == [200, 201]
    assert Rating.objects.filter(filing=filing).count() == 1
