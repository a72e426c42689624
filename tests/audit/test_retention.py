"""The logs are kept at least six months: deleting a younger row is refused by the ORM, and on
PostgreSQL by the database's trigger (migration audit 0008); older rows may go (the archiving command
deletes them once they are in a file)."""

import datetime as dt

import pytest
import time_machine
from django.core import checks
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.audit.checks import retention_at_least_six_months
from apps.audit.models import DisclosureLog, TransitionLog
from apps.audit.retention import MINIMUM_DAYS, RetentionError, cutoff
from apps.audit.services import record_disclosure, record_step
from tests.factories.accounts import ServiceCentreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _row_days_ago(days: int, subject, *, disclosure=False):
    with time_machine.travel(timezone.now() - dt.timedelta(days=days), tick=False):
        if disclosure:
            return record_disclosure(subject, what="identity_number", purpose="test", viewer=UserFactory())
        return record_step(subject, step="noted")


def test_the_orm_refuses_to_delete_a_row_inside_the_retention_period():
    centre = ServiceCentreFactory()
    young = _row_days_ago(MINIMUM_DAYS - 1, centre)
    old = _row_days_ago(MINIMUM_DAYS + 1, centre)
    with pytest.raises(RetentionError):
        TransitionLog.objects.filter(pk=young.pk).delete()
    with pytest.raises(RetentionError):
        TransitionLog.objects.all().delete()  # the old row stays too: the whole delete is refused
    with pytest.raises(RetentionError):
        TransitionLog.objects.get(pk=young.pk).delete()
    assert TransitionLog.objects.count() == 2
    assert TransitionLog.objects.filter(pk=old.pk).delete()[0] == 1
    assert list(TransitionLog.objects.values_list("pk", flat=True)) == [young.pk]


def test_the_disclosure_log_is_kept_alike():
    young = _row_days_ago(1, ServiceCentreFactory(), disclosure=True)
    with pytest.raises(RetentionError):
        DisclosureLog.objects.filter(pk=young.pk).delete()
    assert DisclosureLog.objects.filter(pk=young.pk).exists()


def test_a_longer_setting_keeps_rows_longer(settings):
    settings.HALL_AUDIT_RETENTION_DAYS = 400
    row = _row_days_ago(300, ServiceCentreFactory())
    assert cutoff() < row.at
    with pytest.raises(RetentionError):
        TransitionLog.objects.filter(pk=row.pk).delete()


def test_a_setting_under_six_months_stops_the_start_up(settings):
    settings.HALL_AUDIT_RETENTION_DAYS = 90
    errors = retention_at_least_six_months()
    assert [e.id for e in errors] == ["audit.E001"] and errors[0].level == checks.ERROR
    assert "90" in errors[0].msg and "183" in errors[0].msg
    settings.HALL_AUDIT_RETENTION_DAYS = 183
    assert retention_at_least_six_months() == []


def _raw_delete(table: str, pk: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608 - the test's own table


@pytest.mark.postgresql
@pytest.mark.parametrize("disclosure", [False, True])
def test_postgresql_itself_refuses_deleting_a_young_row_by_raw_sql(disclosure):
    model = DisclosureLog if disclosure else TransitionLog
    # The trigger reads the database's clock, not the travelled one: rows are dated truly in the past.
    young = _row_days_ago(0, ServiceCentreFactory(), disclosure=disclosure)
    old = _row_days_ago(MINIMUM_DAYS + 2, ServiceCentreFactory(), disclosure=disclosure)
    with pytest.raises(IntegrityError, match="retention period"):
        _raw_delete(model._meta.db_table, young.pk)
    assert model.objects.filter(pk=young.pk).exists()
    _raw_delete(model._meta.db_table, old.pk)
    assert not model.objects.filter(pk=old.pk).exists()


def test_the_retention_period_is_a_setting_read_from_the_environment(monkeypatch):
    """HALL_AUDIT_RETENTION_DAYS is in hall/settings.py (default 183), so an operator sets it by the
    environment like the other HALL_ settings rather than it being only the code's fallback."""
    import importlib

    import hall.settings

    monkeypatch.setenv("HALL_AUDIT_RETENTION_DAYS", "400")
    try:
        assert importlib.reload(hall.settings).HALL_AUDIT_RETENTION_DAYS == 400
        monkeypatch.delenv("HALL_AUDIT_RETENTION_DAYS")
        assert importlib.reload(hall.settings).HALL_AUDIT_RETENTION_DAYS == MINIMUM_DAYS
    finally:
        importlib.reload(hall.settings)
