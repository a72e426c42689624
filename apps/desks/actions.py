"""One way for a desk to run what a page posted: the action's form, then its service.

Each desk keeps a table ``{action name: Action(form, service, done, then, place)}``. ``dispatch`` looks up
the name the address carries, binds the action's form to what was posted (and to the ids of the
address, which are checked like any posted field) and to the object on the page; a form that does
not validate is said field by field — "Reason: at most 300 characters" — as messages on the page the
clerk comes back to. A name that is a transition of the object must then be one the object's graph
offers this user now (what the page offered), else it is refused in the words of the rule that
refuses it and nothing is done. A valid form's ``arguments()`` go to the service with who acts
(``context``); the service's refusals — a broken rule, no right to act, the wrong state — are
worded by ``error_text`` the same way. Nothing a clerk posts reaches the database unchecked, and
nothing they can post is a 500.

What the clerk is told names what happened: an action's ``done`` may be made from the service's
result (``FromResult``: "Accepted: acceptance notice No. … issued"), and an action with a ``place``
has its messages shown there and brings the clerk back to it, not to the page's top. A page that
answers in place (htmx) calls ``run`` and shows the ``Outcome`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, resolve_url
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.transitions import refusal
from apps.core.errors import Conflict, error_text
from apps.desks.forms.base import DeskForm

DONE = gettext_lazy("Done.")


class FromResult(NamedTuple):
    """What the clerk is told, made from what the service returned — naming what happened ("Accepted:
    acceptance notice No. … issued") where the form alone cannot (the notice's number is the
    service's)."""

    make: Callable[[object], str]


class Action(NamedTuple):
    form: type[DeskForm]
    service: Callable
    # What the clerk is told when it worked: a text, one made from the valid form (a callable over
    # it), or one made from the service's result (``FromResult``); None: nothing.
    done: object = DONE
    # Where the clerk goes when it worked (a URL name); else back to the page it was posted from.
    then: str | None = None
    # Where on the page its messages belong (an element's id): they carry the tag ``at-<place>`` for
    # the page to show them there, and the clerk comes back to ``#<place>``, not the page's top.
    place: str | None = None


class Outcome(NamedTuple):
    """What ``run`` made of a post: the bound form, the service's result, and what went wrong (lines
    to show, each naming its field), or what the clerk is told it did."""

    form: DeskForm
    result: object = None
    errors: tuple[str, ...] = ()
    done: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _told(action: Action, form: DeskForm, result) -> str | None:
    done = action.done
    if isinstance(done, FromResult):
        return done.make(result)
    return done(form) if callable(done) else done


def problems(form: DeskForm) -> list[str]:
    """Each error of ``form`` as one line naming its field (an error of the whole form as it is)."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is None or field.label is None:
                lines.append(str(error))
            else:
                lines.append(_("%(field)s: %(error)s") % {"field": capfirst(field.label), "error": error})
    return lines


def dispatch(request, table: Mapping[str, Action], name: str, **kwargs):
    """Run the action ``name`` of ``table`` (see ``perform``); a name the table does not have is no
    action of the page: said so, naming it."""
    action = table.get(name)
    if action is None:
        messages.error(
            request,
            _("%(field)s: %(error)s")
            % {
                "field": _("Action"),
                "error": _("“%(action)s” is not one of this page's actions.") % {"action": name[:60]},
            },
        )
        return redirect(kwargs["back"])
    return perform(request, action, offered=name, **kwargs)


def _not_offered(request, obj, name: str) -> str | None:
    """Why an action named after a transition of ``obj`` is not one the page may offer now, or None.

    The page offered the object's available user transitions when it was drawn; a post is checked
    against them again, so that a stale page or a hand-made post never reaches a service that might
    do something else (another transition) in its name. Worded by the rule that refuses it, as the
    service would word it ("Not possible now: it is approved.")."""
    if getattr(getattr(type(obj), name, None), "_django_fsm", None) is None:
        return None  # not a transition: an action of the page's own (an opinion, an extension …)
    refused = refusal(obj, name, actor=request.user)
    if refused is None:
        return None
    return error_text(refused) or _("You may not do this.")


def run(
    request,
    action: Action,
    *,
    obj,
    context: dict,
    address: Mapping | None = None,
    offered: str | None = None,
) -> Outcome:
    """Bind ``action``'s form to the post, the ids of the ``address`` and ``obj``; if it is valid —
    and, if it is named after one of ``obj``'s transitions (``offered``), that transition is still
    offered to the user — call the service with ``context`` (who acts, on which object) and the
    form's ``arguments()``. Nothing is said yet: a page that answers in place (htmx) shows the
    outcome where it belongs; ``perform`` says it as messages."""
    data = request.POST.copy()
    for field, value in (address or {}).items():
        data[field] = str(value)  # the address's id wins over a posted field of the same name
    form = action.form(data, request.FILES or None, obj=obj)
    if not form.is_valid():
        return Outcome(form, errors=tuple(problems(form)))
    refused = _not_offered(request, obj, offered) if offered else None
    if refused is not None:
        return Outcome(form, errors=(refused,))
    try:
        result = action.service(**context, **form.arguments())
    except (ValidationError, Conflict, PermissionDenied) as error:
        # A bare PermissionDenied has no words of its own: the clerk is told all the same.
        return Outcome(form, errors=(error_text(error) or _("You may not do this."),))
    return Outcome(form, result, done=_told(action, form, result))


def tell(request, action: Action, outcome: Outcome) -> None:
    """The outcome as messages, tagged with the action's place on the page (if it has one)."""
    tags = f"at-{action.place}" if action.place else ""
    for line in outcome.errors:
        messages.error(request, line, extra_tags=tags)
    if outcome.ok and outcome.done:
        messages.success(request, outcome.done, extra_tags=tags)


def perform(
    request,
    action: Action,
    *,
    obj,
    context: dict,
    back: str,
    address: Mapping | None = None,
    offered: str | None = None,
):
    """``run`` the action, say its outcome (``tell``), and go back to ``back`` (a URL) with what went
    wrong, or on to ``action.then`` with ``action.done`` — at the action's place on the page."""
    outcome = run(request, action, obj=obj, context=context, address=address, offered=offered)
    tell(request, action, outcome)
    target = action.then if outcome.ok and action.then else back
    return redirect(resolve_url(target) + (f"#{action.place}" if action.place else ""))
