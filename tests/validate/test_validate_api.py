"""The public surface: sources (schema, ObjectModels, generated package), the raising variants,
the report's JSON and text, and what is not field_values."""

from __future__ import annotations

import gc
import json
import weakref
from typing import Any

import pytest

from codegen.build import object_models
from sfschema.errors import DescribeError, RecordValidationError
from sfschema.ids import make_id
from sfschema.schema import OrgSchema
from sfschema.validate import (
    ValidationIssue,
    ensure_valid_create,
    ensure_valid_update,
    record_validator,
    validate_create,
    validate_update,
)

OPP = make_id("006", 1)


@pytest.fixture(scope="module")
def demo() -> OrgSchema:
    return OrgSchema.demo()


def test_report_json_and_text(demo: OrgSchema) -> None:
    report = validate_update(
        demo, "Opportunity", OPP, {"StageName": "closed won", "ForecastCategoryName": "commit"}
    )
    data = report.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "object": "Opportunity",
        "operation": "update",
        "record_id": OPP,
        "record_type_id": None,
        "ok": False,
        "payload": {},
        "errors": [
            {
                "field": "ForecastCategoryName",
                "code": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                "message": "Forecast Category: bad value for restricted picklist field: commit",
                "value": "commit",
                "suggestion": "Commit",
                "hint": "allowed values: 'Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'",
            }
        ],
        "warnings": [
            {
                "field": "StageName",
                "code": "UNKNOWN_PICKLIST_VALUE",
                "message": "Stage: value not in the picklist's known values: closed won",
                "value": "closed won",
                "suggestion": "Closed Won",
                "hint": "allowed values: 'Prospecting', 'Qualification', 'Needs Analysis', "
                "'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', "
                "'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'",
            }
        ],
    }
    assert str(report).splitlines() == [
        f"Opportunity update {OPP}: 1 error, 1 warning",
        "error   ForecastCategoryName: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Forecast "
        "Category: bad value for restricted picklist field: commit",
        "    → did you mean 'Commit'? allowed values: 'Omitted', 'Pipeline', 'Best Case', "
        "'Commit', 'Closed'",
        "warning StageName: UNKNOWN_PICKLIST_VALUE: Stage: value not in the picklist's known "
        "values: closed won",
        "    → did you mean 'Closed Won'? allowed values: 'Prospecting', 'Qualification', "
        "'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', "
        "'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'",
    ]
    valid = validate_create(demo, "Task", {"Subject": "Call"})
    assert str(valid) == "Task create: valid"


def test_raising_variants_carry_the_report(demo: OrgSchema) -> None:
    with pytest.raises(RecordValidationError) as excinfo:
        ensure_valid_update(demo, "Opportunity", OPP, {"Amount": "lots"})
    report = excinfo.value.report
    assert report.errors == (
        ValidationIssue(
            "Amount",
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Amount: value not of required type: lots",
            "lots",
            None,
            "send a number",
        ),
    )
    assert str(excinfo.value) == (
        f"Opportunity update {OPP}: 1 error, 0 warnings\n"
        "error   Amount: INVALID_TYPE_ON_FIELD_IN_RECORD: Amount: value not of required type: "
        "lots\n    → send a number"
    )
    with pytest.raises(RecordValidationError):
        ensure_valid_create(demo, "Task", {"Priority": None})
    ok = ensure_valid_create(demo, "Task", {"Priority": "High"}, strict=True)
    assert ok.payload == {"Priority": "High"}
    assert ensure_valid_update(demo, "Task", make_id("00T", 4), {"Priority": "Low"}).ok


def test_field_values_that_are_not_an_object(demo: OrgSchema) -> None:
    for values in ([1, 2], None, "Name=x", 3):
        report = validate_create(demo, "Task", values)
        assert report.errors == (
            ValidationIssue(
                "",
                "JSON_PARSER_ERROR",
                "field values must be a JSON object (field name → value), got "
                + type(values).__name__,
                values,
                None,
                'send an object such as {"Name": "Acme"}',
            ),
        )


def test_non_string_keys_are_unknown_fields(demo: OrgSchema) -> None:
    report = validate_update(demo, "Opportunity", OPP, {1: "x", ("a",): 2})
    assert [(e.field, e.code) for e in report.errors] == [
        ("1", "INVALID_FIELD"),
        ("('a',)", "INVALID_FIELD"),
    ]


def test_models_and_generated_package_are_sources_too(demo: OrgSchema) -> None:
    values = {"StageName": "closed won", "Amount": 10**17}
    by_schema = validate_update(demo, "Opportunity", OPP, values)
    by_models = validate_update(object_models(demo, "Opportunity"), "Opportunity", OPP, values)
    assert by_models == by_schema
    by_package = validate_update("generated.demo", "Opportunity", OPP, values)
    assert by_package == by_schema and by_package.errors and by_package.warnings
    with pytest.raises(DescribeError, match="the models given are for Opportunity, not Task"):
        validate_create(object_models(demo, "Opportunity"), "Task", {})


def test_validators_are_cached_per_models(demo: OrgSchema) -> None:
    assert record_validator(demo, "Task") is record_validator(demo, "task")


def test_unknown_object_is_a_describe_error(demo: OrgSchema) -> None:
    with pytest.raises(DescribeError, match=r"did you mean 'Opportunity'"):
        validate_create(demo, "Opportunty", {})


def _broken(field_changes: dict[str, Any]) -> OrgSchema:
    payload = {
        "name": "Thing__c",
        "keyPrefix": "a00",
        "fields": [
            {"name": "Id", "type": "id", "label": "Thing ID", "length": 18, "nillable": False},
            {
                "name": "Kind__c",
                "type": "picklist",
                "label": "Kind",
                "createable": True,
                "updateable": True,
                "picklistValues": [{"value": "A", "active": True}],
                **field_changes,
            },
        ],
    }
    return OrgSchema({"Thing__c": payload})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"type": "hologram"}, "unknown describe type 'hologram'"),
        ({"picklistValues": "A;B"}, "invalid describe of Thing__c"),
        ({"length": "long"}, "invalid describe of Thing__c"),
        (
            {
                "dependentPicklist": True,
                "controllerName": "Id",
                "picklistValues": [{"value": "A", "active": True, "validFor": "%%%"}],
            },
            "validFor '%%%' is not base64",
        ),
    ],
)
def test_bad_describe_data_is_a_describe_error(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(DescribeError, match=message):
        validate_create(_broken(changes), "Thing__c", {"Kind__c": "A"})


def test_the_last_validator_is_remembered_without_keeping_its_schema_alive() -> None:
    schema = OrgSchema.demo()
    task = record_validator(schema, "Task")
    assert record_validator(schema, "Task") is task
    assert record_validator(schema, "task") is task  # another spelling: the per-schema cache
    opportunity = record_validator(schema, "Opportunity")
    assert opportunity is not task and record_validator(schema, "Task") is task
    assert record_validator("generated.demo", "Task") is record_validator("generated.demo", "Task")
    assert record_validator("generated.demo", "Task") is not task
    other = OrgSchema.demo()
    assert record_validator(other, "Task") is not task
    record_validator(other, "Task")  # remembered last
    alive = weakref.ref(other)
    del other
    gc.collect()
    assert alive() is None
