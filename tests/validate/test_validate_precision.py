"""Numbers reach the payload exactly, or the report says they do not (PRECISION_LOSS).

The payload carries Decimals as JSON numbers. Read back as Salesforce reads JSON (decimal text,
here ``json.loads(..., parse_float=Decimal)``), every number within its field's precision and
scale either equals the value given, or the report has a PRECISION_LOSS warning for it.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sfschema.ids import make_id
from sfschema.runtime.meta import FieldMeta
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue, record_validator, validate_create, validate_update

GENERATED = "generated.demo"
NUMBER_TYPES = ("double", "currency", "percent")


@pytest.fixture(scope="module")
def demo() -> OrgSchema:
    return OrgSchema.demo()


def _number_fields() -> list[tuple[str, FieldMeta]]:
    schema = OrgSchema.demo()
    found = []
    for name in schema.object_names:
        meta = record_validator(schema, name).meta
        found += [
            (meta.name, described)
            for described in meta.fields
            if described.type in NUMBER_TYPES and described.updateable
        ]
    return found


NUMBER_FIELDS = _number_fields()


def within(described: FieldMeta) -> st.SearchStrategy[Decimal]:
    """Decimals a field takes: at most precision - scale digits left of the point, scale right
    (small ones, and ones using every digit the field has)."""
    unit = Decimal(1).scaleb(-described.scale)
    top = Decimal(10) ** (described.precision - described.scale) - unit
    small = st.decimals(
        min_value=-top,
        max_value=top,
        places=described.scale,
        allow_nan=False,
        allow_infinity=False,
    )
    full = st.builds(
        lambda sign, digits: Decimal(sign * int(digits)).scaleb(-described.scale),
        st.sampled_from([1, -1]),
        st.text("0123456789", min_size=described.precision, max_size=described.precision),
    )
    return small | full


def read_back(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as Salesforce reads it: JSON text, numbers as decimals."""
    parsed: dict[str, Any] = json.loads(json.dumps(payload), parse_float=Decimal)
    return parsed


def exact_json(value: Decimal) -> bool:
    """True when some JSON number's text is exactly ``value`` as sent by sfschema."""
    if value == value.to_integral_value():
        return True
    return Decimal(repr(float(value))) == value


def test_the_example_from_the_bug_report(demo: OrgSchema) -> None:
    opportunity = make_id("006", 1)
    value = Decimal("1234567890123456.78")
    for source in (demo, GENERATED):
        report = validate_update(source, "Opportunity", opportunity, {"Amount": value})
        assert report.ok
        assert report.payload == {"Amount": 1234567890123456.8}
        assert report.warnings == (
            ValidationIssue(
                field="Amount",
                code="PRECISION_LOSS",
                message="Amount: 1234567890123456.78 has more digits than a JSON number "
                "carries; it would be sent as 1234567890123456.8",
                value=value,
                suggestion="1234567890123456.8",
                hint="round to 17 significant digits (1234567890123456.8) or send a string via "
                "your own client",
            ),
        )
    text = validate_update(demo, "Opportunity", opportunity, {"Amount": "1234567890123456.78"})
    assert text.warnings[0].value == "1234567890123456.78"
    assert text.warnings[0].message == report.warnings[0].message


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (Decimal("0.1"), 0.1),
        (Decimal("1234.50"), 1234.5),
        (Decimal("12.00"), 12),
        (Decimal("-999999999999999.99"), None),  # 17 digits: one float cannot carry them
        (Decimal("9999999999999999"), 9999999999999999),  # integral: an exact JSON int
        (Decimal("123456789012345.6"), 123456789012345.6),  # 16 digits that a float keeps
    ],
)
def test_numbers_sent_exactly(demo: OrgSchema, value: Decimal, sent: float | None) -> None:
    values = {"Amount": value, "Name": "x", "StageName": "Prospecting", "CloseDate": "2024-05-01"}
    report = validate_create(demo, "Opportunity", values)
    assert report.ok
    lost = [issue for issue in report.warnings if issue.code == "PRECISION_LOSS"]
    if sent is None:
        assert [issue.field for issue in lost] == ["Amount"]
        assert read_back(report.payload)["Amount"] != value
    else:
        assert lost == []
        assert report.payload["Amount"] == sent
        assert type(report.payload["Amount"]) is type(sent)
        assert read_back(report.payload)["Amount"] == value


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_every_number_round_trips_or_is_reported(demo: OrgSchema, data: st.DataObject) -> None:
    object_name, described = data.draw(st.sampled_from(NUMBER_FIELDS), label="field")
    value = data.draw(within(described), label="value")
    given_as = data.draw(st.sampled_from(["Decimal", "text"]), label="given as")
    given_value: Any = value if given_as == "Decimal" else format(value, "f")
    meta = record_validator(demo, object_name).meta
    record_id = make_id(meta.key_prefix or "a00", 5)
    values = {described.name: given_value}
    runtime = validate_update(demo, object_name, record_id, values)
    assert validate_update(GENERATED, object_name, record_id, values) == runtime
    # another spelling of the key takes the slow path: the same report
    slow = validate_update(demo, object_name, record_id, {described.name.lower(): given_value})
    assert slow == runtime
    assert runtime.ok and runtime.errors == ()
    back = read_back(runtime.payload)[described.name]
    lost = [issue for issue in runtime.warnings if issue.code == "PRECISION_LOSS"]
    if Decimal(back) == value:
        event("exact")
        assert lost == []
        assert exact_json(value)
        return
    event("reported")
    assert not exact_json(value)
    [issue] = lost
    assert (issue.field, issue.value) == (described.name, given_value)
    assert issue.message == (
        f"{described.label}: {format(value, 'f')} has more digits than a JSON number carries; "
        f"it would be sent as {format(Decimal(back), 'f')}"
    )
    _assert_the_fix_is_right(value, issue)


def _assert_the_fix_is_right(value: Decimal, issue: ValidationIssue) -> None:
    """The suggestion is sent exactly, and it keeps as many digits as any exact rounding can."""
    assert issue.suggestion is not None and issue.hint is not None
    suggested = Decimal(issue.suggestion)
    digits = len(suggested.normalize().as_tuple().digits)
    assert issue.hint == (
        f"round to {digits} significant digits ({issue.suggestion}) or send a string via your "
        "own client"
    )
    assert exact_json(suggested)
    assert suggested == Context(prec=digits).plus(value)
    for more in range(digits + 1, len(value.as_tuple().digits)):
        rounded = Context(prec=more).plus(value)
        assert rounded == suggested or not exact_json(rounded)


def shown(number: Decimal) -> str:
    """A number as messages show it: plain, unless that is longer than 64 characters (sign
    aside); then scientific (a float has at most 17 digits, all shown)."""
    text = format(number, "f")
    return text if len(text.lstrip("-")) <= 64 else format(number, "E")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(NUMBER_FIELDS),
    number=st.floats(allow_nan=False, allow_infinity=False, min_value=-999, max_value=999),
)
def test_floats_are_sent_as_given(
    demo: OrgSchema, field: tuple[str, FieldMeta], number: float
) -> None:
    object_name, described = field
    meta = record_validator(demo, object_name).meta
    record_id = make_id(meta.key_prefix or "a00", 5)
    report = validate_update(demo, object_name, record_id, {described.name: number})
    given = Decimal(repr(number))
    stored = given.quantize(Decimal(1).scaleb(-described.scale), rounding=ROUND_HALF_UP)
    if stored == given:
        assert report.warnings == ()
    else:  # more decimal places than the scale: sent as given, stored rounded
        assert report.warnings == (
            ValidationIssue(
                described.name,
                "SCALE_ROUNDED",
                f"{described.label}: {shown(given)} has more than {described.scale} "
                f"decimal places; Salesforce would store {format(stored, 'f')}",
                number,
                format(stored, "f"),
                f"{described.name} keeps {described.scale} decimal places; round the value "
                "yourself to store what you mean",
            ),
        )
    assert report.payload == {described.name: number}
    assert json.loads(json.dumps(report.payload)) == report.payload


@pytest.mark.parametrize("given", [Decimal("1250.005"), "1250.005", 1250.005])
def test_decimals_beyond_the_scale_are_a_warning_naming_what_is_stored(
    demo: OrgSchema, given: Any
) -> None:
    """Opportunity.Amount has scale 2: Salesforce stores 1250.005 as 1250.01.

    (SOAP API Developer Guide: Field Types.)
    """
    record_id = make_id("006", 5)
    for values in ({"Amount": given}, {"amount": given, "Name": "Big deal"}):
        report = validate_update(demo, "Opportunity", record_id, values)
        assert report.errors == ()
        assert report.warnings == (
            ValidationIssue(
                "Amount",
                "SCALE_ROUNDED",
                "Amount: 1250.005 has more than 2 decimal places; Salesforce would store 1250.01",
                given,
                "1250.01",
                "Amount keeps 2 decimal places; round the value yourself to store what you mean",
            ),
        )
        assert report.payload["Amount"] == 1250.005
    within = validate_update(demo, "Opportunity", record_id, {"Amount": Decimal("1250.50")})
    assert (within.ok, within.payload, within.warnings) == (True, {"Amount": 1250.5}, ())
