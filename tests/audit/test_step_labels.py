"""Every code the logs can hold reads by a label in the audit viewer and its export, never as its code:
each transition of every state graph (by its own kind's list, so that a code two kinds share reads
right for each), each step ``record_step`` writes, each row a sweep or a bulk insert writes, and each
``what`` of the disclosure log. The steps are found in the source (``ast``); a step passed as a
variable is named here with the values it takes, and a new variable one fails until it is."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django_fsm import FSMFieldMixin

from apps.audit.export import STEP_LABELS, _steps, step_labels, what_shown

APPS = Path(settings.BASE_DIR) / "apps"

# The calls that write a log row, and where their code is: a keyword, else the nth argument.
WRITERS = {
    "record_step": ("step", None),
    "record_transition": ("transition", None),
    "TransitionLog": ("transition", None),
    "_log_in_bulk": ("transition", 1),  # apps.cases.sweeps: INSERT … SELECT of escalations' rows
    "_log": ("transition", 1),  # apps.catalogue.transfer.writing: an import's rows, in bulk
}
DISCLOSERS = {"record_disclosure": ("what", None), "record_lookup": ("what", None), "Disclosure": ("what", 1)}

# Rows a writer other than ``record_step`` writes for a subject of a known kind: read by that kind's
# own list (its ``cancel`` is not another kind's).
KIND_OF_WRITER = {
    ("apps/visits/appointments.py", "record_transition"): "visits.appointment",
    ("apps/visits/appointments.py", "TransitionLog"): "visits.appointment",
    ("apps/visits/ticketing.py", "record_transition"): "visits.ticket",
    ("apps/visits/ticketing.py", "TransitionLog"): "visits.ticket",
    ("apps/cases/sweeps.py", "_log_in_bulk"): "cases.escalation",
    ("apps/catalogue/transfer/writing.py", "_log"): "catalogue.serviceitem",
}

# The steps passed as a variable, by the function passing it: the (kind, code)s it writes. The
# generic writers themselves (apps.audit) pass their caller's.
VARIABLE_STEPS = {
    ("apps/audit/services.py", "record_step"): None,
    ("apps/audit/transitions.py", "apply_transition"): None,
    # The writer's own field: its callers (``_log``) are read as writers themselves.
    ("apps/catalogue/transfer/writing.py", "_log"): None,
    # An escalation acknowledged or resolved, in the history of what it concerns.
    ("apps/cases/review/services.py", "_escalation_step"): {
        ("cases.case", "escalation_acknowledged"),
        ("cases.case", "escalation_resolved"),
        ("feedback.rectificationticket", "escalation_acknowledged"),
        ("feedback.rectificationticket", "escalation_resolved"),
    },
    # A rating given, changed within its days, or given again after its rectification.
    ("apps/feedback/services.py", "_give"): {
        ("cases.filing", "rated"),
        ("cases.filing", "rating_changed"),
        ("cases.filing", "rerated"),
    },
    # A bundle's state changed by an import: a transition of its graph (Bundle.transition_between),
    # labelled as every transition is (the first test).
    ("apps/catalogue/transfer/writing.py", "_bundles"): None,
}


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _argument(call: ast.Call, keyword: str, position: int | None):
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _literals(node) -> set[str] | None:
    """The codes a constant (or ``"a" if … else "b"``) gives; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


def _calls(writers: dict):
    """(path, enclosing function, writer, codes or None) for each call of ``writers`` in apps/."""
    for path in sorted(APPS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = str(path.relative_to(APPS.parent))
        yield from _calls_in(ast.parse(path.read_text(encoding="utf-8")), relative, "", writers)


def _calls_in(node, path: str, function: str, writers: dict):
    """The calls under ``node``, each with the name of the function (def) it is written in."""
    for child in ast.iter_child_nodes(node):
        inside = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
        if isinstance(child, ast.Call) and _name(child) in writers:
            code = _argument(child, *writers[_name(child)])
            if code is not None:
                yield path, function, _name(child), _literals(code)
        yield from _calls_in(child, path, inside, writers)


def _own(kind: str) -> dict:
    return _steps(STEP_LABELS[kind]) if kind in STEP_LABELS else {}


def _transitions() -> set[tuple[str, str]]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FSMFieldMixin):
                found |= {(model._meta.label_lower, t.name) for t in field.get_all_transitions(model)}
    return found


def test_the_source_is_read():
    """The scan finds what it looks for (a scan of nothing passes everything)."""
    found = {(path, name) for path, _f, name, _codes in _calls(WRITERS)}
    assert ("apps/visits/calling.py", "record_step") in found
    assert ("apps/cases/sweeps.py", "_log_in_bulk") in found
    assert ("apps/visits/ticketing.py", "TransitionLog") in found
    assert len(_transitions()) > 40


def test_every_transition_of_every_state_graph_reads_by_its_own_kinds_label():
    unlabelled = sorted((kind, name) for kind, name in _transitions() if name not in _own(kind))
    assert unlabelled == []


def test_every_step_written_by_name_reads_by_a_label():
    """``record_step``'s by any list (its subject's kind is not in the source); every other writer's
    (a transition written by hand, a bulk insert) by its subject's kind's own list."""
    by_hand = {
        (path, writer)
        for path, _function, writer, codes in _calls(WRITERS)
        if writer != "record_step" and codes is not None
    }
    assert by_hand - set(KIND_OF_WRITER) == set(), "a row written by hand: name its kind in KIND_OF_WRITER"
    unlabelled = set()
    for path, _function, writer, codes in _calls(WRITERS):
        kind = KIND_OF_WRITER.get((path, writer))
        labels = _own(kind) if kind else step_labels()
        unlabelled |= {(path, code) for code in codes or () if code not in labels}
    assert sorted(unlabelled) == []


def test_every_step_passed_as_a_variable_is_named_here_and_reads_by_its_kinds_label():
    variable = {(path, function) for path, function, _w, codes in _calls(WRITERS) if codes is None}
    named = set(VARIABLE_STEPS)
    assert variable - named == set(), "a step passed as a variable: name its values in VARIABLE_STEPS"
    unlabelled = sorted(
        (kind, code)
        for steps in VARIABLE_STEPS.values()
        for kind, code in steps or ()
        if code not in _own(kind)
    )
    assert unlabelled == []


def test_the_named_variable_steps_are_the_codes_their_functions_hold():
    """What VARIABLE_STEPS says a function writes is written in it (no code named here from memory)."""
    for (path, function), steps in VARIABLE_STEPS.items():
        if not steps:
            continue
        tree = ast.parse((APPS.parent / path).read_text(encoding="utf-8"))
        [body] = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == function]
        constants = {n.value for n in ast.walk(body) if isinstance(n, ast.Constant)}
        assert {code for _kind, code in steps} <= constants, (path, function)


def test_a_code_two_kinds_share_reads_by_each_ones_own_words():
    with translation.override("en"):
        assert str(step_labels("certificates.issuerequest")["cancel"]) != str(
            step_labels("licences.electroniccertificate")["cancel"]
        )
        assert str(step_labels("visits.appointment")["cancel"]) != str(
            step_labels("certificates.issuerequest")["cancel"]
        )
        assert str(step_labels("visits.ticket")["issue"]) != str(step_labels("cases.filing")["issue"])


def _unlabelled_literals_checked(writers: dict) -> set[tuple[str, str]]:
    """Asserts every literal code ``writers`` are given reads by a label; returns the (path, function)
    places that pass a variable instead, for the test to name."""
    variable = set()
    for path, function, _writer, codes in _calls(writers):
        if codes is None:
            variable.add((path, function))
            continue
        assert all(what_shown(code) != code for code in codes), (path, codes)
    return variable


def test_every_disclosure_reads_by_a_label():
    from apps.certificates.library import WHAT
    from apps.certificates.models import DocumentKind

    written = _unlabelled_literals_checked(DISCLOSERS)
    # The variable ones: a download's (apps.uploads.serving passes its caller's), a library lookup's,
    # an issued document's PDF by its kind.
    assert written == {
        ("apps/uploads/serving.py", "stored_file_response"),
        ("apps/certificates/library.py", "look_up"),
        ("apps/certificates/documents.py", "document_pdf_response"),
    }
    for code in [WHAT, *(f"{kind}_pdf" for kind in DocumentKind.values)]:
        assert what_shown(code) != code, code


def test_an_unknown_code_still_reads_as_itself():
    assert what_shown("no_such_thing") == "no_such_thing"
    assert str(step_labels().get("no_such_step", "no_such_step")) == "no_such_step"


@pytest.mark.django_db
def test_the_audit_log_page_reads_a_queue_call_and_a_raised_escalation_by_their_labels(client, settings):
    """In zh-hans: the queue ticket's ``call`` and the sweep's bulk ``raise_to_centre`` (no transition
    object: an INSERT … SELECT) read by their labels on the page and in its export, not as codes."""
    import datetime as dt
    import io

    import time_machine
    from django.urls import reverse
    from django.utils.html import escape
    from openpyxl import load_workbook

    from apps.accounts.roles import Role
    from apps.cases.codes import ESCALATION_STEPS
    from apps.cases.sweeps import run_all
    from apps.visits import calling
    from apps.visits.models.codes import QUEUE_TICKET_STEPS
    from tests.factories import DepartmentFactory, make_staff
    from tests.factories.cases import make_case
    from tests.factories.visits import make_ticket
    from tests.visits.calling_setup import CallingHall

    settings.HALL_ESCALATE_TO_CENTRE_DAYS = 2
    department = DepartmentFactory()
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):  # Thursday 10:00, Shanghai
        make_case(department=department, promised_limit_days=1)
    with time_machine.travel(dt.datetime(2026, 9, 29, 1, 0), tick=False):
        run_all()  # overdue: escalated to the department
    with time_machine.travel(dt.datetime(2026, 10, 8, 1, 0), tick=False):
        assert run_all()["escalations_raised"] == 1  # not acknowledged in 2 working days
    hall = CallingHall(centre=department.centre)
    make_ticket(hall.area)
    calling.call_next(window_id=hall.window.pk, actor=hall.clerk)

    client.force_login(make_staff(Role.SUPERVISOR, centre=department.centre))
    with translation.override("zh-hans"):
        called, raised = str(QUEUE_TICKET_STEPS["call"]), str(ESCALATION_STEPS["raise_to_centre"])
    response = client.get(reverse("desks:audit_log"))
    assert response.status_code == 200
    actions = {entry.transition: cells[2] for entry, cells in response.context["rows"]}
    assert (actions["call"], actions["raise_to_centre"]) == (called, raised)
    html = response.content.decode()
    assert escape(called) in html and escape(raised) in html
    assert ">call<" not in html and ">raise_to_centre<" not in html
    sheet = load_workbook(io.BytesIO(client.get(reverse("desks:audit_log_export")).content)).active
    exported = {line[2] for line in list(sheet.iter_rows(values_only=True))[1:]}
    assert {called, raised} <= exported and not {"call", "raise_to_centre"} & exported


PURPOSES = {
    "record_disclosure": ("purpose", None),
    "record_lookup": ("purpose", None),
    "Disclosure": ("purpose", 3),
}


def test_every_disclosures_purpose_reads_by_a_label():
    from apps.certificates.library import PURPOSE
    from apps.uploads.serving import Disclosure

    passed_on = _unlabelled_literals_checked(PURPOSES)
    # The variable ones: a download passes its Disclosure's (by default "download"), the library its own.
    assert passed_on == {
        ("apps/uploads/serving.py", "stored_file_response"),
        ("apps/certificates/library.py", "look_up"),
    }
    for code in (PURPOSE, Disclosure.__dataclass_fields__["purpose"].default):
        assert what_shown(code) != code, code
