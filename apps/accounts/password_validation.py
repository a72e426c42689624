import functools
import re
import string

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


class CharacterClassesValidator:
    """A password must mix character classes: lower case, upper case, digits, other symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def _classes(self, password: str) -> int:
        chars = set(password)
        found = sum(1 for _name, members in _CLASSES if chars & members)
        if any(not (c.isascii() and c.isalnum()) for c in chars):
            found += 1
        return found

    def validate(self, password, user=None):
        if self._classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return (
            ngettext(
                "Your password must mix at least %(n)d kind of character "
                "(lower case, upper case, digits, symbols).",
                "Your password must mix at least %(n)d kinds of character "
                "(lower case, upper case, digits, symbols).",
                self.min_classes,
            )
            % {"n": self.min_classes}
            if self.min_classes
            else _("No character-class rule.")
        )


# Words of the hall that a password must not be built on: the portal's own, the government-service terms
# in pinyin, and the demo accounts' names.
HALL_WORDS = frozenset(
    {
        "hall",
        "demo",
        "admin",
        "administrator",
        "password",
        "gov",
        "zhengwu",
        "zwfw",
        "zhengfu",
        "fuwu",
        "dating",
        "zhongxin",
        "shouli",
        "yichuang",
        "clerk",
        "approver",
        "signer",
        "issuer",
        "keeper",
        "supervisor",
        "catalogue",
        "citizen",
    }
)
# Keyboard rows and columns, the 3×3 block and the alphabet: any 3 letters in a row of one of these
# (either way) are a walk, not a word.
_WALKS = (
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qazwsxedcrfvtgbyhnujmikolp",
    "qweasdzxc",
    "abcdefghijklmnopqrstuvwxyz",
)
# Leetspeak, read back: 1 as l or as i; @ and $ as letters or left as symbols.
_DIGITS_LEET = {"0": "o", "3": "e", "4": "a", "5": "s"}
_LEET = [
    str.maketrans({**_DIGITS_LEET, **one, **symbols})
    for one in ({"1": "l"}, {"1": "i"})
    for symbols in ({}, {"@": "a", "$": "s"})
]
_SEPARATORS = string.digits + string.punctuation + " "


@functools.cache
def _common_words() -> frozenset[str]:
    # Django's list of 20,000 common passwords, read once.
    return frozenset(CommonPasswordValidator().passwords)


def _is_walk(token: str) -> bool:
    return len(token) >= 3 and any(token in walk or token in walk[::-1] for walk in _WALKS)


def _readings(password: str) -> set[str]:
    """The password in lower case as typed and read as leetspeak, with and without the digits and
    symbols around it (so that a leading "4" of "4dmin" is a letter but a trailing "123" is not)."""
    lowered = password.lower()
    readings = set()
    for trimmed in (
        lowered,
        lowered.rstrip(_SEPARATORS),
        lowered.lstrip(_SEPARATORS),
        lowered.strip(_SEPARATORS),
    ):
        readings.add(trimmed)
        readings.update(trimmed.translate(table) for table in _LEET)
    return readings


def _guessable(reading: str) -> bool:
    """One common word (or any words of the hall, keyboard walks) with at most two other letters."""
    tokens = re.findall(r"[a-z]+", reading)
    weak = [t for t in tokens if len(t) >= 3 and (t in HALL_WORDS or _is_walk(t) or t in _common_words())]
    if not weak:
        return False
    # Letters of any script count, so that Chinese characters around a weak word make it strong.
    other_letters = sum(c.isalpha() for c in reading) - sum(len(t) for t in weak)
    # Two unrelated common words are two guesses deep; words of the hall and walks add nothing.
    common_only = {t for t in weak if t not in HALL_WORDS and not _is_walk(t)}
    return other_letters <= 2 and len(common_only) <= 1


class CommonPatternValidator:
    """Refuses the demo accounts' password and a common word, a word of the hall or a keyboard walk
    dressed up with digits and symbols (Password123!, Hall#2026demo, Qwer1234!, P@ssw0rd2026):
    Django's CommonPasswordValidator only knows such passwords letter for letter."""

    def validate(self, password, user=None):
        if password.lower() == settings.HALL_DEMO_PASSWORD.lower():
            raise ValidationError(
                _("This password is the demo accounts' password; choose another."),
                code="password_too_guessable",
            )
        if any(_guessable(reading) for reading in _readings(password)):
            raise ValidationError(
                _(
                    "This password is a common word, a word of the hall or a keyboard pattern with "
                    "digits or symbols added; choose one that is harder to guess."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self):
        return _(
            "Your password cannot be a common word, a word of the hall or a keyboard pattern with digits "
            "or symbols added."
        )
