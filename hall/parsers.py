"""The API's JSON parser, with limits: no body larger than Django's limit for a request's data, no
structure nested deeper than the portal's bodies ever are, and no text PostgreSQL cannot store.

DRF's own parser hands the body to ``json.load``: a body nested ten thousand levels deep raises a
RecursionError (a 500), and a ``\\u0000`` or a lone surrogate (``\\ud800``) in a key or a value is
decoded into a string that the database refuses or cannot encode (another 500). Here each is a 400
``ParseError`` saying what is wrong, before any view sees the data.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# Arrays and objects within arrays and objects: the deepest body the API takes is three levels
# (a list of materials, each an object); 32 leaves room and refuses what no client needs.
MAX_DEPTH = 32
# NUL, and UTF-16 surrogates, which a JSON "\\uXXXX" escape can produce unpaired.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise ParseError(
                _("The request body is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                code="body_too_large",
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(
                body.decode(encoding), parse_constant=json.strict_constant if self.strict else None
            )
        except RecursionError:
            raise ParseError(_nested_too_deeply(), code="nested_too_deeply") from None
        except ValueError as error:  # UnicodeDecodeError included
            raise ParseError(_("The request body is not valid JSON: %(error)s") % {"error": error}) from None
        check_structure(data)
        return data


def _nested_too_deeply() -> str:
    return _("The request body is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}


def check_structure(data) -> None:
    """Walk the parsed body without recursion: its depth, and every key and string in it."""
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise ParseError(_nested_too_deeply(), code="nested_too_deeply")
            if isinstance(value, dict):
                for key, item in value.items():
                    _check_text(key)
                    pending.append((item, depth + 1))
            else:
                pending.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    found = UNSTORABLE.search(text)
    if found is None:
        return
    if found.group() == "\x00":
        raise ParseError(
            _("The request holds a NUL character (\\0), which no text may contain."),
            code="nul_character",
        )
    raise ParseError(
        _("The request body holds an unpaired surrogate (\\ud800–\\udfff), which is no character."),
        code="invalid_character",
    )
