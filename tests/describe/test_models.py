from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfschema.describe.models import FIELD_TYPES, parse_global, parse_sobject
from sfschema.describe.picklists import (
    controller_values,
    decode_valid_for,
    dependent_map,
    encode_valid_for,
)
from sfschema.errors import DescribeError
from tests.conftest import REAL, REAL_DESCRIBES, load_json


@pytest.mark.parametrize("path", REAL_DESCRIBES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_real_describe_parses_and_round_trips(path: Path) -> None:
    raw = load_json(path)
    parsed = parse_sobject(raw, str(path.name))
    assert parsed.to_json() == raw
    assert [f.name for f in parsed.fields] == [f["name"] for f in raw["fields"]]


@pytest.mark.parametrize("source", ["cumulusci", "restforce"])
def test_global_describes_parse_and_round_trip(source: str) -> None:
    raw = load_json(REAL / "describe" / source / "_global.json")
    parsed = parse_global(raw)
    assert parsed.to_json() == raw
    assert len(parsed.sobjects) == len(raw["sobjects"])


def test_unknown_field_type_names_object_field_and_type() -> None:
    raw = copy.deepcopy(load_json(REAL / "describe" / "cumulusci" / "Opportunity.json"))
    raw["fields"][6]["type"] = "hologram"
    with pytest.raises(DescribeError) as excinfo:
        parse_sobject(raw, "Opportunity.json")
    message = str(excinfo.value)
    assert message.startswith(
        "Opportunity.json: field Opportunity.StageName has unknown describe type "
        "'hologram' (known: "
    )
    assert "address, anyType, base64, boolean" in message


def test_structurally_broken_describe_is_a_describe_error() -> None:
    with pytest.raises(DescribeError) as excinfo:
        parse_sobject({"name": "X", "fields": [{"type": "string"}]}, "X.json")
    assert str(excinfo.value) == "X.json: invalid describe of X: fields.0.name: Field required"
    with pytest.raises(DescribeError):
        parse_sobject(["not", "an", "object"], "list.json")


def test_field_helpers_on_real_opportunity() -> None:
    opportunity = parse_sobject(load_json(REAL / "describe" / "cumulusci" / "Opportunity.json"))
    stage = opportunity.field("stagename")
    assert stage is not None and stage.name == "StageName"
    assert stage.required_on_create and not stage.restrictedPicklist
    assert stage.active_values[-2:] == ("Closed Won", "Closed Lost")
    name = opportunity.field("Name")
    assert name is not None and name.required_on_create
    is_won = opportunity.field("IsWon")
    assert is_won is not None and is_won.read_only
    assert opportunity.field("NoSuchField") is None
    assert "long" in FIELD_TYPES and "anyType" in FIELD_TYPES and len(FIELD_TYPES) == 26


def test_whizbang_dependent_picklist_map() -> None:
    whizbang = parse_sobject(load_json(REAL / "describe" / "restforce" / "Whizbang.json"))
    dependent = whizbang.field("Dependent_Picklist_Field")
    assert dependent is not None
    assert [(e.value, e.validFor) for e in dependent.picklistValues] == [
        ("seven", "gAAA"),
        ("eight", "gAAA"),
        ("nine", "QAAA"),
        ("ten", "AEAA"),
    ]
    assert dependent_map(whizbang, dependent) == {
        "one": ["seven", "eight"],
        "two": ["nine"],
        "three": [],
        "control_four": [],
        "control_five": [],
        "control_six": [],
        "control_seven": [],
        "control_eight": [],
        "control_nine": [],
        "control_ten": ["ten"],
    }


def test_checkbox_controller_indexes_are_false_then_true() -> None:
    whizbang = parse_sobject(load_json(REAL / "describe" / "restforce" / "Whizbang.json"))
    checkbox = next(f for f in whizbang.fields if f.type == "boolean")
    assert controller_values(checkbox) == ["false", "true"]


def test_documented_valid_for_vectors() -> None:
    assert decode_valid_for("gAAA") == [0]
    assert decode_valid_for("QAAA") == [1]
    assert decode_valid_for("oAAA") == [0, 2]
    assert decode_valid_for("AEAA") == [9]
    assert decode_valid_for("AAAI") == [20]
    with pytest.raises(DescribeError):
        decode_valid_for("not base64!")


@given(
    st.integers(min_value=1, max_value=300).flatmap(
        lambda n: st.tuples(st.just(n), st.sets(st.integers(min_value=0, max_value=n - 1)))
    )
)
def test_valid_for_encoding_round_trips(case: tuple[int, set[int]]) -> None:
    size, indexes = case
    encoded = encode_valid_for(sorted(indexes), size)
    assert decode_valid_for(encoded) == sorted(indexes)
    assert len(encoded) % 4 == 0 and "=" not in encoded
