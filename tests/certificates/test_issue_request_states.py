"""An issue request's (用印申请) state graph: pending → confirmed (the seal keeper issues) or pending →
cancelled (the issuer who asked, or a seal keeper, withdraws it); both are final. Each move is a
transition in the request's own log; a cancelled or confirmed request is neither confirmed nor
cancelled, and the refusal changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.audit.transitions import check_transition
from apps.certificates import services
from apps.certificates.models import IssuedDocument, IssueRequest, RequestState
from apps.core.errors import Conflict
from tests.factories import ServiceCentreFactory, make_staff
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


# --- who may move it: the transitions' permissions (双人用印), offered and refused alike -----------


def offered(request, user) -> set[str]:
    return {t.name for t in fresh(request).get_available_user_state_transitions(user)}


@time_machine.travel(TODAY, tick=False)
def test_the_graph_offers_confirm_to_a_seal_keeper_of_the_centre_who_did_not_ask(asked):
    request, issuer = asked
    assert offered(request, keeper_for(request.filing)) == {"confirm", "cancel"}
    assert offered(request, issuer) == {"cancel"}  # whoever asked may withdraw, never confirm
    assert offered(request, make_staff(Role.ISSUER, centre=request.filing.centre)) == set()
    elsewhere = make_staff(Role.SEAL_KEEPER, centre=ServiceCentreFactory())
    assert offered(request, elsewhere) == set()


@time_machine.travel(TODAY, tick=False)
def test_a_seal_keeper_who_asked_is_offered_only_the_cancellation_and_refused_in_the_rules_words():
    filing = ready_filing()
    keeper = keeper_for(filing)
    request = services.request_issue(filing_id=filing.pk, actor=keeper)
    assert offered(request, keeper) == {"cancel"}
    with pytest.raises(PermissionDenied, match="Dual control"):
        check_transition(fresh(request), "confirm", actor=keeper)


@time_machine.travel(TODAY, tick=False)
def test_the_refusals_are_the_graphs_words(asked):
    request, _issuer = asked
    other_issuer = make_staff(Role.ISSUER, centre=request.filing.centre)
    with pytest.raises(PermissionDenied, match="Only a seal keeper of this filing's service centre"):
        check_transition(fresh(request), "confirm", actor=other_issuer)
    with pytest.raises(PermissionDenied, match="Only the issuer who asked or a seal keeper"):
        check_transition(fresh(request), "cancel", actor=other_issuer)
    # The services refuse by the same rules, and nothing moves.
    with pytest.raises(PermissionDenied, match="Only a seal keeper of this filing's service centre"):
        services.confirm_issue(request_id=request.pk, actor=other_issuer)
    with pytest.raises(PermissionDenied, match="Only the issuer who asked or a seal keeper"):
        services.cancel_request(request_id=request.pk, actor=other_issuer, reason="不是我的")
    assert fresh(request).state == RequestState.PENDING and moves(request) == []
