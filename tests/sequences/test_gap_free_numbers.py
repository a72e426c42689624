import threading

import pytest
from django.db import connection, transaction

from apps.sequences.models import Counter
from apps.sequences.services import next_value


@pytest.mark.django_db
def test_a_series_counts_from_one_and_series_are_independent():
    with transaction.atomic():
        assert [next_value("filing:1:20261123") for _ in range(3)] == [1, 2, 3]
        assert next_value("filing:2:20261123") == 1


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back():
    with transaction.atomic():
        assert next_value("notice:accept:1:2026") == 1
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert next_value("notice:accept:1:2026") == 2
        1 / 0  # noqa: B018 — the action that used the number failed
    with transaction.atomic():
        assert next_value("notice:accept:1:2026") == 2
    assert Counter.objects.get(series="notice:accept:1:2026").value == 2


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around it
def test_numbers_are_taken_inside_a_transaction_only():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_value("filing:1:20261123")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_transactions_get_fifty_consecutive_numbers_even_when_some_roll_back():
    barrier = threading.Barrier(50)
    committed, lock = [], threading.Lock()

    def take(i):
        barrier.wait()
        try:
            with transaction.atomic():
                value = next_value("certificate:food:2026")
                if i % 5 == 0:
                    raise ValueError("this issuance failed")
            with lock:
                committed.append(value)
        except ValueError:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(committed) == list(range(1, 41))
    assert Counter.objects.get(series="certificate:food:2026").value == 40
