"""A seal's state graph: in use → suspended (``suspend``) → in use (``reinstate``, only while no other
seal of its department is in use). Each move is a transition in the seal's log with the keeper's
reason; a move the graph does not have is refused with a conflict and changes nothing."""

import pytest
from django_fsm import can_proceed

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.certificates import services
from apps.certificates.models import Seal, SealStatus
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, make_staff
from tests.factories.certificates import make_seal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]


@pytest.fixture
def department(centre):
    return DepartmentFactory(centre=centre)


@pytest.fixture
def seal(department):
    return make_seal(department)


@pytest.fixture
def keeper(centre):
    return make_staff(Role.SEAL_KEEPER, centre=centre)


def set_status(seal, keeper, status, reason="理由"):
    return services.set_seal_status(seal_id=seal.pk, actor=keeper, status=status, reason=reason)


def status_of(seal) -> str:
    return Seal.objects.get(pk=seal.pk).status


def moves(seal) -> list[tuple]:
    return [(e.transition, e.from_state, e.to_state) for e in history_of(seal)]


def test_a_seal_is_suspended_and_reinstated_each_move_logged(seal, keeper):
    set_status(seal, keeper, SealStatus.SUSPENDED, "印章遗失")
    assert status_of(seal) == SealStatus.SUSPENDED
    set_status(seal, keeper, SealStatus.ACTIVE, "已找回")
    assert status_of(seal) == SealStatus.ACTIVE
    assert moves(seal) == [("suspend", "active", "suspended"), ("reinstate", "suspended", "active")]
    assert [e.comment for e in history_of(seal)] == ["印章遗失", "已找回"]


def test_a_seal_in_use_is_not_reinstated(seal, keeper):
    with pytest.raises(Conflict, match="In use"):
        set_status(seal, keeper, SealStatus.ACTIVE, "重复启用")
    seal.refresh_from_db()
    assert (seal.status, seal.status_reason, seal.status_changed_at) == (SealStatus.ACTIVE, "", None)
    assert not moves(seal)


def test_a_suspended_seal_is_not_suspended_twice(seal, keeper):
    set_status(seal, keeper, SealStatus.SUSPENDED, "送修")
    with pytest.raises(Conflict, match="Suspended"):
        set_status(seal, keeper, SealStatus.SUSPENDED, "再次暂停")
    assert Seal.objects.get(pk=seal.pk).status_reason == "送修"
    assert [m[0] for m in moves(seal)] == ["suspend"]


def test_a_seal_is_not_reinstated_while_another_of_its_department_is_in_use(department, seal, keeper):
    set_status(seal, keeper, SealStatus.SUSPENDED, "遗失")
    replacement = make_seal(department)
    # The graph's condition refuses, in its own words, before the database's constraint would.
    with pytest.raises(Conflict, match="Another seal of this department is in use"):
        set_status(seal, keeper, SealStatus.ACTIVE, "找回")
    assert status_of(seal) == SealStatus.SUSPENDED and [m[0] for m in moves(seal)] == ["suspend"]
    assert not can_proceed(Seal.objects.get(pk=seal.pk).reinstate)  # not offered either

    set_status(replacement, keeper, SealStatus.SUSPENDED, "旧章找回")
    set_status(seal, keeper, SealStatus.ACTIVE, "找回")
    assert status_of(seal) == SealStatus.ACTIVE


def test_the_status_is_set_by_the_transitions_only(seal):
    with pytest.raises(AttributeError):
        seal.status = SealStatus.SUSPENDED
