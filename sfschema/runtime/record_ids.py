"""Record ids: the SalesforceId marker and ``id18``, the per-value id check it runs.

``id18`` gives the same answers as ``sfschema.ids.to18`` (a test compares them) at a fraction of
the cost, because it runs for every id of every record: the id, encoded, goes through one
``bytes.translate`` that writes each letter or digit as its case bit (any other byte, including
those of a non-ASCII character, becomes ``x`` and fails the lookup), and two dict lookups of the
first 15 bits give the checksum. Only an 18-character id whose suffix does not match its case
(e.g. an id lowercased by a case-insensitive store) goes to ``ids.to18``. Ids that repeat are
answered from a bounded memo (``_KNOWN``).

>>> id18("001D000000K0fXO"), id18("001d000000k0fxoiaz"), id18("001D000000K0fX!")
('001D000000K0fXOIAZ', '001D000000K0fXOIAZ', None)
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema
from pydantic_core import core_schema as cs

from sfschema import ids
from sfschema.errors import InvalidIdError
from sfschema.runtime.codes import FIELD_INTEGRITY_EXCEPTION, MALFORMED_ID
from sfschema.runtime.core import Marker, not_empty, typed

_CASE_BITS = bytes(
    (ord("1") if char in string.ascii_uppercase else ord("0"))
    if char in string.ascii_letters + string.digits
    else ord("x")
    for char in map(chr, range(256))
)
# The case bits of a 5-character chunk, leftmost character first → the chunk's checksum
# character; and of two chunks (10 characters) → their two characters.
_CHUNK_CHAR = {format(n, "05b")[::-1].encode(): ids.SUFFIX_ALPHABET[n] for n in range(32)}
_TWO_CHUNKS = {
    first + second: _CHUNK_CHAR[first] + _CHUNK_CHAR[second]
    for first in _CHUNK_CHAR
    for second in _CHUNK_CHAR
}


# Valid ids → their 18-character form: a workflow meets the same accounts, contacts and owners
# again and again, and a lookup costs a fifth of a check. Emptied when full (no bookkeeping per
# id: a counter or a recency order would cost more than the checks it saves).
_KNOWN: dict[str, str] = {}
KNOWN_LIMIT = 1 << 13


def id18(value: str) -> str | None:
    """The 18-character form of a 15- or 18-character id; None when it is not a valid id."""
    found = _KNOWN.get(value)
    if found is not None:
        return found
    size = len(value)
    if size != 18 and size != 15:
        return None
    try:
        bits = value.encode().translate(_CASE_BITS)
        suffix = _TWO_CHUNKS[bits[:10]] + _CHUNK_CHAR[bits[10:15]]
    except (KeyError, UnicodeEncodeError):  # not an ASCII letter or digit; a lone surrogate
        return None
    if size == 15:
        found = value + suffix
    elif value[15:] == suffix:
        found = value
    else:
        found = _restored(value, suffix)
        if found is None:
            return None
    if len(_KNOWN) >= KNOWN_LIMIT:
        _KNOWN.clear()
    _KNOWN[value] = found
    return found


def _restored(value: str, suffix: str) -> str | None:
    """An 18-character id whose suffix is not ``suffix``, the checksum of its first 15."""
    if value[15:].upper() == suffix:
        return value[:15] + suffix
    try:
        return ids.to18(value)  # restores the case of a lowercased id, or says it is wrong
    except InvalidIdError:
        return None


@dataclass(frozen=True)
class SalesforceId(Marker):
    """A record id (id or reference field): 15 or 18 characters, valid checksum, normalised to 18.

    ``prefixes`` are the key prefixes of the objects the field may point to. When every target's
    prefix is known (``known`` empty), an id with any other prefix is a FIELD_INTEGRITY_EXCEPTION.
    When some targets' prefixes are unknown (custom objects of the org), ``known`` lists the key
    prefixes of every known object (the snapshot's and ``sfschema.ids.STANDARD_KEY_PREFIXES``, as
    chunks of space-separated prefixes): only an id whose prefix is known but not a target's is
    refused, and an id with an unknown prefix is accepted. ``required``: the field cannot be null,
    so ``""`` (stored as null) is REQUIRED_FIELD_MISSING rather than MALFORMED_ID.
    """

    prefixes: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    required: bool = False

    keeps_given: ClassVar[bool] = False  # a 15-character id is sent with 18

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        targets = frozenset(self.prefixes)
        excluded = frozenset(" ".join(self.known).split()) - targets
        prefixes = frozenset() if self.known else targets  # open: only ``excluded`` is refused
        failure = self.failure

        def check(value: str) -> str:
            normalised = id18(value)
            if normalised is None:
                raise failure(
                    MALFORMED_ID, "{label}: id value of incorrect type: {value}", value=value
                )
            prefix = normalised[:3]
            if (prefixes and prefix not in prefixes) or prefix in excluded:
                raise failure(
                    FIELD_INTEGRITY_EXCEPTION,
                    "{label}: id value of incorrect type: {value}",
                    value=value,
                    prefixes=self.prefixes,
                )
            return normalised

        checked = cs.no_info_plain_validator_function(check)
        ctx = self.context()
        then = [not_empty(ctx), checked] if self.required else [checked]
        return typed([cs.str_schema(strict=True)], "a record id", ctx, then)
