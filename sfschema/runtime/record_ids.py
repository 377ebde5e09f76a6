"""Record ids: the SalesforceId marker and ``id18``, the per-value id check it runs.

``id18`` gives the same answers as ``sfschema.ids.to18`` (a test compares them) at a fraction of
the cost, because it runs for every id of every record: one ``str.translate`` turns the first 15
characters into their case bits (any character that is not a letter or digit stays as it is and
fails the lookup), two dict lookups give the checksum. Only an 18-character id whose suffix
does not match its case (e.g. an id lowercased by a case-insensitive store) goes to ``ids.to18``.
Ids that repeat are answered from a self-tuning cache (``_Cache``).

>>> id18("001D000000K0fXO"), id18("001d000000k0fxoiaz"), id18("001D000000K0fX!")
('001D000000K0fXOIAZ', '001D000000K0fXOIAZ', None)
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema
from pydantic_core import core_schema as cs

from sfschema import ids
from sfschema.errors import InvalidIdError
from sfschema.runtime.codes import FIELD_INTEGRITY_EXCEPTION, MALFORMED_ID
from sfschema.runtime.core import Marker, not_empty, typed

_CASE_BITS = str.maketrans(
    {char: "1" if char.isupper() else "0" for char in string.ascii_letters + string.digits}
)
# The case bits of a 5-character chunk, leftmost character first → the chunk's checksum
# character; and of two chunks (10 characters) → their two characters.
_CHUNK_CHAR = {format(n, "05b")[::-1]: ids.SUFFIX_ALPHABET[n] for n in range(32)}
_TWO_CHUNKS = {
    first + second: _CHUNK_CHAR[first] + _CHUNK_CHAR[second]
    for first in _CHUNK_CHAR
    for second in _CHUNK_CHAR
}


class _Cache:
    """Valid ids → their 18-character form, for workloads whose ids repeat.

    A hit costs a sixth of a check, but storing every miss costs more than it saves when ids do
    not repeat (a bulk load of new records). So the cache watches itself: every ``REVIEW`` misses
    it compares its hits with its misses, and when ids are not repeating it stops storing (and
    empties) for ``PAUSE`` reviews, then tries again. It never holds more than ``LIMIT`` ids.
    """

    LIMIT = 1 << 15
    REVIEW = 1 << 12
    PAUSE = 16

    def __init__(self) -> None:
        self.known: dict[str, str] = {}
        self.hits = 0
        self.misses = 0
        self.paused = 0

    def lookup(self, value: str) -> str | None:
        """The 18-character form of a 15- or 18-character id; None when it is not a valid id."""
        found = self.known.get(value)
        if found is not None:
            self.hits += 1
            return found
        return self.miss(value)

    def miss(self, value: str) -> str | None:
        """``lookup`` of a value not in ``known`` (callers may look there themselves)."""
        found = _check(value)
        self.misses += 1
        if found is not None and not self.paused:
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            self.known[value] = found
        if self.misses >= self.REVIEW:
            self._review()
        return found

    def _review(self) -> None:
        if self.paused:
            self.paused -= 1
        elif self.hits < self.misses:  # ids are not repeating
            self.known.clear()
            self.paused = self.PAUSE
        self.hits = self.misses = 0


_CACHE = _Cache()
id18 = _CACHE.lookup


def _check(value: str) -> str | None:
    size = len(value)
    if size != 18 and size != 15:
        return None
    bits = value.translate(_CASE_BITS)
    try:
        suffix = _TWO_CHUNKS[bits[:10]] + _CHUNK_CHAR[bits[10:15]]
    except KeyError:
        return None  # a character that is not an ASCII letter or digit
    if size == 15:
        return value + suffix
    given = value[15:]
    if given == suffix:
        return value
    if given.upper() == suffix:
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

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        targets = frozenset(self.prefixes)
        excluded = frozenset(" ".join(self.known).split()) - targets
        prefixes = frozenset() if self.known else targets  # open: only ``excluded`` is refused
        failure = self.failure
        cache = _CACHE
        known = cache.known

        def check(value: str) -> str:
            normalised = known.get(value)  # id18, with the cache hit inlined (once per id)
            if normalised is not None:
                cache.hits += 1
            else:
                normalised = cache.miss(value)
                if normalised is None:
                    raise failure(
                        MALFORMED_ID, "{label}: id value of incorrect type: {value}", value=value
                    )
            if (prefixes and normalised[:3] not in prefixes) or normalised[:3] in excluded:
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
