"""Migration audit 0007 anchors the rows written before the anchors existed, set-based, with its own
frozen map: run here on rows whose anchors are emptied, with the models as they stood at 0007."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.audit.models import DisclosureLog, TransitionLog
from tests.audit.planted import plant

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("apps.audit.migrations.0007_anchor_existing_rows")


def test_the_backfill_anchors_old_rows_as_the_write_path_does_and_its_map_is_the_live_one():
    from apps.audit import anchors

    # Each model the migration anchored is anchored the same way when written now (a model added to
    # the live map later needs a backfill of its own).
    assert backfill.PATHS.items() <= anchors.PATHS.items()
    plant()
    written = {
        model: list(
            model.objects.order_by("pk").values_list("pk", "centre_id", "department_id", "filing_number")
        )
        for model in (TransitionLog, DisclosureLog)
    }
    for model in written:
        model.objects.update(centre=None, department=None, filing_number="")
    state = MigrationLoader(connection).project_state(("audit", "0007_anchor_existing_rows"))
    backfill.anchor(state.apps, None)
    for model, rows in written.items():
        assert (
            list(
                model.objects.order_by("pk").values_list("pk", "centre_id", "department_id", "filing_number")
            )
            == rows
        )
    assert any(row[3] for row in written[TransitionLog]) and written[DisclosureLog]
