"""What a desk's form posted, read within bounds.

A text longer than its column takes (``apps.audit.input_limits``) is refused with a
``ValidationError`` naming the field, which the desks show like any other refused rule — before any
database sees it (PostgreSQL would refuse it with an error, SQLite would store it).

Ids come in field names (``reason_<material id>``) and in addresses (``<int:material_id>``). The
desk's own pages only ever send ids there; anything else was made up, and is refused as such (a 400
naming the field, a 404 for an address) rather than failing deeper down.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.audit.input_limits import MAX_ID, text_limit


def checked_text(value: str, *, name: str, model, field: str) -> str:
    """``value`` if ``model.field`` takes it; otherwise a ValidationError for ``name`` that says the
    field and the limit."""
    try:
        MaxLengthValidator(text_limit(model, field))(value)
    except ValidationError as error:
        label = capfirst(model._meta.get_field(field).verbose_name)
        raise ValidationError(
            {name: _("%(field)s: %(error)s") % {"field": label, "error": error.messages[0]}}
        ) from None
    return value


def posted_text(post, name: str, model, field: str | None = None) -> str:
    """The text posted as ``name`` ("" if none), within the column ``model.field`` (``name`` unless said)."""
    return checked_text(post.get(name, ""), name=name, model=model, field=field or name)


def whole_number(text: str | None) -> int | None:
    """A whole number typed or posted (0 to ``MAX_ID``: no key is larger), or None for anything else."""
    if text and text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID)) and int(text) <= MAX_ID:
        return int(text)
    return None


def ids_in_names(post, prefix: str) -> list[tuple[int, str, str]]:
    """(id, name, value) of each field named ``prefix`` + an id (``reason_12``) that has a value. A
    name with anything else after the prefix is not one the desk's form makes: a 400."""
    found = []
    for name, value in post.items():
        if not name.startswith(prefix) or not value.strip():
            continue
        key = whole_number(name.removeprefix(prefix))
        if not key:
            raise BadRequest(
                _("The form was changed before it was sent: “%(name)s” is not one of its fields.")
                % {"name": name[:60]}
            )
        found.append((key, name, value))
    return found


def address_id(value: int) -> int:
    """An id from the address (``<int:…>``), or a 404: a number larger than any key is no id."""
    if not 0 < value <= MAX_ID:
        raise Http404
    return value
