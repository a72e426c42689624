"""The demo's ratings (apps/demo/seeding/ratings.py): months of rated window visits at window A01, bad
ones with tickets at different steps, and the roll-ups the figures page reads, seeded once."""

import pytest

from apps.accounts.models import User
from apps.accounts.scopes import scope_of
from apps.demo.seeding.catalogue import seed_catalogue
from apps.demo.seeding.organisation import CITY, seed_organisation
from apps.demo.seeding.ratings import BAD, COUNT, WINDOWS, seed_ratings
from apps.feedback.figures import Query, figures_for
from apps.feedback.models import Dimension, Rating, RatingRollup, RectificationTicket

pytestmark = pytest.mark.django_db


def test_the_demo_ratings_fill_the_figures_once():
    seed_organisation()
    seed_catalogue()
    lines = seed_ratings(CITY["name"])
    assert lines and "/supervision/figures/" in lines[0]
    assert Rating.objects.count() == COUNT
    assert set(Rating.objects.values_list("window__number", flat=True)) == set(WINDOWS)
    assert Rating.objects.values("rated_on").distinct().count() > 60
    assert sorted(RectificationTicket.objects.values_list("state", flat=True)) == sorted(
        ["closed", "submitted", "open", "open"]
    )
    assert len(BAD) == 4
    supervisor = User.objects.get(username="supervisor")
    first, last = (
        min(Rating.objects.values_list("rated_on", flat=True)),
        max(Rating.objects.values_list("rated_on", flat=True)),
    )
    figures = figures_for(scope_of(supervisor), Query(Dimension.WINDOW, "month", first, last))
    assert figures.overall.total == COUNT and figures.overall.bad == 4 and figures.overall.rectified == 1
    assert len(figures.totals) == len(WINDOWS)
    assert figures_for(scope_of(supervisor), Query(Dimension.ITEM, "month", first, last)).totals[1:]
    rows = RatingRollup.objects.count()
    assert seed_ratings(CITY["name"]) == []
    assert Rating.objects.count() == COUNT and RatingRollup.objects.count() == rows
