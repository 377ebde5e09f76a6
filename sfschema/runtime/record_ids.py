"""Record ids: the SalesforceId marker and ``id18``, the per-value id check it runs.

``id18`` gives the same answers as ``sfschema.ids.to18`` (a test compares them) at a fraction of
the cost, because it runs for every id of every record: the id, encoded, goes through one
``bytes.translate`` that writes each letter or digit as its case bit (any other byte, including
those of a non-ASCII character, becomes ``x`` and fails the lookup), and two dict lookups of the
first 15 bits give the checksum. Only an 18-character id whose suffix does not match its case
(e.g. an id lowercased by a case-insensitive store) goes to ``ids.to18``. Ids that repeat are
answered from a bounded memo (``_KNOWN``).

Most ids arrive as 18 characters in their exact case, and for those no Python runs at all:
``CHECKSUM_PATTERNS`` are three regular expressions, one per 5-character chunk, each listing the
32 case patterns of its chunk with the suffix character each one implies, so pydantic-core's
regex engine checks the whole suffix (``exact_id_schema``). Only the ids they refuse (15
characters, another case, not an id) go to ``id18``.

>>> id18("001D000000K0fXO"), id18("001d000000k0fxoiaz"), id18("001D000000K0fX!")
('001D000000K0fXOIAZ', '001D000000K0fXOIAZ', None)
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError, SchemaValidator
from pydantic_core import core_schema as cs

from sfschema import ids
from sfschema.errors import InvalidIdError
from sfschema.runtime.core import Marker, not_empty, typed, with_error
from sfschema.salesforce_errors import FIELD_INTEGRITY_EXCEPTION, MALFORMED_ID, incorrect_id

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


def _chunk_pattern(chunk: int) -> str:
    """An 18-character id whose suffix character ``chunk`` matches its 5-character ``chunk``:
    one alternative per case pattern (upper case letter → 1, lower case letter or digit → 0)."""
    gap = 10 - 4 * chunk  # characters between the chunk's end and its suffix character
    alternatives = "|".join(
        "".join("[A-Z]" if bits >> place & 1 else "[a-z0-9]" for place in range(5))
        + f"[a-zA-Z0-9]{{{gap}}}{ids.SUFFIX_ALPHABET[bits]}"
        for bits in range(32)
    )
    return f"^[a-zA-Z0-9]{{{5 * chunk}}}(?:{alternatives})[a-zA-Z0-9]{{{2 - chunk}}}$"


CHECKSUM_PATTERNS = tuple(_chunk_pattern(chunk) for chunk in range(3))


def exact_id_schema() -> CoreSchema:
    """An 18-character id in its exact case whose suffix is its checksum (checked in Rust)."""
    return cs.chain_schema(
        [cs.str_schema(strict=True, pattern=pattern) for pattern in CHECKSUM_PATTERNS]
    )


def prefix_pattern(prefixes: Iterable[str]) -> str:
    """A regular expression for text starting with one of the key ``prefixes``."""
    return "^(?:" + "|".join(sorted(prefixes)) + ")"


def exact_id_check(prefix: str = "") -> Callable[[Any], bool]:
    """``check(value)``: True when ``value`` is an 18-character id in its exact case, with a valid
    checksum (and the key ``prefix``, when given); no Python runs for it."""
    steps = [exact_id_schema()]
    if prefix:
        steps.append(cs.str_schema(pattern=prefix_pattern([prefix])))
    return SchemaValidator(cs.chain_schema(steps)).isinstance_python


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

    An exact 18-character id is checked in Rust (``exact_id_schema``), any other by ``id18``; the
    prefix of the 18 characters is checked after, by a regular expression when every target is
    known. The errors' message is Salesforce's without the value ("Account ID: id value of
    incorrect type"): the value is the error's ``input``, and the validator's report quotes it.
    """

    prefixes: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    required: bool = False

    keeps_given: ClassVar[bool] = False  # a 15-character id is sent with 18

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        ctx = self.context()
        message = incorrect_id(self.label)
        # The id in its 18-character form: as given when exact (Rust), else from id18 (Python).
        normalised = with_error(
            cs.union_schema(
                [exact_id_schema(), cs.no_info_plain_validator_function(_normalised)],
                mode="left_to_right",
            ),
            MALFORMED_ID,
            message,
            ctx,
        )
        then: list[CoreSchema] = [not_empty(ctx), normalised] if self.required else [normalised]
        targets = frozenset(self.prefixes)
        integrity = {**ctx, "prefixes": self.prefixes}
        if self.known:  # open: only the known prefixes that are not targets are refused
            excluded = frozenset(" ".join(self.known).split()) - targets

            def target(value: str) -> str:
                if value[:3] in excluded:
                    raise PydanticCustomError(FIELD_INTEGRITY_EXCEPTION, message, integrity)
                return value

            then.append(cs.no_info_plain_validator_function(target))
        elif targets:
            then.append(
                with_error(
                    cs.str_schema(pattern=prefix_pattern(targets)),
                    FIELD_INTEGRITY_EXCEPTION,
                    message,
                    integrity,
                )
            )
        if not self.required:
            # "" clears a lookup that can be empty (Salesforce stores it as null): sent as is
            then = [cs.no_info_wrap_validator_function(_empty_or, cs.chain_schema(then))]
        return typed([cs.str_schema(strict=True)], "a record id", ctx, then)


def _empty_or(value: str, handler: cs.ValidatorFunctionWrapHandler) -> str:
    """``""`` as is; any other text through the id checks."""
    if value == "":
        return value
    return str(handler(value))


def _normalised(value: str) -> str:
    """``id18`` for the union of ``SalesforceId``: its error is replaced by MALFORMED_ID."""
    found = id18(value)
    if found is None:
        raise ValueError("not an id")
    return found
