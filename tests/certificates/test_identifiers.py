"""GB/T 36904 electronic-certificate identifiers and their ISO 7064 MOD 37,36 check character."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from apps.certificates.identifiers import ALPHABET, Identifier, check_character, parse

PUBLISHED = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"


def test_the_published_example_checks():
    assert check_character("11100000000013338W011" + "11430000006122244L" + "20230000403" + "001") == "U"
    assert str(Identifier("11100000000013338W011", "11430000006122244L", "20230000403", 1)) == PUBLISHED
    assert parse(PUBLISHED) == Identifier("11100000000013338W011", "11430000006122244L", "20230000403", 1)


@pytest.mark.parametrize(
    "text",
    [
        PUBLISHED[:-1] + "V",  # wrong check character
        PUBLISHED.replace("20230000403", "20230000404"),  # one digit of the serial changed
        PUBLISHED.replace("1.2.156.3005.2", "1.2.156.3005.3"),
        "1.2.156.3005.2.111.114.202.01.U",  # version not three digits
        "",
    ],
)
def test_tampered_or_malformed_identifiers_are_refused(text):
    with pytest.raises(ValidationError):
        parse(text)


segment = st.text(alphabet=ALPHABET, min_size=1, max_size=20)


@given(segment, segment, segment, st.integers(min_value=1, max_value=999))
def test_every_identifier_we_make_parses_back_and_one_changed_character_is_caught(
    type_code, issuer, serial, version
):
    identifier = Identifier(type_code, issuer, serial, version)
    assert parse(str(identifier)) == identifier
    text = str(identifier)
    position = len("1.2.156.3005.2.")  # the first character of the type code
    changed = ALPHABET[(ALPHABET.index(text[position]) + 1) % 36]
    with pytest.raises(ValidationError):
        parse(text[:position] + changed + text[position + 1 :])
