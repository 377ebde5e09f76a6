from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfschema import ids
from sfschema.errors import InvalidIdError
from tests.conftest import REAL, load_json

VECTORS = load_json(REAL / "ids" / "vectors.json")
ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
id15s = st.text(alphabet=ALNUM, min_size=15, max_size=15)


@pytest.mark.parametrize("pair", VECTORS["pairs"], ids=lambda p: p["id15"])
def test_real_pairs_convert_both_ways(pair: dict[str, str]) -> None:
    assert ids.to18(pair["id15"]) == pair["id18"]
    assert ids.to18(pair["id18"]) == pair["id18"]
    assert ids.to15(pair["id18"]) == pair["id15"]
    assert ids.to15(pair["id18"].lower()) == pair["id15"]
    assert ids.to18(pair["id18"].lower()) == pair["id18"]


@pytest.mark.parametrize("case", VECTORS["invalid_inputs"], ids=lambda c: c["input"])
def test_real_invalid_inputs_are_refused(case: dict[str, str]) -> None:
    assert not ids.is_valid(case["input"])
    with pytest.raises(InvalidIdError) as excinfo:
        ids.to18(case["input"])
    assert repr(case["input"]) in str(excinfo.value)


def test_other_cases() -> None:
    (case,) = VECTORS["other_cases"]
    assert ids.to18(case["input"]) == case["input"]


def test_error_messages_name_the_value_and_the_expected_checksum() -> None:
    with pytest.raises(InvalidIdError) as excinfo:
        ids.to18("00A000000000000AAA")
    assert str(excinfo.value) == (
        "'00A000000000000AAA': checksum suffix 'AAA' does not match the id "
        "(expected 'EAA' for '00A000000000000')"
    )
    with pytest.raises(InvalidIdError) as excinfo:
        ids.to18("001-abc")
    assert str(excinfo.value) == (
        "'001-abc' is not a Salesforce id: expected 15 or 18 letters and digits"
    )


@given(id15s)
def test_round_trip_15_18_15(id15: str) -> None:
    id18 = ids.to18(id15)
    assert len(id18) == 18 and id18[:15] == id15
    assert ids.to15(id18) == id15
    assert ids.to15(id18.lower()) == id15
    assert ids.same_id(id15, id18.lower())


@given(id15s, st.integers(min_value=0, max_value=14))
def test_changing_the_case_of_one_letter_breaks_the_checksum(id15: str, position: int) -> None:
    char = id15[position]
    if not char.isalpha():
        return
    flipped = id15[:position] + char.swapcase() + id15[position + 1 :]
    tampered = flipped + ids.checksum(id15)
    assert not ids.is_valid(tampered) or tampered.lower() == tampered


@given(st.text(max_size=20))
def test_anything_else_is_refused_cleanly(text: str) -> None:
    try:
        result = ids.to18(text)
    except InvalidIdError:
        return
    assert len(result) == 18 and ids.is_valid(result)


@given(st.integers(min_value=0, max_value=62**11 - 1))
def test_make_id_gives_valid_ids_with_the_prefix(number: int) -> None:
    made = ids.make_id("a0B", number)
    assert ids.is_valid(made) and ids.key_prefix(made) == "a0B"


def test_prefix_lookup() -> None:
    prefixes = {"Account": "001", "Contact": "003", "Shared": "003", "NoPrefix": None}
    assert ids.object_for_id("001D000000K0fXOIAZ", prefixes) == ["Account"]
    assert ids.object_for_id("003RO0000035WQgYAM", prefixes) == ["Contact", "Shared"]
    assert ids.prefixes_for(["Account", "NoPrefix"], prefixes) == frozenset({"001"})
