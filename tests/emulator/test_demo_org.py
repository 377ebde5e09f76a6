"""Invariants of the shipped demo org (the JSON is what counts; the build script must agree)."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sfschema import ids
from sfschema.demo import demo_org_dir
from sfschema.describe.models import parse_global, parse_sobject
from sfschema.describe.picklists import decode_valid_for, dependent_map
from sfschema.emulator.users import DEFAULT_USERS
from sfschema.schema import OrgSchema
from tests.emulator.conftest import shipped

ROOT = Path(__file__).resolve().parents[2]
OBJECTS = ["Account", "Case", "Contact", "Event", "Invoice__c", "Lead", "Opportunity", "Task"]
FIELD_KEYS = 57


@pytest.fixture(scope="module")
def describes() -> dict[str, dict[str, Any]]:
    return {name: shipped("sobjects", f"{name}.json") for name in OBJECTS}


def fields_of(describe: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {raw["name"]: raw for raw in describe["fields"]}


def test_build_script_reproduces_the_shipped_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_demo_org.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    ours = sorted(p.relative_to(demo_org_dir()) for p in demo_org_dir().rglob("*.json"))
    assert built == ours
    _, mismatch, errors = filecmp.cmpfiles(tmp_path, demo_org_dir(), built, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_every_object_parses_and_is_in_the_global_describe(describes: dict[str, Any]) -> None:
    assert sorted(p.stem for p in (demo_org_dir() / "sobjects").glob("*.json")) == OBJECTS
    global_describe = parse_global(shipped("global.json"))
    assert [row.name for row in global_describe.sobjects] == OBJECTS
    for name, payload in describes.items():
        parsed = parse_sobject(payload, name)
        assert parsed.to_json() == payload
        row = next(r for r in global_describe.sobjects if r.name == name)
        assert (row.keyPrefix, row.label, row.custom) == (
            payload["keyPrefix"],
            payload["label"],
            payload["custom"],
        )
    assert {len(raw) for d in describes.values() for raw in d["fields"]} == {FIELD_KEYS}


def test_task_matches_real_task(describes: dict[str, Any]) -> None:
    task = describes["Task"]
    assert [raw["name"] for raw in task["fields"]] == [
        "Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "Priority",
        "IsHighPriority", "OwnerId", "Description", "IsDeleted", "AccountId", "IsClosed",
        "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
        "IsArchived", "CallDurationInSeconds", "CallType", "CallDisposition", "CallObject",
        "ReminderDateTime", "IsReminderSet", "RecurrenceActivityId", "IsRecurrence",
        "RecurrenceStartDateOnly", "RecurrenceEndDateOnly", "RecurrenceTimeZoneSidKey",
        "RecurrenceType", "RecurrenceInterval", "RecurrenceDayOfWeekMask",
        "RecurrenceDayOfMonth", "RecurrenceInstance", "RecurrenceMonthOfYear",
        "RecurrenceRegeneratedType", "TaskSubtype", "CompletedDateTime",
    ]  # fmt: skip
    f = fields_of(task)
    assert {"Account", "Opportunity", "Case", "Invoice__c"} <= set(f["WhatId"]["referenceTo"])
    assert (f["WhatId"]["polymorphicForeignKey"], f["WhatId"]["relationshipName"]) == (True, "What")
    assert (f["WhoId"]["referenceTo"], f["WhoId"]["relationshipName"]) == (
        ["Contact", "Lead"],
        "Who",
    )
    assert (f["Subject"]["type"], f["Description"]["type"], f["Description"]["length"]) == (
        "combobox",
        "textarea",
        32000,
    )
    assert f["ActivityDate"]["type"] == "date"
    assert "Call" in [e["value"] for e in f["TaskSubtype"]["picklistValues"]]
    assert [e["value"] for e in f["Status"]["picklistValues"] if e["defaultValue"]] == [
        "Not Started"
    ]
    assert [e["value"] for e in f["Priority"]["picklistValues"]] == ["High", "Normal", "Low"]
    assert (f["IsClosed"]["createable"], f["IsClosed"]["updateable"]) == (False, False)
    assert (f["OwnerId"]["type"], f["OwnerId"]["defaultedOnCreate"]) == ("reference", True)
    assert task["keyPrefix"] == "00T"


def test_invoice_custom_object(describes: dict[str, Any]) -> None:
    invoice = describes["Invoice__c"]
    f = fields_of(invoice)
    assert invoice["custom"] and invoice["name"].endswith("__c")
    assert (f["Name"]["autoNumber"], f["Name"]["createable"], f["Name"]["updateable"]) == (
        True,
        False,
        False,
    )
    assert (f["Total__c"]["calculated"], f["Total__c"]["calculatedFormula"]) == (
        True,
        "Amount__c * (1 + BLANKVALUE(Tax_Rate__c, 0) / 100)",
    )
    assert f["Status__c"]["restrictedPicklist"] is True
    assert all(raw["custom"] for name, raw in f.items() if name.endswith("__c"))
    parsed = parse_sobject(invoice)
    assert dependent_map(
        parsed, parsed.fields[[x.name for x in parsed.fields].index("Country__c")]
    ) == {
        "Americas": ["United States", "Canada", "Brazil", "Other"],
        "EMEA": ["Germany", "France", "United Kingdom", "Other"],
        "APAC": ["Japan", "Australia", "Singapore", "Other"],
    }
    method = parsed.fields[[x.name for x in parsed.fields].index("Payment_Method__c")]
    assert dependent_map(parsed, method) == {"false": ["Pending"], "true": ["Card", "Wire"]}
    assert [decode_valid_for(e["validFor"]) for e in f["Country__c"]["picklistValues"]] == [
        [0], [0], [0], [1], [1], [1], [2], [2], [2], [0, 1, 2],
    ]  # fmt: skip


def test_references_and_child_relationships_agree(describes: dict[str, Any]) -> None:
    # Every child relationship names a reference field on the child that points back.
    for parent, payload in describes.items():
        for rel in payload["childRelationships"]:
            if rel["childSObject"] in describes:
                field = fields_of(describes[rel["childSObject"]]).get(rel["field"])
                assert field is not None, (parent, rel)
                assert parent in field["referenceTo"], (parent, rel)
    # Every reference on an authored object whose target ships is listed back by the target.
    for child in ("Task", "Invoice__c"):
        for raw in describes[child]["fields"]:
            for target in raw["referenceTo"]:
                if target in describes and raw["name"] != "RecurrenceActivityId":
                    rows = describes[target]["childRelationships"]
                    assert any(
                        r["childSObject"] == child and r["field"] == raw["name"] for r in rows
                    ), (child, raw["name"], target)


def test_record_types_and_their_picklist_subsets(describes: dict[str, Any]) -> None:
    infos = describes["Opportunity"]["recordTypeInfos"]
    assert [(i["name"], i["defaultRecordTypeMapping"]) for i in infos] == [
        ("Master", False),
        ("New Business", True),
        ("Renewal", False),
    ]
    files = sorted(p.stem for p in (demo_org_dir() / "picklists" / "Opportunity").glob("*.json"))
    assert files == sorted(i["recordTypeId"] for i in infos if not i["master"])
    master = {
        raw["name"]: [e["value"] for e in raw["picklistValues"]]
        for raw in describes["Opportunity"]["fields"]
        if raw["type"] == "picklist"
    }
    stages = []
    for rt in files:
        payload = shipped("picklists", "Opportunity", f"{rt}.json")
        assert sorted(payload["picklistFieldValues"]) == sorted(master)
        for name, spec in payload["picklistFieldValues"].items():
            assert {v["value"] for v in spec["values"]} <= set(master[name])
        stages.append([v["value"] for v in payload["picklistFieldValues"]["StageName"]["values"]])
    assert stages[0] != stages[1]


def test_seed_records_are_valid_and_consistent(describes: dict[str, Any]) -> None:
    schema = OrgSchema.demo()
    users = {user.user_id for user in DEFAULT_USERS}
    records = {
        p.stem: shipped("records", p.name) for p in (demo_org_dir() / "records").glob("*.json")
    }
    assert sorted(records) == [
        "Account",
        "Case",
        "Contact",
        "Invoice__c",
        "Lead",
        "Opportunity",
        "Task",
    ]
    seeded = {row["Id"] for rows in records.values() for row in rows}
    rt_values = schema.record_type_picklists("Opportunity")
    for name, rows in records.items():
        fields = fields_of(describes[name])
        for row in rows:
            assert (
                len(row["Id"]) == 18
                and ids.is_valid(row["Id"])
                and ids.to18(row["Id"]) == row["Id"]
            )
            assert ids.key_prefix(row["Id"]) == describes[name]["keyPrefix"]
            for key, value in row.items():
                field = fields.get(key)
                assert field is not None, (name, key)
                if value is None:
                    continue
                if field["type"] == "reference":
                    if key == "RecordTypeId":
                        assert value in rt_values
                    elif value in users:
                        assert "User" in field["referenceTo"], (name, key)
                    else:
                        assert value in seeded, (name, key, value)
                        assert schema.object_for_id(value) in field["referenceTo"], (name, key)
                if field["type"] == "picklist" and field["restrictedPicklist"]:
                    assert value in [e["value"] for e in field["picklistValues"]], (
                        name,
                        key,
                        value,
                    )
                if field.get("dependentPicklist"):
                    raw = row[field["controllerName"]]
                    controller = str(raw).lower() if isinstance(raw, bool) else raw
                    allowed = dependent_map(schema.sobject(name), schema.require_field(name, key))
                    assert value in allowed[controller], (name, key, value)
            if name == "Opportunity":
                assert row["StageName"] in rt_values[row["RecordTypeId"]]["StageName"]
                assert row["Type"] in rt_values[row["RecordTypeId"]]["Type"]
