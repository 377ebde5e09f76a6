"""sfschema.runtime.record_ids: id18 agrees with sfschema.ids.to18; its memo stays bounded."""

from __future__ import annotations

import string
from typing import Annotated, Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from sfschema import ids
from sfschema.errors import InvalidIdError
from sfschema.runtime import SalesforceId, record_ids
from sfschema.runtime.record_ids import id18

ALNUM = string.ascii_letters + string.digits


def reference(value: str) -> str | None:
    try:
        return ids.to18(value)
    except InvalidIdError:
        return None


made = st.builds(
    ids.make_id, st.sampled_from(["001", "003", "006", "a0R", "00Q"]), st.integers(0, 62**11 - 1)
)
id_like = st.one_of(
    st.text(alphabet=ALNUM, min_size=15, max_size=15),
    st.text(alphabet=ALNUM, min_size=18, max_size=18),
    made,
    made.map(str.lower),
    made.map(str.upper),
    made.map(ids.to15),
    made.map(lambda value: value[:15] + value[15:].lower()),
    made.map(lambda value: value[:17] + "!"),
    st.text(max_size=20),
    st.text(alphabet=ALNUM + "ÉßİıＡ٣ _-", min_size=15, max_size=18),
)


@settings(max_examples=1000)
@given(id_like)
def test_id18_agrees_with_ids_to18(value: str) -> None:
    expected = reference(value)
    record_ids._KNOWN.clear()
    assert id18(value) == expected  # checked
    assert id18(value) == expected  # a second time (from the memo when valid)


def test_the_memo_keeps_valid_ids_only() -> None:
    record_ids._KNOWN.clear()
    assert id18("001D000000K0fXOAAA") is None
    assert id18("001D000000K0fX") is None
    assert id18("001D000000K0f\ud800X") is None
    assert not record_ids._KNOWN
    assert id18("001d000000k0fxoiaz") == "001D000000K0fXOIAZ"
    assert id18("001D000000K0fXO") == "001D000000K0fXOIAZ"
    assert record_ids._KNOWN == {
        "001d000000k0fxoiaz": "001D000000K0fXOIAZ",
        "001D000000K0fXO": "001D000000K0fXOIAZ",
    }


def test_the_memo_is_emptied_when_full() -> None:
    record_ids._KNOWN.clear()
    made = [ids.make_id("006", n) for n in range(record_ids.KNOWN_LIMIT + 3)]
    for value in made:
        assert id18(value) == value
        assert len(record_ids._KNOWN) <= record_ids.KNOWN_LIMIT
    assert list(record_ids._KNOWN) == made[record_ids.KNOWN_LIMIT :]


@settings(max_examples=1000)
@given(id_like)
def test_the_exact_id_check_is_id18_of_an_id_already_in_its_18_character_form(value: str) -> None:
    """The Rust-side check (checksum regexes) says yes exactly when the id needs no Python."""
    assert record_ids.exact_id_check()(value) is (reference(value) == value)
    assert record_ids.exact_id_check("001")(value) is (
        reference(value) == value and value.startswith("001")
    )


def _marker_reference(value: str, targets: tuple[str, ...], known: tuple[str, ...]) -> Any:
    """What SalesforceId(prefixes=targets, known=known) gives: the 18 characters or a code."""
    if value == "":
        return ""  # the marker is not required: "" clears the lookup (stored as null)
    normalised = reference(value)
    if normalised is None:
        return "MALFORMED_ID"
    prefix = normalised[:3]
    if known:  # open: the known prefixes that are not targets are refused
        refused = prefix in set(" ".join(known).split()) - set(targets)
    else:  # closed: only the targets' prefixes pass (no targets: any prefix)
        refused = bool(targets) and prefix not in targets
    return "FIELD_INTEGRITY_EXCEPTION" if refused else normalised


@settings(max_examples=500)
@given(
    id_like,
    st.sampled_from([(), ("001",), ("001", "006"), ("a0R",)]),
    st.sampled_from([(), ("001 003 006 00Q a0R",)]),
)
def test_the_id_marker_agrees_with_the_reference(
    value: str, targets: tuple[str, ...], known: tuple[str, ...]
) -> None:
    """Exact ids (Rust), other ids (id18) and the target check, closed or open, as one rule."""
    marker = SalesforceId("WhatId", "Related To ID", prefixes=targets, known=known)
    adapter = TypeAdapter(Annotated[str, marker])
    try:
        got: Any = adapter.validate_python(value)
    except ValidationError as exc:
        (error,) = exc.errors()
        got = error["type"]
        assert error["msg"] == "Related To ID: id value of incorrect type"
    assert got == _marker_reference(value, targets, known)
