"""A double click on PostgreSQL, where two requests really run at once: of two submits of one draft,
one submits and the other gets a 409 (one submission, one log line); of two resubmissions of one
returned filing, one is made."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.audit.selectors import history_of
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from tests.cases.online_hall import make_hall, ready, returned, submitted, taken

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def at_once(user, url, times=2) -> list[int]:
    """``times`` POSTs to ``url`` as ``user``, released together; their status codes."""
    clients = []
    for _ in range(times):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(times)
    codes = []

    def attempt(client):
        barrier.wait()
        try:
            codes.append(client.post(url, content_type="application/json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(codes)


def test_a_double_clicked_submit_files_once():
    hall = make_hall()
    filing = ready(hall, hall.draft())
    assert at_once(hall.citizen, reverse("filing-submit", args=[filing.pk])) == [200, 409]
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    assert history_of(filing).filter(transition="submit").count() == 1


def test_two_resubmissions_at_once_make_one():
    hall = make_hall()
    back = returned(hall, taken(hall, submitted(hall, hall.draft())))
    assert at_once(hall.citizen, reverse("filing-resubmit", args=[back.pk])) == [201, 409]
    assert Filing.objects.filter(resubmission_of=back).count() == 1
