"""The benches' raw pydantic baseline has the same shape as sfschema's models, and the workloads
are valid for both (so the ratios compare like with like)."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal

import pytest
from pydantic import ValidationError

from codegen.build import object_models
from sfschema.schema import OrgSchema
from sfschema.validate import record_validator
from tests.support.raw_baseline import (
    opportunity_updates,
    payload_of,
    raw_model,
    task_creates,
)

DEMO = OrgSchema.demo()


@pytest.mark.parametrize("object_name", DEMO.object_names)
@pytest.mark.parametrize("operation", ["create", "update"])
def test_same_fields_aliases_and_presence(object_name: str, operation: str) -> None:
    models = object_models(DEMO, object_name)
    model = models.create if operation == "create" else models.update
    raw = raw_model(model, models.meta)
    assert list(raw.model_fields) == list(model.model_fields)
    for name, info in model.model_fields.items():
        raw_info = raw.model_fields[name]
        assert (raw_info.alias, raw_info.is_required(), raw_info.default) == (
            info.alias,
            info.is_required(),
            info.default,
        )
        nullable = type(None) in typing.get_args(info.annotation)
        assert (type(None) in typing.get_args(raw_info.annotation)) == nullable
    assert raw.model_config["extra"] == "forbid"


def test_the_nearest_standard_constraints() -> None:
    opportunity, task = object_models(DEMO, "Opportunity"), object_models(DEMO, "Task")
    update = raw_model(opportunity.update, opportunity.meta)
    with pytest.raises(ValidationError) as caught:
        update.model_validate(
            {
                "AccountId": "001D000000K0fX!",
                "IsPrivate": "true",
                "Name": "x" * 121,
                "Amount": Decimal("1.234"),
                "Probability": 1000,
                "CloseDate": "31/01/2024",
                "ForecastCategoryName": "best case",
                "Bogus": 1,
            }
        )
    assert [(error["loc"], error["type"]) for error in caught.value.errors()] == [
        (("AccountId",), "string_pattern_mismatch"),
        (("IsPrivate",), "bool_type"),
        (("Name",), "string_too_long"),
        (("Amount",), "decimal_max_places"),
        (("Probability",), "decimal_max_digits"),
        (("CloseDate",), "date_from_datetime_parsing"),
        (("ForecastCategoryName",), "literal_error"),
        (("Bogus",), "extra_forbidden"),
    ]
    create = raw_model(task.create, task.meta)
    with pytest.raises(ValidationError) as caught:
        create.model_validate({"ReminderDateTime": dt.datetime(2024, 1, 1), "WhoId": None})
    assert [(error["loc"], error["type"]) for error in caught.value.errors()] == [
        (("ReminderDateTime",), "timezone_aware"),
    ]


@pytest.mark.parametrize("pooled", [True, False])
def test_workloads_are_valid_for_both_models(pooled: bool) -> None:
    opportunity, task = object_models(DEMO, "Opportunity"), object_models(DEMO, "Task")
    raw_update = payload_of(raw_model(opportunity.update, opportunity.meta))
    raw_create = payload_of(raw_model(task.create, task.meta))
    updates = record_validator(DEMO, "Opportunity")
    creates = record_validator(DEMO, "Task")
    for record_id, values in opportunity_updates(300, pooled):
        raw_update(values)
        assert updates.update(record_id, values).ok
    for values in task_creates(300, pooled):
        raw_create(values)
        assert creates.create(values).ok
