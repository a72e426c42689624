"""Device keys of the hall's unattended screens (evaluation pads, ticket kiosks, hall displays).

Each is paired the same way: a supervisor is shown a one-time numeric code, the device types it and
receives a long random key it keeps (an HttpOnly cookie, or an app's header). Only keyed hashes of the
code and of the key are stored, so a stolen database copy pairs no device. Each kind of device hashes
with its own salts: a pad's key never opens a kiosk, a code never passes for a key.
"""

from __future__ import annotations

import secrets
import unicodedata

from django.utils.crypto import salted_hmac

CODE_DIGITS = 8
# A key longer than any we issue is not hashed at all (a cheap refusal of junk).
MAX_KEY_LENGTH = 200


def keyed_hash(salt: str, secret: str) -> str:
    """The stored form of a code or a key: an HMAC keyed by SECRET_KEY and ``salt``."""
    return salted_hmac(salt, secret, algorithm="sha256").hexdigest()


def new_code(digits: int = CODE_DIGITS) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def new_key() -> str:
    return secrets.token_urlsafe(32)


def normalised_code(text: str) -> str:
    """What was typed, as the code is shown: full-width digits folded (a Chinese input method's
    １２３), spaces and dashes dropped."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if not ch.isspace() and ch != "-")


def looks_like_code(code: str, digits: int = CODE_DIGITS) -> bool:
    """A normalised code of the right shape (ASCII digits, the right length)."""
    return len(code) == digits and code.isascii() and code.isdigit()


def plausible_key(key: str | None) -> bool:
    return bool(key) and len(key) <= MAX_KEY_LENGTH
