"""An issue request's (用印申请) state graph: pending → confirmed (the seal keeper issues) or pending →
cancelled (the issuer who asked, or a seal keeper, withdraws it); both are final. Each move is a
transition in the request's own log; a cancelled or confirmed request is neither confirmed nor
cancelled, and the refusal changes nothing."""

import datetime as dt

import pytest
import time_machine

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.certificates import services
from apps.certificates.models import IssuedDocument, IssueRequest, RequestState
from apps.core.errors import Conflict
from tests.factories import make_staff
from tests.factories.certificates import keeper_for, ready_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

TODAY = dt.datetime(2026, 9, 24, 2, 0)


@pytest.fixture
def asked():
    """A pending request for a filing ready for issue, and the issuer who asked."""
    with time_machine.travel(TODAY, tick=False):
        filing = ready_filing()
        issuer = make_staff(Role.ISSUER, centre=filing.centre)
        return services.request_issue(filing_id=filing.pk, actor=issuer), issuer


def fresh(request) -> IssueRequest:
    return IssueRequest.objects.get(pk=request.pk)


def moves(request) -> list[tuple]:
    return [(e.transition, e.from_state, e.to_state, e.actor) for e in history_of(request)]


@time_machine.travel(TODAY, tick=False)
def test_confirming_moves_the_request_to_confirmed_and_logs_it(asked):
    request, _issuer = asked
    keeper = keeper_for(request.filing)
    services.confirm_issue(request_id=request.pk, actor=keeper, client_ip="192.0.2.4")
    assert (fresh(request).state, fresh(request).decided_by) == (RequestState.CONFIRMED, keeper)
    assert moves(request) == [("confirm", "pending", "confirmed", keeper)]
    assert history_of(request).get().client_ip == "192.0.2.4"


@time_machine.travel(TODAY, tick=False)
def test_cancelling_moves_the_request_to_cancelled_and_logs_it_with_the_reason(asked):
    request, issuer = asked
    services.cancel_request(request_id=request.pk, actor=issuer, reason="申请人改期领取")
    assert fresh(request).state == RequestState.CANCELLED
    assert moves(request) == [("cancel", "pending", "cancelled", issuer)]
    assert history_of(request).get().comment == "申请人改期领取"


@time_machine.travel(TODAY, tick=False)
def test_a_cancelled_request_is_not_confirmed(asked):
    request, issuer = asked
    services.cancel_request(request_id=request.pk, actor=issuer, reason="材料有误")
    with pytest.raises(Conflict, match="Cancelled"):
        services.confirm_issue(request_id=request.pk, actor=keeper_for(request.filing))
    assert fresh(request).state == RequestState.CANCELLED and not IssuedDocument.objects.exists()
    assert [m[0] for m in moves(request)] == ["cancel"]


@time_machine.travel(TODAY, tick=False)
def test_a_cancelled_request_is_not_cancelled_twice(asked):
    request, issuer = asked
    services.cancel_request(request_id=request.pk, actor=issuer, reason="材料有误")
    with pytest.raises(Conflict, match="Cancelled"):
        services.cancel_request(request_id=request.pk, actor=issuer, reason="再次取消")
    assert fresh(request).note == "材料有误"
    assert [m[0] for m in moves(request)] == ["cancel"]


@time_machine.travel(TODAY, tick=False)
def test_a_confirmed_request_is_neither_cancelled_nor_confirmed_again(asked):
    request, issuer = asked
    keeper = keeper_for(request.filing)
    services.confirm_issue(request_id=request.pk, actor=keeper)
    with pytest.raises(Conflict, match="Confirmed"):
        services.cancel_request(request_id=request.pk, actor=keeper, reason="撤回")
    with pytest.raises(Conflict, match="Confirmed"):
        services.confirm_issue(request_id=request.pk, actor=keeper_for(request.filing))
    assert fresh(request).state == RequestState.CONFIRMED and IssuedDocument.objects.count() == 1
    assert [m[0] for m in moves(request)] == ["confirm"]


def test_the_state_is_set_by_the_transitions_only(asked):
    request, _issuer = asked
    with pytest.raises(AttributeError):
        request.state = RequestState.CONFIRMED
