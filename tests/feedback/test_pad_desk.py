"""The supervision desk's evaluation pads: the centre's pads, pairing one (the code shown to the
supervisor who paired it, in their session only), revoking one; another centre's pad is a 404."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.feedback import pads
from apps.feedback.models import EvaluationPad
from tests.factories import make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.feedback import pad as make_pad

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 9, 24, 4, 0, tzinfo=dt.UTC)


def test_a_supervisor_pairs_a_pad_and_is_shown_its_code_once(client, window, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("desks:pads"))
    assert page.status_code == 200 and b'data-testid="pad-pair-form"' in page.content
    assert b'aria-current="page"' in page.content  # the section tab
    with time_machine.travel(NOON, tick=False):
        response = client.post(reverse("desks:pads_pair"), {"window": window.pk, "name": "左"})
        pad = EvaluationPad.objects.get()
        assert response.status_code == 302 and response.url == reverse("desks:pads_code", args=[pad.pk])
        shown = client.get(response.url)
        code = shown.context["code"]
        assert code and code[:4].encode() in shown.content and b"/pad/pair/" in shown.content
        assert b"data:image/svg+xml;base64," in shown.content  # the QR code of the pairing page
        # Another supervisor of the centre sees the pad, never its code.
        other = make_staff(Role.SUPERVISOR, centre=window.centre)
        client.force_login(other)
        assert client.get(response.url).context["code"] is None
    with time_machine.travel(NOON + dt.timedelta(minutes=1), tick=False):
        pads.claim_pad(code=code)
        client.force_login(supervisor)
        again = client.get(response.url)
        assert again.context["code"] is None and b'data-testid="pad-code-gone"' in again.content


def test_the_list_shows_the_centres_pads_and_revokes_one(client, window, supervisor):
    mine = make_pad(window)
    theirs = make_pad()
    client.force_login(supervisor)
    page = client.get(reverse("desks:pads"))
    assert f'data-testid="pad-{mine.pk}"'.encode() in page.content
    assert f'data-testid="pad-{theirs.pk}"'.encode() not in page.content
    response = client.post(reverse("desks:pads_revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert client.post(reverse("desks:pads_revoke", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("desks:pads_code", args=[theirs.pk])).status_code == 404


def test_pairing_another_centres_window_is_refused(client, supervisor):
    elsewhere = comprehensive_window()
    client.force_login(supervisor)
    response = client.post(reverse("desks:pads_pair"), {"window": elsewhere.pk})
    assert response.status_code == 302 and response.url == reverse("desks:pads")
    assert not EvaluationPad.objects.exists()


def test_only_the_supervision_desk_opens_the_pads(client, window):
    client.force_login(make_staff(Role.CLERK, centre=window.centre, window=window))
    assert client.get(reverse("desks:pads")).status_code == 403


def test_the_list_reads_a_constant_number_of_queries(
    client, window, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    make_pad(window)
    with django_assert_max_num_queries(14) as one:
        client.get(reverse("desks:pads"))
    for _ in range(5):
        make_pad(comprehensive_window(window.centre))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("desks:pads"))


def test_a_lapsed_code_is_replaced_by_a_new_one(client, window, supervisor):
    client.force_login(supervisor)
    with time_machine.travel(NOON, tick=False):
        client.post(reverse("desks:pads_pair"), {"window": window.pk})
        pad = EvaluationPad.objects.get()
        first = client.get(reverse("desks:pads_code", args=[pad.pk])).context["code"]
    with time_machine.travel(NOON + dt.timedelta(minutes=20), tick=False):
        page = client.get(reverse("desks:pads"))
        assert b'data-testid="pad-renew"' in page.content
        response = client.post(reverse("desks:pads_renew", args=[pad.pk]))
        assert response.url == reverse("desks:pads_code", args=[pad.pk])
        second = client.get(response.url).context["code"]
        assert second and second != first
        with pytest.raises(ValidationError):
            pads.claim_pad(code=first)
        assert pads.claim_pad(code=second)[0].pk == pad.pk
        # In use now: no new code for it (said on the desk).
        refused = client.post(reverse("desks:pads_renew", args=[pad.pk]))
        assert refused.url == reverse("desks:pads")
    assert EvaluationPad.objects.count() == 1
