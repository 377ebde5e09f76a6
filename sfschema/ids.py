"""Salesforce record ids: 15 ↔ 18 character forms, checksum, key prefixes.

The 15-character id is case-sensitive; the 18-character id appends a 3-character checksum that
encodes the case of the first 15, which makes it safe to compare case-insensitively.

>>> to18("001D000000K0fXO")
'001D000000K0fXOIAZ'
>>> to15("001d000000k0fxoiaz")
'001D000000K0fXO'
>>> key_prefix("001D000000K0fXOIAZ")
'001'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sfschema.errors import InvalidIdError

SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
MASTER_RECORD_TYPE_ID = "012000000000000AAA"
# Key prefixes of standard objects: the same in every org (custom objects get per-org prefixes
# and are never listed). Source: the keyPrefix of real describes (tests/fixtures/real/describe/)
# and Salesforce Help "Standard Field Record ID Prefix Decoder".
STANDARD_KEY_PREFIXES: dict[str, str] = {
    "001": "Account",
    "002": "Note",
    "003": "Contact",
    "005": "User",
    "006": "Opportunity",
    "00D": "Organization",
    "00E": "UserRole",
    "00G": "Group",
    "00K": "OpportunityContactRole",
    "00P": "Attachment",
    "00Q": "Lead",
    "00T": "Task",
    "00U": "Event",
    "00X": "EmailTemplate",
    "00e": "Profile",
    "00k": "OpportunityLineItem",
    "00v": "CampaignMember",
    "012": "RecordType",
    "01p": "ApexClass",
    "01s": "Pricebook2",
    "01t": "Product2",
    "01u": "PricebookEntry",
    "500": "Case",
    "701": "Campaign",
    "707": "AsyncApexJob",
    "800": "Contract",
    "801": "Order",
    "802": "OrderItem",
}


_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID_RE = re.compile(r"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$")


# Each letter or digit → "1" when it is an uppercase letter, else "0" (the checksum's bits);
# a chunk's 5 bits, leftmost char = bit 0, → its suffix character.
_CASE_BITS = str.maketrans({char: "1" if char.isupper() else "0" for char in _BASE62})
_CHUNK_CHAR = {format(n, "05b")[::-1]: SUFFIX_ALPHABET[n] for n in range(32)}


def checksum(id15: str) -> str:
    """The 3-character suffix of a 15-character id."""
    bits = id15.translate(_CASE_BITS)
    try:
        return _CHUNK_CHAR[bits[0:5]] + _CHUNK_CHAR[bits[5:10]] + _CHUNK_CHAR[bits[10:15]]
    except KeyError:  # not 15 letters and digits: count the uppercase letters one by one
        return "".join(
            SUFFIX_ALPHABET[
                sum(1 << j for j, char in enumerate(id15[start : start + 5]) if "A" <= char <= "Z")
            ]
            for start in (0, 5, 10)
        )


def _check_shape(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidIdError(f"id must be a string, got {type(value).__name__}")
    if not _ID_RE.match(value):
        raise InvalidIdError(
            f"{value!r} is not a Salesforce id: expected 15 or 18 letters and digits"
        )
    return value


def to18(value: str) -> str:
    """Normalise a 15- or 18-character id to its canonical 18-character form.

    An 18-character id is accepted in any case; its suffix must match (case-insensitively).
    """
    value = _check_shape(value)
    if len(value) == 15:
        return value + checksum(value)
    suffix = value[15:].upper()
    if checksum(value[:15]) == suffix:
        return value[:15] + suffix
    id15 = _restore_case(value)
    return id15 + checksum(id15)


def to15(value: str) -> str:
    """The canonical case-sensitive 15-character form of an id."""
    value = _check_shape(value)
    if len(value) == 15:
        return value
    return _restore_case(value)


def _restore_case(id18: str) -> str:
    """The case-sensitive 15 of an 18-character id.

    The id's own case is taken when its suffix matches it. An id lowercased as a whole (as
    case-insensitive stores do) gets its case back from the suffix. Any other mismatch is an error.
    """
    id15, suffix = id18[:15], id18[15:]
    if checksum(id15) == suffix.upper():
        return id15
    if id18 == id18.lower():
        chars: list[str] = []
        for chunk, code in enumerate(suffix.upper()):
            bits = SUFFIX_ALPHABET.find(code)
            if bits < 0:
                break
            for j, char in enumerate(id15[chunk * 5 : chunk * 5 + 5]):
                chars.append(char.upper() if bits & (1 << j) else char)
        restored = "".join(chars)
        if checksum(restored) == suffix.upper():
            return restored
    raise InvalidIdError(
        f"{id18!r}: checksum suffix {suffix!r} does not match the id "
        f"(expected {checksum(id15)!r} for {id15!r})"
    )


def is_valid(value: object) -> bool:
    """True when value is a well-formed id with a matching checksum."""
    try:
        to18(value)  # type: ignore[arg-type]
    except InvalidIdError:
        return False
    return True


def key_prefix(value: str) -> str:
    """The 3-character key prefix naming the id's object type."""
    return _check_shape(value)[:3]


def same_id(left: str, right: str) -> bool:
    """True when both strings denote the same record."""
    return to18(left).lower() == to18(right).lower()


def make_id(prefix: str, number: int, pod: str = "0") -> str:
    """A deterministic 18-character id: key prefix + pod char + base-62 record number + suffix."""
    if len(prefix) != 3 or not prefix.isalnum():
        raise InvalidIdError(f"key prefix must be 3 letters or digits, got {prefix!r}")
    digits = ""
    remaining = number
    for _ in range(11):
        remaining, digit = divmod(remaining, 62)
        digits = _BASE62[digit] + digits
    if remaining:
        raise InvalidIdError(f"record number {number} does not fit in an id")
    return to18(prefix + pod + digits)


def standard_object_for_prefix(prefix: str) -> str | None:
    """The standard object whose ids start with ``prefix`` (None when not a standard prefix).

    >>> standard_object_for_prefix("003"), standard_object_for_prefix("a0I")
    ('Contact', None)
    """
    return STANDARD_KEY_PREFIXES.get(prefix)


def objects_by_prefix(prefixes: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Invert an object → key prefix map (prefixes are not always unique)."""
    inverted: dict[str, list[str]] = {}
    for name, prefix in sorted(prefixes.items()):
        if prefix:
            inverted.setdefault(prefix, []).append(name)
    return inverted


def object_for_id(value: str, prefixes: Mapping[str, str | None]) -> list[str]:
    """Object names whose key prefix matches the id (usually one)."""
    return objects_by_prefix(prefixes).get(key_prefix(value), [])


def prefixes_for(objects: Iterable[str], prefixes: Mapping[str, str | None]) -> frozenset[str]:
    """The key prefixes of the named objects, skipping objects with none."""
    return frozenset(p for name in objects if (p := prefixes.get(name)))
