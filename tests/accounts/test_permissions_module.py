"""Roles and permissions are named in one place each: ``Role`` (apps/accounts/roles.py) and ``Perm``
(apps/accounts/permissions.py). These tests read the source of apps/ and hall/ (migrations aside: they
freeze what they need) and fail on a role's code or a permission written as a string anywhere else.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from apps.accounts.permissions import Perm
from apps.accounts.roles import ROLE_PERMISSIONS, Role

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("apps", "hall")
ROLES_MODULE = "apps/accounts/roles.py"
PERMISSIONS_MODULE = "apps/accounts/permissions.py"

# Words that are a role's code by chance and mean something else where they stand. Each is allowed in
# one file only, and only outside a role's place (see ``in_role_position``): a ``role=`` argument, a
# comparison with a role, a role table, ``holds_role(...)`` and the like fail even here.
NOT_A_ROLE = {
    "apps/accounts/password_validation.py": {
        "clerk": "words a password may not be built on (the demo logins)",
        "approver": "the same",
        "issuer": "the same",
        "supervisor": "the same",
        "citizen": "the same",
    },
    "apps/cases/models/filing.py": {
        "citizen": "the filing's citizen account (a column of an index)",
        "clerk": "a placeholder of a translated message, %(clerk)s",
        "assistant": "the filing's assistant (帮办代办): its label and a column of an index",
    },
    "apps/cases/notices/content.py": {"clerk": "the notice's content: the clerk who handled the filing"},
    "apps/cases/notices/rendering.py": {
        "clerk": "the notice's content key and its label",
        "issuer": "the issuing centre's paragraph style",
    },
    "apps/cases/services.py": {"clerk": "a placeholder of a translated message, %(clerk)s"},
    "apps/certificates/admin.py": {"issuer": "SealUse.issuer: who asked for the seal"},
    "apps/certificates/api/serializers.py": {"issuer": "the issuing authority (发证机关), an API field"},
    "apps/certificates/content.py": {"issuer": "the issuing authority (发证机关) a document names"},
    "apps/certificates/models.py": {"issuer": "SealUse.issuer's verbose name"},
    "apps/certificates/rendering.py": {"issuer": "the issuing authority (发证机关) a document names"},
    "apps/certificates/selectors.py": {"issuer": "SealUse.issuer, read with the seal's uses"},
    "apps/certificates/verification.py": {"issuer": "the issuing authority a verification shows"},
    "apps/licences/models.py": {"issuer": "a licence's issuing authority (a field's verbose name)"},
    "apps/visits/models/appointments.py": {
        "citizen": "the booking's and the suspension's account: its label and a column of an index",
    },
}

ROLE_FUNCTIONS = {
    "holds_role",
    "centres_where",
    "departments_where",
    "window_at",
    "group_name",
    "assign_role",
    "Role",
}


def _sources():
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path.read_text(encoding="utf-8")


def _strings(source: str):
    """(node, parents) for every string constant of ``source``."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node, parents


def _mentions_role(node) -> bool:
    return "role" in ast.unparse(node).lower()


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def in_role_position(node, parents) -> bool:
    """Whether the string stands where a role goes: an argument named for a role (``role=``,
    ``role__in=``, ``memberships__role=``), a role-taking function's argument, one side of a comparison
    with a role, a value given to a name or key that says role, or an element of any of these."""
    child, parent = node, parents.get(node)
    while isinstance(parent, (ast.Tuple, ast.List, ast.Set, ast.Starred)):
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.keyword):
        return bool(parent.arg) and "role" in parent.arg.lower()
    if isinstance(parent, ast.Call):
        return child in parent.args and _called(parent) in ROLE_FUNCTIONS
    if isinstance(parent, ast.Compare):
        return any(_mentions_role(side) for side in (parent.left, *parent.comparators) if side is not child)
    if isinstance(parent, ast.Assign):
        return any(_mentions_role(target) for target in parent.targets)
    if isinstance(parent, (ast.AnnAssign, ast.AugAssign)):
        return _mentions_role(parent.target)
    if isinstance(parent, ast.Subscript):
        return _mentions_role(parent.value)
    if isinstance(parent, ast.Dict):
        holder = parents.get(parent)
        return isinstance(holder, ast.Assign) and any(_mentions_role(t) for t in holder.targets)
    return False


def role_strings(relative: str, source: str, allowed: dict[str, str]) -> list[str]:
    """The strings of ``source`` that spell a role's code, other than those ``allowed`` (by value)
    where they do not stand in a role's place."""
    codes = {role.value for role in Role}
    found = []
    for node, parents in _strings(source):
        if node.value not in codes:
            continue
        if node.value in allowed and not in_role_position(node, parents):
            continue
        found.append(f"{relative}:{node.lineno}: {node.value!r}")
    return found


def defined_permissions() -> set[str]:
    """Every permission the installed models define, as ``has_perm`` spells it."""
    names = set()
    for model in django_apps.get_models():
        opts = model._meta
        names.update(f"{opts.app_label}.{action}_{opts.model_name}" for action in opts.default_permissions)
        names.update(f"{opts.app_label}.{codename}" for codename, _label in opts.permissions)
    return names


# --- roles -------------------------------------------------------------------------------------------


def test_no_role_is_spelled_as_a_string_outside_the_enum():
    found = []
    for relative, source in _sources():
        if relative != ROLES_MODULE:
            found += role_strings(relative, source, NOT_A_ROLE.get(relative, {}))
    assert not found, "use apps.accounts.roles.Role instead of these strings:\n" + "\n".join(found)


def test_every_exception_is_still_there():
    """An exception whose word has left its file goes from NOT_A_ROLE too (the list stays short)."""
    stale = []
    for relative, words in NOT_A_ROLE.items():
        source = (ROOT / relative).read_text(encoding="utf-8")
        present = {node.value for node, _parents in _strings(source)}
        stale += [f"{relative}: {word!r}" for word in words if word not in present]
    assert not stale, "remove these from NOT_A_ROLE:\n" + "\n".join(stale)


@pytest.mark.parametrize(
    "source",
    [
        'StaffMembership.objects.filter(user=user, role="supervisor")',
        'memberships.filter(memberships__role__in=["clerk", "approver"])',
        'holds_role(user, "decision_maker", department_id=1)',
        'if membership.role == "issuer": pass',
        'DESK_ROLES = ("issuer", "seal_keeper")',
        'ROLE_PERMISSIONS["clerk"]',
        'ROLE_GROUPS = {"citizen": 1}',
        'CLERK = "clerk"',
    ],
)
def test_the_check_finds_a_role_written_as_a_string(source):
    """Everywhere, and in a role's place even in a file allowed the word."""
    assert role_strings("x.py", source, allowed={})
    if "CLERK" not in source:  # a bare constant is allowed where the word means something else
        assert role_strings("x.py", source, allowed={role.value: "" for role in Role})


def test_the_check_lets_an_allowed_word_mean_something_else():
    source = 'content["issuer"]\nuses.select_related("issuer")\n_("%(clerk)s") % {"clerk": name}'
    assert role_strings("x.py", source, allowed={"issuer": "", "clerk": ""}) == []
    assert len(role_strings("x.py", source, allowed={})) == 3


# --- permissions ---------------------------------------------------------------------------------------


def test_each_named_permission_exists_and_is_named_for_its_codename():
    defined = defined_permissions()
    assert {p.value for p in Perm} <= defined, {p.value for p in Perm} - defined
    for permission in Perm:
        assert permission.name == permission.codename.upper(), permission


def test_every_role_gets_permissions_that_exist():
    defined = defined_permissions()
    for role in Role:
        missing = set(ROLE_PERMISSIONS[role]) - defined
        assert not missing, (role, missing)


def test_no_permission_is_spelled_as_a_string_outside_the_module():
    defined = defined_permissions()
    found = [
        f"{relative}:{node.lineno}: {node.value!r}"
        for relative, source in _sources()
        if relative != PERMISSIONS_MODULE
        for node, _parents in _strings(source)
        if node.value in defined
    ]
    assert not found, "use apps.accounts.permissions.Perm instead of these strings:\n" + "\n".join(found)


def test_the_permission_check_finds_a_string():
    defined = defined_permissions()
    source = '@permission_required("ops.view_jobrun")\ndef f(): user.has_perm("accounts.use_intake_desk")'
    assert [node.value for node, _parents in _strings(source) if node.value in defined] == [
        "ops.view_jobrun",
        "accounts.use_intake_desk",
    ]


def test_a_named_permission_is_what_has_perm_takes(django_user_model, db):
    """``Perm`` members are strings: Django's permission checks take them as they are."""
    from tests.factories import make_staff

    clerk = make_staff(Role.CLERK)
    assert clerk.has_perm(Perm.USE_INTAKE_DESK)
    assert clerk.has_perms([Perm.USE_INTAKE_DESK])
    assert not clerk.has_perm(Perm.USE_BACKOFFICE_DESK)
