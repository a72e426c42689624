"""The limits of what a person may send: how much text a field takes, and how large an id can be.

Notes, reasons, opinions and answers are stored in TEXT columns, which have no length of their own
(and most of them again in the transition log's comment). Forms and the API refuse more than
``FREE_TEXT_MAX_LENGTH`` characters there, naming the field. A VARCHAR column's length is read from
its model (``text_limit``), so that a form or a serializer never drifts from it: PostgreSQL refuses
a longer value with an error (a 500), and SQLite would store it.

An id is at most ``MAX_ID`` (a 64-bit key): SQLite cannot even compare a column with a larger number
(OverflowError), so a larger one is refused as no id at all.
"""

FREE_TEXT_MAX_LENGTH = 2000
MAX_ID = 2**63 - 1


def text_limit(model, field_name: str) -> int:
    """The most characters ``model.field_name`` takes: its max_length, or the free-text limit."""
    return model._meta.get_field(field_name).max_length or FREE_TEXT_MAX_LENGTH
