"""Two supervisors verifying one ticket at once, on PostgreSQL where the requests really run together:
one closes it, the other gets a 409 (one close in the log, one message to the applicant)."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.feedback import tickets
from apps.feedback.models import Level, RectificationTicket, TicketState
from apps.notifications.models import Outbox
from tests.factories import make_staff
from tests.factories.feedback import rating, ticket

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def at_once(requests) -> list[int]:
    """Each (client, url, body) posted at the same moment; their status codes, sorted."""
    barrier = threading.Barrier(len(requests))
    codes = []

    def attempt(client, url, body):
        barrier.wait()
        try:
            codes.append(client.post(url, body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(codes)


def test_two_supervisors_closing_at_once_close_it_once():
    bad = rating(level=Level.DISSATISFIED)
    submitted = ticket(bad, state=TicketState.SUBMITTED, cause="窗口不足", measures="增设窗口")
    clients = []
    for supervisor in (
        make_staff(Role.SUPERVISOR, centre=bad.centre),
        make_staff(Role.SUPERVISOR, centre=bad.centre, department=bad.department),
    ):
        client = APIClient()
        client.force_authenticate(supervisor)
        clients.append(client)
    url = reverse("rectification-ticket-verify", args=[submitted.pk])
    assert at_once([(client, url, {"note": "已核实"}) for client in clients]) == [200, 409]
    assert RectificationTicket.objects.get(pk=submitted.pk).state == TicketState.CLOSED
    assert TransitionLog.objects.filter(object_id=str(submitted.pk), transition="close").count() == 1
    assert Outbox.objects.filter(event=tickets.CLOSED).count() == 1
