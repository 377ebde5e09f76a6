"""Behaviour of the generated models, at run time and from generated/demo (the same source)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from codegen.build import ObjectModels, generated_models, object_models
from codegen.meta import object_meta
from sfschema.errors import CodegenError, DescribeError
from sfschema.ids import make_id, to15
from sfschema.schema import OrgSchema
from tests.support.codegen_helpers import REAL, snapshot_from


@pytest.fixture(scope="module")
def demo() -> OrgSchema:
    return OrgSchema.demo()


@pytest.fixture(scope="module")
def cumulusci() -> OrgSchema:
    payloads = {}
    for path in sorted((REAL / "cumulusci").glob("*.json")):
        if path.stem != "_global":
            payloads[path.stem] = json.loads(path.read_text())
    return OrgSchema(payloads, json.loads((REAL / "cumulusci" / "_global.json").read_text()))


def errors(model: type[BaseModel], values: dict[str, Any]) -> list[tuple[Any, ...]]:
    try:
        model.model_validate(values)
    except ValidationError as exc:
        return [(e["loc"], e["type"], e["msg"]) for e in exc.errors()]
    return []


def payload(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_validate(values).model_dump(
        mode="json", exclude_unset=True, by_alias=True
    )
    return dumped


def test_restricted_picklist_rejects_unknown_value(cumulusci: OrgSchema) -> None:
    update = object_models(cumulusci, "Opportunity").update
    assert errors(update, {"ForecastCategoryName": "Maybe"}) == [
        (
            ("ForecastCategoryName",),
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Forecast Category: bad value for restricted picklist field",
        )
    ]
    assert payload(update, {"ForecastCategoryName": "Best Case"}) == {
        "ForecastCategoryName": "Best Case"
    }


def test_open_picklist_takes_any_string(cumulusci: OrgSchema) -> None:
    models = object_models(cumulusci, "Opportunity")
    assert payload(models.update, {"StageName": "closed won (typo)"}) == {
        "StageName": "closed won (typo)"
    }
    assert errors(models.update, {"StageName": "x" * 256}) == [
        (("StageName",), "STRING_TOO_LONG", "Stage: data value too large (max length=255)")
    ]


def test_formula_field_is_absent_from_update_and_create(cumulusci: OrgSchema) -> None:
    """A real formula field (npsp Account) added to the real Opportunity describe."""
    npsp = json.loads((REAL / "cumulusci-npsp" / "Account.json").read_text())
    formula = next(f for f in npsp["fields"] if f["name"] == "npsp__Membership_Span__c")
    assert formula["calculated"] and formula["calculatedFormula"]
    opportunity = copy.deepcopy(cumulusci.raw("Opportunity"))
    opportunity["fields"].append(formula)
    schema = OrgSchema({"Opportunity": opportunity})
    models = object_models(schema, "Opportunity")
    assert "npsp__Membership_Span__c" in models.read.model_fields
    assert "npsp__Membership_Span__c" not in models.update.model_fields
    assert "npsp__Membership_Span__c" not in models.create.model_fields
    assert errors(models.update, {"npsp__Membership_Span__c": 3}) == [
        (("npsp__Membership_Span__c",), "extra_forbidden", "Extra inputs are not permitted")
    ]


def test_real_formulas_autonumbers_and_read_only_fields_never_writable(
    demo: OrgSchema,
) -> None:
    npsp = OrgSchema(
        {"Account": json.loads((REAL / "cumulusci-npsp" / "Account.json").read_text())}
    )
    for schema, name in ((npsp, "Account"), (demo, "Invoice__c")):
        models = object_models(schema, name)
        described = schema.sobject(name).fields
        never = {f.name for f in described if f.calculated or f.autoNumber or f.read_only}
        assert never, name
        assert never.isdisjoint(models.update.model_fields)
        assert never.isdisjoint(models.create.model_fields)
        assert set(models.update.model_fields) == {
            f.name for f in described if f.updateable and f.name not in never
        } - {f.name for f in described if f.type in ("address", "location")}


def test_account_create_without_name_is_invalid(cumulusci: OrgSchema) -> None:
    create = object_models(cumulusci, "Account").create
    assert errors(create, {"Phone": "123"}) == [(("Name",), "missing", "Field required")]
    assert payload(create, {"Name": "Acme"}) == {"Name": "Acme"}


def test_update_null_rules(cumulusci: OrgSchema) -> None:
    update = object_models(cumulusci, "Opportunity").update
    assert payload(update, {"Description": None, "Amount": None}) == {
        "Description": None,
        "Amount": None,
    }
    assert errors(update, {"StageName": None, "CloseDate": None, "IsPrivate": None}) == [
        (("IsPrivate",), "REQUIRED_FIELD_MISSING", "Required fields are missing: [IsPrivate]"),
        (("StageName",), "REQUIRED_FIELD_MISSING", "Required fields are missing: [StageName]"),
        (("CloseDate",), "REQUIRED_FIELD_MISSING", "Required fields are missing: [CloseDate]"),
    ]


def test_every_rule_on_one_opportunity_update(cumulusci: OrgSchema) -> None:
    update = object_models(cumulusci, "Opportunity").update
    assert errors(
        update,
        {
            "AccountId": "003D000000K0fXOIAZ",
            "CampaignId": "701-not-an-id",
            "Amount": "12345678901234567.5",
            "Probability": "yes",
            "CloseDate": "31/01/2024",
            "IsPrivate": "true",
            "Name": 42,
            "Fiscal": "2024 Q1",
            "NoSuchField": 1,
        },
    ) == [
        (
            ("AccountId",),
            "FIELD_INTEGRITY_EXCEPTION",
            "Account ID: id value of incorrect type",
        ),
        (
            ("IsPrivate",),
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Private: value not of required type (expected true or false)",
        ),
        (
            ("Name",),
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Name: value not of required type (expected text)",
        ),
        (
            ("Amount",),
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Amount: value outside of valid range on numeric field (max 16 digits)",
        ),
        (
            ("Probability",),
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Probability (%): value not of required type (expected a number)",
        ),
        (
            ("CloseDate",),
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Close Date: value not of required type (expected a date YYYY-MM-DD)",
        ),
        (("CampaignId",), "MALFORMED_ID", "Campaign ID: id value of incorrect type"),
        (("Fiscal",), "extra_forbidden", "Extra inputs are not permitted"),
        (("NoSuchField",), "extra_forbidden", "Extra inputs are not permitted"),
    ]


def test_payload_is_ready_to_send(cumulusci: OrgSchema) -> None:
    models = object_models(cumulusci, "Event")
    sent = payload(
        models.update,
        {
            "WhatId": "006d000000k0fxo",  # 15 characters: the checksum encodes their case
            "WhoId": "003D000000K0fXO",
            "StartDateTime": dt.datetime(
                2024, 1, 31, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))
            ),
            "ActivityDate": dt.date(2024, 1, 31),
            "DurationInMinutes": "90",
            "Subject": "Call",
        },
    )
    assert sent == {
        "WhatId": "006d000000k0fxoAAA",
        "WhoId": "003D000000K0fXOIAZ",
        "StartDateTime": "2024-01-31T10:30:00.000Z",
        "ActivityDate": "2024-01-31",
        "DurationInMinutes": 90,
        "Subject": "Call",
    }


def test_polymorphic_reference_checks_every_target_prefix(cumulusci: OrgSchema) -> None:
    update = object_models(cumulusci, "Event").update
    assert errors(update, {"WhoId": "00QD000000K0fXOMAZ"}) == []  # a Lead
    assert errors(update, {"WhoId": "001D000000K0fXOIAZ"}) == [
        (
            ("WhoId",),
            "FIELD_INTEGRITY_EXCEPTION",
            "Name ID: id value of incorrect type",
        )
    ]


@pytest.mark.parametrize("source", ["run-time", "generated"])
def test_open_polymorphic_reference_refuses_known_prefixes_of_other_objects(
    demo: OrgSchema, source: str
) -> None:
    """Task.WhatId points to 81 objects, not all with a known key prefix in the demo org: a
    Contact id (a known object that is not a target) is refused by the model alone, ids of
    targets and ids with a prefix no known object has (a custom object of the org) pass."""
    models = (
        object_models(demo, "Task")
        if source == "run-time"
        else generated_models("generated.demo", "Task")
    )
    contact, lead, opp, custom = (
        make_id("003", 7),
        make_id("00Q", 3),
        make_id("006", 1),
        make_id("a7Z", 4),
    )
    for model in (models.create, models.update):
        assert errors(model, {"WhatId": contact}) == [
            (
                ("WhatId",),
                "FIELD_INTEGRITY_EXCEPTION",
                "Related To ID: id value of incorrect type",
            )
        ]
        assert errors(model, {"WhatId": to15(lead)}) == [
            (
                ("WhatId",),
                "FIELD_INTEGRITY_EXCEPTION",
                "Related To ID: id value of incorrect type",
            )
        ]
        assert payload(model, {"WhatId": to15(opp)}) == {"WhatId": opp}
        assert payload(model, {"WhatId": custom}) == {"WhatId": custom}


def test_read_model_takes_a_queried_record(cumulusci: OrgSchema) -> None:
    read = object_models(cumulusci, "Account").read
    record = read.model_validate(
        {
            "attributes": {"type": "Account", "url": "/services/data/v59.0/sobjects/Account/x"},
            "Id": "001D000000K0fXOIAZ",
            "Name": "Acme",
            "BillingAddress": {"city": "Paris", "country": "France", "latitude": 48.85},
            "CreatedDate": "2013-05-20T20:49:32.000+0000",
            "Owner": {"attributes": {"type": "User"}, "Name": "Ada"},
            "AnnualRevenue": 1000.5,
            "Contacts": None,
        }
    )
    assert record.model_dump(mode="json", exclude_unset=True, by_alias=True) == {
        "attributes": {"type": "Account", "url": "/services/data/v59.0/sobjects/Account/x"},
        "Id": "001D000000K0fXOIAZ",
        "Name": "Acme",
        "BillingAddress": {"city": "Paris", "country": "France", "latitude": 48.85},
        "CreatedDate": "2013-05-20T20:49:32.000Z",
        "Owner": {"attributes": {"type": "User"}, "Name": "Ada"},
        "AnnualRevenue": 1000.5,
        "Contacts": None,
    }


def test_object_models_are_cached_per_schema(cumulusci: OrgSchema) -> None:
    first = object_models(cumulusci, "Opportunity")
    assert object_models(cumulusci, "OPPORTUNITY") is first
    other = OrgSchema({"Opportunity": cumulusci.raw("Opportunity")})
    assert object_models(other, "Opportunity") is not first
    assert first.meta == object_meta(cumulusci, "Opportunity")


def test_unknown_objects_and_packages_are_clear_errors(demo: OrgSchema) -> None:
    with pytest.raises(DescribeError, match=r"sObject type 'Opportunty' is not in .*Opportunity"):
        object_models(demo, "Opportunty")
    with pytest.raises(CodegenError, match=r"generated\.demo has no models for 'Nope__c'"):
        generated_models("generated.demo", "Nope__c")
    with pytest.raises(CodegenError, match=r"cannot import generated package 'generated\.nope'"):
        generated_models("generated.nope", "Account")


def test_aliases_for_names_python_cannot_use(tmp_path: Path) -> None:
    from tests.support.codegen_helpers import odd_describes

    schema = OrgSchema.from_snapshot(snapshot_from(tmp_path, odd_describes()))
    models = object_models(schema, "Odd__c")
    values = {"class": "a", "None": "b", "model_config": "c", "copy": "d", "t": "e", "dt": True}
    values |= {"Secret__c": "s", "Notes__c": "n", "Category__c": "c", "When__c": "2024-01-01"}
    values |= {"Odd_Values__c": "both ' and \"", "Multi__c": "Plain;it's", "Big__c": 12}
    assert payload(models.create, values) == values | {"Multi__c": "Plain;it's"}
    assert errors(models.create, {**values, "Odd_Values__c": "plain"}) == [
        (
            ("Odd_Values__c",),
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Odd 'values': bad value for restricted picklist field",
        )
    ]


# -- run-time models and generated/demo are the same --------------------------------------------


def _pairs(demo: OrgSchema) -> list[tuple[str, ObjectModels, ObjectModels]]:
    return [
        (name, object_models(demo, name), generated_models("generated.demo", name))
        for name in demo.object_names
    ]


def test_runtime_and_generated_models_have_the_same_shape(demo: OrgSchema) -> None:
    for name, runtime, generated in _pairs(demo):
        assert runtime.meta == generated.meta, name
        for kind in ("read", "create", "update"):
            left, right = getattr(runtime, kind), getattr(generated, kind)
            assert left.model_json_schema() == right.model_json_schema(), (name, kind)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
SAMPLES = st.sampled_from(
    [
        "Prospecting",
        "Closed Won",
        "2024-01-31",
        "2024-01-31T10:00:00Z",
        "006000000000001AAA",
        "001000000000001",
        "12.5",
        "true",
        "",
        "x" * 300,
        "Pipeline",
        "Hot;Warm",
    ]
)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_runtime_and_generated_models_validate_alike(data: st.DataObject) -> None:
    demo = OrgSchema.demo()
    name = data.draw(st.sampled_from(demo.object_names))
    kind = data.draw(st.sampled_from(["create", "update"]))
    runtime = getattr(object_models(demo, name), kind)
    generated = getattr(generated_models("generated.demo", name), kind)
    fields = sorted(runtime.model_fields)
    keys = st.sampled_from(fields) | st.text(min_size=1, max_size=8)
    values = data.draw(st.dictionaries(keys, JSON | SAMPLES | st.just(Decimal("1.5")), max_size=6))

    def outcome(model: type[BaseModel]) -> Any:
        try:
            return ("ok", payload(model, values))
        except ValidationError as exc:
            return ("errors", exc.errors(include_url=False))

    assert outcome(runtime) == outcome(generated)
