"""Hostile values: every number is a report entry in bounded time and memory, shown shortened;
JSON nested too deep is one line (issue 9, items 7 and 8)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfschema.cli import main
from sfschema.demo import demo_org_dir
from sfschema.ids import make_id
from sfschema.runtime.meta import FieldMeta
from sfschema.salesforce_errors import RECORD_CODES, SFSCHEMA_CODES
from sfschema.schema import OrgSchema
from sfschema.validate import ValidationIssue, record_validator, validate_update
from sfschema.validate.report import json_safe
from tests.conftest import load_json
from tests.validate.conftest import REAL_OBJECTS

OPP = make_id("006", 1)
NUMBER_TYPES = ("int", "long", "double", "currency", "percent")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args, "--snapshot", str(demo_org_dir())])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_tiny_currency_value_is_shown_short(capsys: pytest.CaptureFixture[str]) -> None:
    """-1e-999999999 once took 90 s, 13.7 GB and printed 2 GB (SCALE_ROUNDED wrote it out)."""
    code, out, err = run(
        capsys, "Opportunity", "--id", OPP, "--values", '{"Amount": -1e-999999999}'
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Opportunity update {OPP}: 0 errors, 2 warnings",
        "warning Amount: SCALE_ROUNDED: Amount: -1E-999999999 has more than 2 decimal places; "
        "Salesforce would store -0.00",
        "    → did you mean '-0.00'? Amount keeps 2 decimal places; round the value yourself to "
        "store what you mean",
        "warning Amount: PRECISION_LOSS: Amount: -1E-999999999 has more digits than a JSON "
        "number carries; it would be sent as -0.0",
        "    → send a number a float can carry, or send a string via your own client",
        'payload: {"Amount": -0.0}',
    ]


def test_huge_numbers_are_range_errors_shown_short(capsys: pytest.CaptureFixture[str]) -> None:
    """A 5,001-digit int (beyond Python's int parser) and 1e999999999 (an int of a billion
    digits, were it converted) are NUMBER_OUTSIDE_VALID_RANGE, shown by their ends."""
    values = '{"Amount": 1' + "0" * 5000 + ', "TotalOpportunityQuantity": 1e999999999}'
    code, out, err = run(capsys, "Opportunity", "--id", OPP, "--values", values, "--json")
    assert (code, err) == (1, "")
    assert json.loads(out)["errors"] == [
        {
            "field": "Amount",
            "code": "NUMBER_OUTSIDE_VALID_RANGE",
            "message": "Amount: value outside of valid range on numeric field: "
            "1000000000…0000000000 (5001 digits)",
            "value": "1" + "0" * 5000,
            "suggestion": None,
            "hint": "at most 16 digits before the decimal point",
        },
        {
            "field": "TotalOpportunityQuantity",
            "code": "NUMBER_OUTSIDE_VALID_RANGE",
            "message": "Quantity: value outside of valid range on numeric field: "
            "1000000000…0000000000 (1000000000 digits)",
            "value": "1E+999999999",
            "suggestion": None,
            "hint": "at most 16 digits before the decimal point",
        },
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("sNaN"), "sNaN"),
        (Decimal("-NaN"), "-NaN"),
        (Decimal("Infinity"), "Infinity"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
    ],
)
def test_not_a_number_is_a_type_error(value: Any, shown: str) -> None:
    report = validate_update(OrgSchema.demo(), "Opportunity", OPP, {"Amount": value})
    assert report.errors == (
        ValidationIssue(
            "Amount",
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            f"Amount: value not of required type: {shown}",
            value,
            None,
            "send a number",
        ),
    )
    assert report.to_json()["errors"][0]["value"] == shown


class Loud(int):
    """An int whose own text is not its value."""

    def __str__(self) -> str:
        return "1 OR Name != null"

    def __format__(self, spec: str) -> str:
        raise RuntimeError("no format")


def test_an_int_subclass_is_shown_by_its_value() -> None:
    account = make_id("001", 1)
    report = validate_update(
        OrgSchema.demo(), "Account", account, {"NumberOfEmployees": Loud(10**9)}
    )
    assert report.errors == (
        ValidationIssue(
            "NumberOfEmployees",
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Employees: value outside of valid range on numeric field: 1000000000",
            Loud(10**9),
            None,
            "at most 8 digits",
        ),
    )
    assert report.to_json()["errors"][0]["value"] == 10**9


def test_an_integer_field_refuses_huge_exponents_without_building_them() -> None:
    account = make_id("001", 1)
    demo = OrgSchema.demo()
    for value, code, shown in [
        (Decimal("1e999999999"), "NUMBER_OUTSIDE_VALID_RANGE", "1000000000…0000000000 "),
        (Decimal("-1.5e-999999999"), "INVALID_TYPE_ON_FIELD_IN_RECORD", "-1.5E-999999999"),
    ]:
        report = validate_update(demo, "Account", account, {"NumberOfEmployees": value})
        [issue] = report.errors
        assert (issue.field, issue.code) == ("NumberOfEmployees", code)
        assert shown in issue.message


def _number_fields() -> list[tuple[OrgSchema, str, FieldMeta]]:
    """Every updateable number field of the demo org and of the real describes."""
    real = OrgSchema({load_json(path)["name"]: load_json(path) for path in REAL_OBJECTS})
    found = []
    for schema in (OrgSchema.demo(), real):
        for name in schema.object_names:
            meta = record_validator(schema, name).meta
            found += [
                (schema, meta.name, described)
                for described in meta.fields
                if described.type in NUMBER_TYPES and described.updateable
            ]
    return found


NUMBER_FIELDS = _number_fields()


class Odd(Decimal):
    """A Decimal whose own text is long and not its value."""

    def __str__(self) -> str:
        return "9" * 10_000


class Wide(float):
    def __repr__(self) -> str:
        return "x" * 10_000


HOSTILE = st.one_of(
    st.integers(),
    st.integers(min_value=0, max_value=30_000).map(lambda exponent: -(10**exponent) + 1),
    st.floats(),
    st.decimals(),
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
        st.integers(0, 1),
        st.lists(st.integers(0, 9), min_size=1, max_size=80),
        st.integers(-(10**15), 10**15),
    ),
    st.sampled_from([Decimal("sNaN"), Decimal("-sNaN"), Decimal("-Infinity"), True]),
    st.integers().map(Loud),
    st.decimals(allow_nan=False).map(Odd),
    st.floats().map(Wide),
    st.integers(-(10**40), 10**40).map(str),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(NUMBER_FIELDS), value=HOSTILE)
def test_any_number_gives_a_short_report(
    field: tuple[OrgSchema, str, FieldMeta], value: Any
) -> None:
    schema, object_name, described = field
    meta = record_validator(schema, object_name).meta
    record_id = make_id(meta.key_prefix or "a00", 5)
    report = validate_update(schema, object_name, record_id, {described.name: value})
    issues = report.errors + report.warnings
    assert {issue.code for issue in issues} <= RECORD_CODES | SFSCHEMA_CODES
    assert all(issue.field == described.name for issue in issues)
    assert report.ok == (described.name in report.payload)
    for issue in issues:
        assert len(issue.message) < 400 + len(described.label)
        assert issue.suggestion is None or len(issue.suggestion) < 400
    assert len(str(report)) < 2_000
    # the input value is carried whole in JSON (up to Python's 4,300-digit limit), else shown
    carried = len(json.dumps(json_safe(value)))
    assert carried < 4_400
    assert len(json.dumps(report.to_json())) < 3_000 + 2 * carried


@pytest.mark.parametrize("depth", [17, 1_000, 100_000])
def test_values_nested_too_deep_are_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, depth: int
) -> None:
    text = '{"Name": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, err = run(capsys, "Account", "--create", "--values", "@-")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: --values: stdin nests more than 16 levels deep (field values are an object of "
        "values; a relationship by external id adds one level, its attributes one more)"
    ]


def test_values_nested_to_the_limit_are_validated(capsys: pytest.CaptureFixture[str]) -> None:
    text = '{"Name": ' + "[" * 15 + "]" * 15 + "}"
    code, out, err = run(capsys, "Account", "--create", "--values", text)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "Account create: 1 error, 0 warnings",
        "error   Name: INVALID_TYPE_ON_FIELD_IN_RECORD: Account Name: value not of required "
        "type: …",
        "    → send text (a JSON string)",
    ]
