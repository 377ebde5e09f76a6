"""sfschema.runtime: each marker's accepted inputs, payload form, and Salesforce error codes."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from typing import Annotated, Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from sfschema import ids
from sfschema import runtime as sf

ALNUM = string.ascii_letters + string.digits

TEXT = TypeAdapter(Annotated[str, sf.Text("Name", "Account Name", max_length=5)])
PICK = TypeAdapter(Annotated[Literal["Hot", "Cold"], sf.Picklist("Rating", "Account Rating")])
MULTI = TypeAdapter(
    Annotated[str | list[str], sf.MultiPicklist("Tags__c", "Tags", max_length=9, values=("A", "B"))]
)
OPEN_MULTI = TypeAdapter(Annotated[str | list[str], sf.MultiPicklist("Any__c", "Any")])
FLAG = TypeAdapter(Annotated[bool, sf.Checkbox("IsPrivate", "Private")])
INT = TypeAdapter(Annotated[int, sf.Integer("Employees", "Employees", digits=3)])
DATE = TypeAdapter(Annotated[dt.date, sf.DateOnly("CloseDate", "Close Date")])
MOMENT = TypeAdapter(Annotated[dt.datetime, sf.DateTime("Start", "Start")])
CLOCK = TypeAdapter(Annotated[dt.time, sf.TimeOfDay("At__c", "At")])
REF = TypeAdapter(
    Annotated[str, sf.SalesforceId("WhatId", "Related To ID", prefixes=("001", "006"))]
)
ANY_ID = TypeAdapter(Annotated[str, sf.SalesforceId("Ref__c", "Ref")])
BLOB = TypeAdapter(Annotated[str | bytes, sf.Base64("Body", "Body")])


def number(precision: int, scale: int) -> TypeAdapter[Decimal]:
    return TypeAdapter(Annotated[Decimal, sf.Number("Amount", "Amount", precision, scale)])


def sent(adapter: TypeAdapter[Any], value: Any) -> Any:
    return adapter.dump_python(adapter.validate_python(value), mode="json")


def failure(adapter: TypeAdapter[Any], value: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(value)
    [error] = caught.value.errors(include_url=False)
    return dict(error)


def test_each_code_with_its_context() -> None:
    assert failure(TEXT, "toolong") == {
        "type": "STRING_TOO_LONG",
        "loc": (),
        "msg": "Account Name: data value too large (max length=5)",
        "input": "toolong",
        "ctx": {"field": "Name", "label": "Account Name", "max_length": 5},
    }
    assert failure(TEXT, None) == {
        "type": "REQUIRED_FIELD_MISSING",
        "loc": (),
        "msg": "Required fields are missing: [Name]",
        "input": None,
        "ctx": {"field": "Name", "label": "Account Name", "max_length": 5},
    }
    assert failure(TEXT, 5) == {
        "type": "INVALID_TYPE_ON_FIELD_IN_RECORD",
        "loc": (),
        "msg": "Account Name: value not of required type (expected text)",
        "input": 5,
        "ctx": {"field": "Name", "label": "Account Name", "max_length": 5, "expected": "text"},
    }
    assert failure(PICK, "hot") == {
        "type": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "loc": (),
        "msg": "Account Rating: bad value for restricted picklist field",
        "input": "hot",
        "ctx": {"field": "Rating", "label": "Account Rating"},
    }
    assert failure(INT, 1000) == {
        "type": "NUMBER_OUTSIDE_VALID_RANGE",
        "loc": (),
        "msg": "Employees: value outside of valid range on numeric field (max 3 digits)",
        "input": 1000,
        "ctx": {"field": "Employees", "label": "Employees", "digits": 3},
    }
    assert failure(REF, "001D000000K0fXOAAA") == {
        "type": "MALFORMED_ID",
        "loc": (),
        "msg": "Related To ID: id value of incorrect type",
        "input": "001D000000K0fXOAAA",
        "ctx": {"field": "WhatId", "label": "Related To ID"},
    }
    assert failure(REF, "003D000000K0fXO") == {  # the prefix is checked on the 18 characters
        "type": "FIELD_INTEGRITY_EXCEPTION",
        "loc": (),
        "msg": "Related To ID: id value of incorrect type",
        "input": "003D000000K0fXOIAZ",
        "ctx": {"field": "WhatId", "label": "Related To ID", "prefixes": ("001", "006")},
    }
    assert failure(MULTI, ["A", "C", "D"])["ctx"] == {
        "field": "Tags__c",
        "label": "Tags",
        "bad": "C;D",
    }


@pytest.mark.parametrize(
    ("adapter", "value", "expected"),
    [
        (FLAG, True, True),
        (FLAG, False, False),
        (INT, "42", 42),
        (INT, 42.0, 42),
        (INT, Decimal("-999"), -999),
        (DATE, "2024-02-29", "2024-02-29"),
        (DATE, dt.date(2024, 1, 2), "2024-01-02"),
        (MOMENT, "2024-01-31T10:00:00+02:00", "2024-01-31T08:00:00.000Z"),
        (MOMENT, "2013-05-20T20:49:32.123+0000", "2013-05-20T20:49:32.123Z"),
        (MOMENT, dt.datetime(2024, 1, 1, tzinfo=dt.UTC), "2024-01-01T00:00:00.000Z"),
        (CLOCK, "22:12", "22:12:00.000Z"),
        (CLOCK, "22:12:30.999Z", "22:12:30.999Z"),
        (CLOCK, dt.time(8, 0), "08:00:00.000Z"),
        (MULTI, ["A", "B"], "A;B"),
        (MULTI, ("B",), "B"),
        (MULTI, "B;A", "B;A"),
        (OPEN_MULTI, ["anything", "else"], "anything;else"),
        (REF, "006d000000k0fxo", "006d000000k0fxoAAA"),
        (REF, "001d000000k0fxoiaz", "001D000000K0fXOIAZ"),
        (ANY_ID, "a0RE000000IJmcN", "a0RE000000IJmcNMAT"),
        (BLOB, b"hi", "aGk="),
        (BLOB, "aGk=", "aGk="),
        (number(5, 2), "123.456", 123.456),
        (number(5, 2), 12, 12),
        (number(5, 2), Decimal("-999.99"), -999.99),
        (number(3, 0), 7.0, 7),
    ],
)
def test_accepted_inputs_and_the_payload_sent(adapter: Any, value: Any, expected: Any) -> None:
    result = sent(adapter, value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("adapter", "value", "code"),
    [
        (FLAG, "yes", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (FLAG, 1, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (FLAG, "true", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (INT, True, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (INT, 1.5, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (INT, "1e3", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (INT, -1000, "NUMBER_OUTSIDE_VALID_RANGE"),
        (number(5, 2), False, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (number(5, 2), "abc", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (number(5, 2), float("nan"), "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (number(5, 2), float("inf"), "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (number(5, 2), 1000, "NUMBER_OUTSIDE_VALID_RANGE"),
        (DATE, "2024-02-30", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (DATE, "31/01/2024", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (DATE, "2024-01-31T00:00:00Z", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (DATE, dt.datetime(2024, 1, 31), "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (DATE, 1706659200, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (MOMENT, "2024-01-31T10:00:00", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (MOMENT, dt.datetime(2024, 1, 31, 10), "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (MOMENT, 1706659200, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (MOMENT, "1706659200", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (MOMENT, "2024-01-31", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (CLOCK, 3600, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (CLOCK, "25:00", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (MULTI, "A;B;A;B;A;B", "STRING_TOO_LONG"),
        (MULTI, [1], "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (MULTI, {"A": 1}, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (PICK, 3, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (PICK, None, "REQUIRED_FIELD_MISSING"),
        (REF, "001D000000K0fX", "MALFORMED_ID"),
        (REF, 12345, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (REF, "00QD000000K0fXOMAZ", "FIELD_INTEGRITY_EXCEPTION"),
        (BLOB, "not base64!", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
        (TEXT, ["a"], "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    ],
)
def test_rejected_inputs_name_the_salesforce_code(adapter: Any, value: Any, code: str) -> None:
    assert failure(adapter, value)["type"] == code


@settings(max_examples=200)
@given(st.text(alphabet=ALNUM, min_size=15, max_size=15))
def test_ids_normalise_to_18_in_any_case(id15: str) -> None:
    id18 = ids.to18(id15)
    assert sent(ANY_ID, id15) == id18
    assert sent(ANY_ID, id18.lower()) == id18 or id15 != id15.lower()
    assert sent(ANY_ID, id18) == id18


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=20).filter(lambda s: not ids.is_valid(s)))
def test_anything_else_is_a_malformed_id(text: str) -> None:
    assert failure(ANY_ID, text)["type"] == "MALFORMED_ID"


def test_an_empty_string_clears_a_lookup_that_can_be_empty() -> None:
    assert sent(ANY_ID, "") == ""  # Salesforce stores it as null


@settings(max_examples=200)
@given(
    st.integers(min_value=1, max_value=18).flatmap(
        lambda p: st.tuples(st.just(p), st.integers(min_value=0, max_value=p))
    ),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**20), max_value=10**20
    ),
)
def test_numbers_are_bounded_by_left_digits(ps: tuple[int, int], value: Decimal) -> None:
    precision, scale = ps
    adapter = number(precision, scale)
    if abs(value) < Decimal(10) ** (precision - scale):
        kept = adapter.validate_python(value)
        assert (type(kept), kept) == (Decimal, value)  # never through a float
        result = sent(adapter, value)
        assert result == (int(value) if value == value.to_integral_value() else float(value))
        assert sent(adapter, str(value)) == result or "E" in str(value)
    else:
        assert failure(adapter, value)["type"] == "NUMBER_OUTSIDE_VALID_RANGE"


def _whole_minute_offset(moment: dt.datetime) -> bool:
    # ISO 8601 text has no seconds in offsets: local mean times (e.g. +02:59:54) are left out.
    offset = moment.utcoffset()
    return offset is not None and offset.total_seconds() % 60 == 0


@settings(max_examples=200)
@given(st.datetimes(timezones=st.timezones()).filter(_whole_minute_offset))
def test_aware_datetimes_are_sent_in_utc(moment: dt.datetime) -> None:
    try:
        utc = moment.astimezone(dt.UTC)
    except OverflowError:  # no UTC form (e.g. year 1 at +02:00): refused, never a crash later
        for value in (moment, moment.isoformat()):
            error = failure(MOMENT, value)
            assert (error["type"], error["msg"]) == (
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                "Start: value not of required type (expected a timezone-aware datetime whose "
                "UTC time is within the years 1 to 9999)",
            )
        return
    # ISO 8601 with a 4-digit year (strftime's %Y drops leading zeros on glibc)
    expected = utc.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    assert sent(MOMENT, moment) == expected
    assert sent(MOMENT, moment.isoformat()) == expected


EDGE_OFFSETS = [
    dt.timezone(dt.timedelta(hours=h, minutes=m)) for h, m in ((2, 0), (-2, 0), (14, 0), (-12, -59))
]


@pytest.mark.parametrize("zone", EDGE_OFFSETS, ids=str)
def test_datetimes_at_the_ends_of_the_calendar(zone: dt.timezone) -> None:
    """The first and last instants with a UTC form are accepted; a microsecond beyond is not."""
    offset = zone.utcoffset(None)
    first = (dt.datetime.min + offset).replace(tzinfo=zone) if offset > dt.timedelta(0) else None
    last = (dt.datetime.max + offset).replace(tzinfo=zone) if offset < dt.timedelta(0) else None
    if first is not None:
        assert sent(MOMENT, first) == "0001-01-01T00:00:00.000Z"
        assert failure(MOMENT, first - dt.timedelta(microseconds=1))["ctx"] == {
            "field": "Start",
            "label": "Start",
            "expected": "a timezone-aware datetime whose UTC time is within the years 1 to 9999",
        }
        assert failure(MOMENT, dt.datetime(1, 1, 1, tzinfo=zone).isoformat())["type"] == (
            "INVALID_TYPE_ON_FIELD_IN_RECORD"
        )
    if last is not None:
        assert sent(MOMENT, last) == "9999-12-31T23:59:59.999Z"
        assert failure(MOMENT, last + dt.timedelta(microseconds=1))["type"] == (
            "INVALID_TYPE_ON_FIELD_IN_RECORD"
        )


@settings(max_examples=100)
@given(st.datetimes())
def test_naive_datetimes_are_never_guessed(moment: dt.datetime) -> None:
    assert failure(MOMENT, moment)["type"] == "INVALID_TYPE_ON_FIELD_IN_RECORD"
    assert failure(MOMENT, moment.isoformat())["type"] == "INVALID_TYPE_ON_FIELD_IN_RECORD"


@settings(max_examples=100)
@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_dates_round_trip(day: dt.date) -> None:
    assert sent(DATE, day) == day.isoformat()
    assert sent(DATE, day.isoformat()) == day.isoformat()


@settings(max_examples=100)
@given(st.lists(st.sampled_from(["A", "B"]), min_size=1, max_size=4))
def test_multipicklist_list_or_text(values: list[str]) -> None:
    joined = ";".join(values)
    if len(joined) <= 9:
        assert sent(MULTI, values) == joined
        assert sent(MULTI, joined) == joined
    else:
        assert failure(MULTI, values)["type"] == "STRING_TOO_LONG"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
ADAPTERS = [TEXT, PICK, MULTI, OPEN_MULTI, FLAG, INT, DATE, MOMENT, CLOCK, REF, ANY_ID, BLOB]


@settings(max_examples=300)
@given(st.sampled_from([*ADAPTERS, number(18, 2), number(3, 3)]), JSON)
def test_any_json_gives_a_value_or_salesforce_codes(adapter: Any, value: Any) -> None:
    try:
        adapter.dump_python(adapter.validate_python(value), mode="json")
    except ValidationError as exc:
        assert {error["type"] for error in exc.errors()} <= sf.ERROR_CODES


def test_required_text_picklist_and_id_markers_refuse_an_empty_string() -> None:
    """Salesforce stores "" as null: for a field that cannot be null it is a missing value."""
    adapters = {
        "Name": TypeAdapter(Annotated[str, sf.Text("Name", "Name", max_length=80, required=True)]),
        "Kind__c": TypeAdapter(
            Annotated[Literal["A", "B"], sf.Picklist("Kind__c", "Kind", required=True)]
        ),
        "Tags__c": TypeAdapter(
            Annotated[str | list[str], sf.MultiPicklist("Tags__c", "Tags", required=True)]
        ),
        "Account__c": TypeAdapter(
            Annotated[
                str, sf.SalesforceId("Account__c", "Account", prefixes=("001",), required=True)
            ]
        ),
    }
    for field, adapter in adapters.items():
        for empty in ("", []) if field == "Tags__c" else ("",):
            with pytest.raises(ValidationError) as caught:
                adapter.validate_python(empty)
            assert [(e["type"], e["msg"]) for e in caught.value.errors()] == [
                ("REQUIRED_FIELD_MISSING", f"Required fields are missing: [{field}]")
            ]
    optional = TypeAdapter(Annotated[str, sf.Text("Description", "Description", max_length=80)])
    assert optional.validate_python("") == ""
