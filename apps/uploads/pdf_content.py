"""Finding active content in a PDF by reading its structure, without rendering or running anything.

A PDF reader acts on names in dictionaries: ``/OpenAction`` and ``/AA`` (actions run on opening, on
a page or field event), ``/JavaScript`` and ``/JS`` (scripts), ``/Launch`` (start a program),
``/EmbeddedFile(s)`` and ``/GoToE`` (files carried inside), ``/RichMedia`` (Flash and video),
``/XFA`` (scripted forms). A document a citizen uploads needs none of them, so a PDF naming any is
refused. Names are compared decoded (``/J#61vaScript`` is ``/JavaScript``).

Three passes, each bounded:

1. A tokenizer reads the file as a reader would: comments, strings and stream data are skipped,
   every name is decoded and looked up. Streams that hold objects (object streams: ``/Type
   /ObjStm``, or anything with ``/First`` that a reader could be pointed at as one) are decoded —
   FlateDecode, ASCIIHex, ASCII85, up to ``INFLATE_LIMIT`` bytes in all — and tokenized the same
   way. An object stream that cannot be decoded (encrypted, another filter, damaged) cannot be
   checked, and is refused as such.
2. A reader finds objects by the offsets in the cross-reference table, which may point into what
   the tokenizer took for a string or stream data. So the raw bytes are searched as well: the long
   names above (``STRONG``) are refused wherever they appear, and an object-stream name the
   tokenizer did not see as a name means an object stream hidden from it, also refused.
3. The same two passes run on each decoded object stream.

``/JS`` and ``/AA`` are looked up by the tokenizer only: three bytes turn up by chance in binary
data, and a script action is also named by its type ``/S /JavaScript``, which the raw search finds.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

FORBIDDEN = frozenset(
    {
        "JavaScript",
        "JS",
        "OpenAction",
        "AA",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "GoToE",
        "RichMedia",
        "XFA",
    }
)
STRONG = FORBIDDEN - {"JS", "AA", "OpenAction"}
# Names of an object stream's dictionary: legitimate where the tokenizer reads them, a hidden object
# stream anywhere else.
OBJECT_STREAM_NAMES = frozenset({"ObjStm", "First"})

INFLATE_LIMIT = 64 * 2**20  # decoded object-stream bytes, all streams of a file together
TOKEN_LIMIT = 4_000_000  # tokens outside stream data (a 20 MB file of nothing but names has fewer)
NESTING_LIMIT = 4  # object streams found inside decoded object streams
STREAM_DICT_TOKENS = 4096  # a stream's dictionary longer than this is not a PDF's

_WHITE = rb"\x00\t\n\x0c\r "
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_TOKEN = re.compile(
    rb"(?P<white>[\x00\t\n\x0c\r ]+)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<name>/" + _REGULAR + rb"*)"
    rb"|(?P<dict_open><<)"
    rb"|(?P<dict_close>>>)"
    rb"|(?P<hex><[^<>]*>)"
    rb"|(?P<string>\()"
    rb"|(?P<bracket>[\[\]{}])"
    rb"|(?P<regular>" + _REGULAR + rb"+)"
    rb"|(?P<stray>[<>)])"
)
_STRING_SPECIAL = re.compile(rb"[()\\]")
_RAW_NAME = re.compile(rb"/" + _REGULAR + rb"{2,64}")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_INTEGER = re.compile(rb"[+-]?\d+")


class Unreadable(Exception):
    """The PDF cannot be checked; ``reason`` says why (a translatable message)."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def decode_name(raw: bytes) -> str:
    """A name token's text (without the slash), ``#xx`` escapes decoded."""
    if b"#" in raw:
        raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("latin-1")


def _forbidden(name: str) -> bool:
    return name in FORBIDDEN or name.startswith("RichMedia")


def _strong(name: str) -> bool:
    return name in STRONG or name.startswith("RichMedia")


@dataclass
class _Scan:
    found: set[str] = field(default_factory=set)
    inflated: int = 0
    tokens: int = 0
    # Object number → what it is: "array", ("action", its /S type or None), "other".
    objects: dict[int, object] = field(default_factory=dict)
    # The values of /OpenAction: "array", ("action", type), ("ref", object number), "other".
    open_actions: list[object] = field(default_factory=list)


def active_content(data: bytes) -> list[str]:
    """The active-content names (``/JavaScript`` …) the PDF ``data`` holds, sorted; empty when none.
    Raises ``Unreadable`` when part of it cannot be checked."""
    scan = _Scan()
    _scan_buffer(data, scan, nesting=0, objects_at={})
    if not all(_harmless_opening(value, scan) for value in scan.open_actions):
        scan.found.add("OpenAction")
    return sorted(f"/{name}" for name in scan.found)


def _harmless_opening(value, scan: _Scan) -> bool:
    """/OpenAction naming where to open — a destination (an array: "page 1, fit the width", as LaTeX
    and office suites write it) or a /GoTo action to one — is no active content; any other action
    (a web address, a form submission, a script …) is, and so is a reference we cannot follow."""
    if isinstance(value, tuple) and value[0] == "ref":
        value = scan.objects.get(value[1])
    return value in ("array", "other", ("action", "GoTo"))


def _scan_buffer(data: bytes, scan: _Scan, *, nesting: int, objects_at: dict[int, int]) -> None:
    name_positions = _Tokenizer(data, scan, nesting, objects_at).run()
    for match in _RAW_NAME.finditer(data):
        name = decode_name(match.group()[1:])
        if _strong(name):
            scan.found.add(name)
        elif name in OBJECT_STREAM_NAMES and match.start() not in name_positions:
            raise Unreadable(_("an object stream is hidden inside other data"))


class _Tokenizer:
    """Reads a buffer token by token: notes forbidden names, what each numbered object is and the
    values of ``/OpenAction``, and decodes object streams. ``objects_at`` maps the offsets where an
    object stream's objects start to their numbers (a file's own objects are numbered by
    ``12 0 obj``)."""

    def __init__(self, data: bytes, scan: _Scan, nesting: int, objects_at: dict[int, int]):
        self.data, self.scan, self.nesting, self.objects_at = data, scan, nesting, objects_at
        self.name_positions: set[int] = set()  # where the names of object-stream dictionaries stand
        self.dicts: list[dict] = []  # the dictionaries open: their /S type and what they are the value of
        self.current: list | None = None  # tokens of the top-level dictionary being read
        self.last_dict: list | None = None  # the top-level dictionary just closed
        self.recent: list[bytes] = []  # the last two top-level tokens (``12 0`` before ``obj``)
        self.value_of = None  # what the next token is the value of: ("object", n), "open_action"
        self.previous = None  # the previous token (a name /S is followed by the action's type)

    def run(self) -> set[int]:
        data, pos, end = self.data, 0, len(self.data)
        while pos < end:
            match = _TOKEN.match(data, pos)
            kind, start, pos = match.lastgroup, match.start(), match.end()
            if kind in ("white", "comment"):
                continue
            self.scan.tokens += 1
            if self.scan.tokens > TOKEN_LIMIT:
                raise Unreadable(_("it has too many parts to check"))
            value = match.group()
            if kind == "string":
                pos = _skip_string(data, pos)
            elif kind == "name":
                value = decode_name(value[1:])
            if not self.dicts and start in self.objects_at:
                self.value_of = ("object", self.objects_at[start])
            if kind == "regular" and value == b"stream" and not self.dicts:
                pos = _stream(data, pos, self.last_dict, self.scan, nesting=self.nesting)
                self.last_dict = self.value_of = None
                continue
            self._token(kind, value, start)
            self.previous = (kind, value)
        return self.name_positions

    def _token(self, kind: str, value, start: int) -> None:
        value_of, self.value_of = self.value_of, None
        if kind == "dict_open":
            self.dicts.append({"type": None, "value_of": value_of})
            if len(self.dicts) == 1:
                self.current = []
            return
        if kind == "dict_close":
            if self.dicts:
                self._close(self.dicts.pop())
                if not self.dicts:
                    self.last_dict, self.current = self.current, None
            return
        if value_of is not None:
            self._record(value_of, _value_kind(kind, value))
        if kind == "name":
            self._name(value, start)
        if not self.dicts:
            self._top_level(kind, value)
        elif self.current is not None and len(self.current) <= STREAM_DICT_TOKENS:
            self.current.append((len(self.dicts), kind, value))

    def _name(self, name: str, start: int) -> None:
        if _forbidden(name) and name != "OpenAction":  # an opening is judged by its value
            self.scan.found.add(name)
        if name in OBJECT_STREAM_NAMES:
            self.name_positions.add(start)
        if name == "OpenAction":
            self.value_of = "open_action"
        elif self.dicts and self.previous == ("name", "S"):
            self.dicts[-1]["type"] = name

    def _top_level(self, kind: str, value) -> None:
        self.last_dict = None
        numbered = len(self.recent) == 2 and all(_INTEGER.fullmatch(token) for token in self.recent)
        if kind == "regular" and value == b"obj" and numbered:
            self.value_of = ("object", int(self.recent[0]))
        self.recent = (self.recent + [value])[-2:] if kind == "regular" else []

    def _close(self, closed: dict) -> None:
        if closed["value_of"] is not None:
            self._record(closed["value_of"], ("action", closed["type"]))

    def _record(self, value_of, what) -> None:
        """Note what an object or an opening action is; a number after /OpenAction starts a reference
        (``12 0 R``), whose number is noted as the opening."""
        if value_of == "open_action":
            self.scan.open_actions.append(what)
        else:
            self.scan.objects[value_of[1]] = "other" if isinstance(what, tuple) and what[0] == "ref" else what


def _value_kind(kind: str, value):
    if kind == "bracket" and value == b"[":
        return "array"
    if kind == "regular" and _INTEGER.fullmatch(value):
        return ("ref", int(value))  # ``12 0 R``: the generation and ``R`` follow
    return "other"


def _skip_string(data: bytes, pos: int) -> int:
    """The position after the literal string whose ``(`` ends before ``pos`` (nested parentheses
    balance; a backslash escapes the next byte)."""
    level = 1
    while True:
        special = _STRING_SPECIAL.search(data, pos)
        if special is None:
            raise Unreadable(_("a string has no end"))
        char, pos = data[special.start()], special.start() + 1
        if char == 0x5C:  # backslash
            pos += 1
        elif char == 0x28:
            level += 1
        else:
            level -= 1
            if level == 0:
                return pos


def _stream(data: bytes, pos: int, dictionary: list | None, scan: _Scan, *, nesting: int) -> int:
    """Skip a stream's data (decoding and scanning it when it holds objects); the position after its
    ``endstream``. The data ends at the first ``endstream``, as a reader finds it when the stated
    length is wrong; data that also holds objects is caught by the raw search."""
    if data.startswith(b"\r\n", pos):
        pos += 2
    elif data.startswith((b"\n", b"\r"), pos):
        pos += 1
    finish = data.find(b"endstream", pos)
    if finish < 0:
        raise Unreadable(_("a stream has no end"))
    body = data[pos:finish]
    if body.endswith(b"\r\n"):
        body = body[:-2]
    elif body.endswith((b"\n", b"\r")):
        body = body[:-1]
    if dictionary is None:
        return finish + len(b"endstream")
    if len(dictionary) > STREAM_DICT_TOKENS:
        raise Unreadable(_("a stream's dictionary is too long"))
    if _holds_objects(dictionary):
        if nesting >= NESTING_LIMIT:
            raise Unreadable(_("object streams are nested too deeply"))
        objects = _decode(body, dictionary, scan)
        starts = _objects_at(objects, _integer(dictionary, "First"))
        _scan_buffer(objects, scan, nesting=nesting + 1, objects_at=starts)
    return finish + len(b"endstream")


def _integer(dictionary: list, key: str) -> int | None:
    for i, (depth, kind, value) in enumerate(dictionary[:-1]):
        if depth == 1 and kind == "name" and value == key:
            following = dictionary[i + 1][2]
            if isinstance(following, bytes) and _INTEGER.fullmatch(following):
                return int(following)
    return None


def _objects_at(objects: bytes, first: int | None) -> dict[int, int]:
    """Where each object of a decoded object stream starts, and its number: the stream's header lists
    pairs of object number and offset (counted from ``/First``)."""
    if first is None:
        return {}
    numbers = [int(n) for n in _INTEGER.findall(objects[:first])]
    starts = {}
    for number, offset in zip(numbers[::2], numbers[1::2], strict=False):
        at = first + offset
        while at < len(objects) and objects[at] in _WHITE:
            at += 1
        starts[at] = number
    return starts


def _holds_objects(dictionary: list) -> bool:
    keys = [(i, value) for i, (depth, kind, value) in enumerate(dictionary) if depth == 1 and kind == "name"]
    for i, key in keys:
        if key == "First":
            return True
        if key == "Type" and i + 1 < len(dictionary) and dictionary[i + 1][2] == "ObjStm":
            return True
    return False


def _filters(dictionary: list) -> list[str]:
    for i, (depth, kind, value) in enumerate(dictionary):
        if depth == 1 and kind == "name" and value == "Filter":
            rest = dictionary[i + 1 :]
            if rest and rest[0][1] == "name":
                return [rest[0][2]]
            names = []
            if rest and rest[0][2] == b"[":
                for _depth, item_kind, item in rest[1:]:
                    if item == b"]":
                        break
                    if item_kind != "name":
                        raise Unreadable(_("an object stream's filter is not understood"))
                    names.append(item)
                return names
            raise Unreadable(_("an object stream's filter is not understood"))
    return []


def _has_predictor(dictionary: list) -> bool:
    for i, (_depth, kind, value) in enumerate(dictionary[:-1]):
        if kind == "name" and value == "Predictor":
            following = dictionary[i + 1][2]
            return not (
                isinstance(following, bytes) and _INTEGER.fullmatch(following) and int(following) <= 1
            )
    return False


def _decode(body: bytes, dictionary: list, scan: _Scan) -> bytes:
    if _has_predictor(dictionary):
        raise Unreadable(_("an object stream uses a predictor"))
    for name in _filters(dictionary):
        if name in ("FlateDecode", "Fl"):
            body = _inflate(body, scan)
        elif name in ("ASCIIHexDecode", "AHx"):
            hexdigits = re.sub(rb"[" + _WHITE + rb"]", b"", body.split(b">", 1)[0])
            try:
                body = binascii.unhexlify(hexdigits + b"0" * (len(hexdigits) % 2))
            except binascii.Error as error:
                raise Unreadable(_("an object stream is damaged")) from error
        elif name in ("ASCII85Decode", "A85"):
            try:
                body = base64.a85decode(body.split(b"~>", 1)[0], ignorechars=_WHITE)
            except ValueError as error:
                raise Unreadable(_("an object stream is damaged")) from error
        else:
            raise Unreadable(_("an object stream is encoded with %(filter)s") % {"filter": name})
        if len(body) > INFLATE_LIMIT:
            raise Unreadable(_("it holds too much compressed content to check"))
    return body


def _inflate(body: bytes, scan: _Scan) -> bytes:
    room = INFLATE_LIMIT - scan.inflated
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):  # a zlib stream, or raw deflate from lax writers
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, room + 1)
        except zlib.error:
            continue
        if len(out) > room or inflater.unconsumed_tail:
            raise Unreadable(_("it holds too much compressed content to check"))
        scan.inflated += len(out)
        return out
    raise Unreadable(_("an object stream is encrypted or damaged"))
