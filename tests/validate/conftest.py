"""A snapshot of real describes (tests/fixtures/real) for the validator tests.

Real payloads carry no record-type picklist subsets, so the snapshot adds one UI API
picklist-values file for Account's real "Household" record type (hand-made, marked as such):
Industry limited to three values, CleanStatus (restricted) to two.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sfschema.describe.snapshot import SnapshotDir
from sfschema.schema import OrgSchema
from tests.conftest import REAL, load_json

DESCRIBE = REAL / "describe"
REAL_OBJECTS = [
    DESCRIBE / "cumulusci" / f"{name}.json"
    for name in ("Account", "Case", "Contact", "Event", "Lead", "Opportunity")
] + [
    DESCRIBE / "restforce" / "Whizbang.json",
    DESCRIBE / "care-home-accelerator" / "Property__c.json",
]
HOUSEHOLD = "01254000001upcKAAQ"


def _values(*values: str) -> dict[str, object]:
    return {"values": [{"value": value, "label": value, "validFor": []} for value in values]}


HOUSEHOLD_PICKLISTS = {
    "picklistFieldValues": {
        "Industry": _values("Banking", "Consulting", "Education"),
        "CleanStatus": _values("Matched", "Pending"),
    }
}


def build_real_snapshot(root: Path) -> Path:
    """Write the test snapshot under root and return it."""
    snapshot = SnapshotDir(root)
    for source in REAL_OBJECTS:
        (root / "sobjects").mkdir(parents=True, exist_ok=True)
        shutil.copy(source, root / "sobjects" / f"{load_json(source)['name']}.json")
    snapshot.write_global(load_json(DESCRIBE / "cumulusci" / "_global.json"))
    snapshot.write_picklists("Account", HOUSEHOLD, HOUSEHOLD_PICKLISTS)
    return root


@pytest.fixture(scope="session")
def real_schema(tmp_path_factory: pytest.TempPathFactory) -> OrgSchema:
    return OrgSchema.from_snapshot(build_real_snapshot(tmp_path_factory.mktemp("real_snapshot")))
