"""Helpers for codegen tests: snapshots of the real describes, golden files, ruff and mypy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.output import package_files, write
from codegen.plan import Source
from sfschema.schema import OrgSchema

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real" / "describe"
GOLDEN = ROOT / "tests" / "golden" / "codegen"
PYPROJECT = ROOT / "pyproject.toml"
BIN = Path(sys.executable).parent
# One switch refreshes every golden file: SFSCHEMA_UPDATE_GOLDEN=1 pytest tests/codegen
UPDATE_GOLDEN = os.environ.get("SFSCHEMA_UPDATE_GOLDEN") == "1"
REAL_SOURCES = sorted(path.name for path in REAL.iterdir() if path.is_dir())


def real_snapshot(root: Path, source: str) -> Path:
    """A snapshot directory holding the real describes of one source (and its global describe)."""
    sobjects = root / source / "sobjects"
    sobjects.mkdir(parents=True)
    for path in sorted((REAL / source).glob("*.json")):
        if path.stem == "_global":
            shutil.copy(path, root / source / "global.json")
        else:
            shutil.copy(path, sobjects / f"{json.loads(path.read_text())['name']}.json")
    return root / source


def snapshot_from(root: Path, describes: list[dict[str, Any]]) -> Path:
    """A hand-made snapshot: only ``sobjects/*.json``."""
    sobjects = root / "sobjects"
    sobjects.mkdir(parents=True, exist_ok=True)
    for payload in describes:
        (sobjects / f"{payload['name']}.json").write_text(json.dumps(payload, indent=2))
    return root


def generate(snapshot: Path, out: Path, org: str = "test") -> dict[str, str]:
    """Generate a package from a snapshot into ``out``; returns the files."""
    schema = OrgSchema.from_snapshot(snapshot)
    files = package_files(schema, Source(org, "test"))
    write(out, files)
    return files


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with the golden file ``name`` (or rewrite it when refreshing)."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"missing golden file {path}; run with SFSCHEMA_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file"


def run_tool(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _real_field(object_name: str, field_name: str) -> dict[str, Any]:
    payload = json.loads((REAL / "cumulusci" / f"{object_name}.json").read_text())
    return dict(next(f for f in payload["fields"] if f["name"] == field_name))


def _field(template: dict[str, Any], **changes: Any) -> dict[str, Any]:
    field = dict(template)
    field.update(changes)
    return field


ODD_VALUES = [
    "Plain",
    "it's",
    'say "hi"',
    "both ' and \"",
    "back\\slash",
    "ünïcödé ✓",
    "tab\there",
    "L" * 120,
]


def odd_describes() -> list[dict[str, Any]]:
    """Hand-made describes built from real field payloads, with every awkward case we know of.

    Names that are keywords, BaseModel attributes or module aliases of generated code; every
    documented field type; namespaced, external (``__x``), custom metadata (``__mdt``) and
    custom setting objects; classes that would collide; picklist values with quotes, slashes,
    unicode and more than a line of text; an object with hundreds of fields.
    """
    text = _real_field("Opportunity", "Name")
    number = _real_field("Opportunity", "Amount")
    picklist = _real_field("Opportunity", "ForecastCategoryName")
    reference = _real_field("Opportunity", "AccountId")
    boolean = _real_field("Opportunity", "IsPrivate")
    id_field = _real_field("Opportunity", "Id")
    address = _real_field("Account", "BillingAddress")
    entries = [
        {"active": True, "defaultValue": False, "label": v, "validFor": None, "value": v}
        for v in ODD_VALUES
    ]
    odd_fields = [
        _field(id_field, label="Record ID"),
        _field(text, name="class", label="Class"),
        _field(text, name="from", label="From", nillable=True),
        _field(text, name="None", label="None"),
        _field(text, name="model_config", label="Model config", nillable=True),
        _field(text, name="copy", label="Copy", nillable=True),
        _field(text, name="json", label="Json", nillable=True),
        _field(text, name="t", label="T", nillable=True),
        _field(text, name="sf", label="Sf", nillable=True),
        _field(boolean, name="dt", label="Dt"),
        _field(number, name="decimal", label="Decimal"),
        _field(text, name="ns__Field__c", label="Namespaced", custom=True, nillable=True),
        _field(text, name="ns__Field__c_", label="Taken", custom=True, nillable=True),
        _field(
            picklist,
            name="Odd_Values__c",
            label="Odd 'values'",
            picklistValues=entries,
            restrictedPicklist=True,
            nillable=True,
            createable=True,
            updateable=True,
        ),
        _field(
            picklist,
            name="Multi__c",
            label="Multi",
            type="multipicklist",
            length=4099,
            picklistValues=entries[:3],
            restrictedPicklist=True,
            nillable=True,
            createable=True,
            updateable=True,
        ),
        _field(
            picklist,
            name="Open_Multi__c",
            label="Open multi",
            type="multipicklist",
            length=4099,
            picklistValues=entries[:2],
            restrictedPicklist=False,
            nillable=True,
            createable=True,
            updateable=True,
        ),
        _field(text, name="Combo__c", label="Combo", type="combobox", nillable=True),
        _field(text, name="Secret__c", label="Secret", type="encryptedstring", length=175),
        _field(text, name="Mail__c", label="Mail", type="email", length=80, nillable=True),
        _field(text, name="Web__c", label="Web", type="url", length=255, nillable=True),
        _field(text, name="Tel__c", label="Tel", type="phone", length=40, nillable=True),
        _field(text, name="Notes__c", label="Notes", type="textarea", length=131072),
        _field(text, name="Category__c", label="Category", type="datacategorygroupreference"),
        _field(number, name="Big__c", label="Big", type="long", digits=0, precision=18),
        _field(number, name="Count__c", label="Count", type="int", digits=9, precision=0),
        _field(number, name="Rate__c", label="Rate", type="percent", precision=5, scale=2),
        _field(number, name="Ratio__c", label="Ratio", type="double", precision=10, scale=4),
        _field(text, name="Starts__c", label="Starts", type="time", length=0, nillable=True),
        _field(text, name="Blob__c", label="Blob", type="base64", length=0, nillable=True),
        _field(text, name="Anything__c", label="Anything", type="anyType", nillable=True),
        _field(text, name="Shape__c", label="Shape", type="complexvalue", nillable=True),
        _field(text, name="When__c", label="When", type="date", length=0, nillable=False),
        _field(text, name="Stamp__c", label="Stamp", type="datetime", length=0, nillable=True),
        _field(address, name="Site__c", label="Site", type="location", compoundFieldName=None),
        _field(
            number,
            name="Site__Latitude__s",
            label="Site (Latitude)",
            precision=18,
            scale=15,
            type="double",
            compoundFieldName="Site__c",
        ),
        _field(address, name="MailingAddress", label="Mailing Address"),
        _field(
            reference,
            name="Parent__c",
            label="Parent",
            referenceTo=["Odd__c"],
            relationshipName="Parent__r",
        ),
        _field(
            reference,
            name="What__c",
            label="What",
            referenceTo=["Account", "Unknown__c"],
            relationshipName="class",
        ),
        _field(
            text,
            name="Formula__c",
            label="Formula",
            calculated=True,
            calculatedFormula="Name & 'x'",
            createable=False,
            updateable=False,
        ),
    ]
    wide_fields = [_field(id_field, label="Wide ID")] + [
        _field(
            (text, number, boolean, picklist)[i % 4],
            name=f"Field_{i:03d}__c",
            label=f"Field {i}",
            custom=True,
        )
        for i in range(300)
    ]
    base = {"custom": True, "fields": [], "recordTypeInfos": [], "childRelationships": []}
    return [
        {**base, "name": "Odd__c", "label": "Odd", "keyPrefix": "a07", "fields": odd_fields},
        {**base, "name": "Wide__c", "label": "Wide", "keyPrefix": "a08", "fields": wide_fields},
        {
            **base,
            "name": "ns__Orders__x",
            "label": "Orders",
            "keyPrefix": "x01",
            "fields": [
                _field(id_field, label="Order ID"),
                _field(text, name="ExternalId", label="External ID"),
                _field(text, name="DisplayUrl", label="Display URL", type="url"),
            ],
        },
        {
            **base,
            "name": "Setting__mdt",
            "label": "Setting",
            "keyPrefix": "m00",
            "fields": [_field(id_field), _field(text, name="DeveloperName", label="Name")],
        },
        {
            **base,
            "name": "Custom_Setting__c",
            "label": "Setting",
            "keyPrefix": "a09",
            "customSetting": True,
            "fields": [_field(id_field), _field(text, name="SetupOwnerId")],
        },
        {
            **base,
            "name": "Location",
            "label": "Location",
            "keyPrefix": "131",
            "custom": False,
            "fields": [_field(id_field)],
        },
        {
            **base,
            "name": "ObjectMeta",
            "label": "Clash",
            "keyPrefix": "a10",
            "fields": [_field(id_field)],
        },
        {
            **base,
            "name": "Thing",
            "label": "Thing",
            "keyPrefix": "a11",
            "fields": [_field(id_field)],
        },
        {
            **base,
            "name": "ThingCreate",
            "label": "Thing create",
            "keyPrefix": "a12",
            "fields": [_field(id_field)],
        },
        {
            **base,
            "name": "Account",
            "label": "Account",
            "keyPrefix": "001",
            "fields": [_field(id_field, label="Account ID")],
        },
    ]
