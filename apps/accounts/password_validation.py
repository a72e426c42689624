import string

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
