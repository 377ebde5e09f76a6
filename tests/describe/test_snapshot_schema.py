from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.meta import object_meta
from sfschema.describe.snapshot import Manifest, ObjectEntry, SnapshotDir, dump_json
from sfschema.errors import DescribeError, SnapshotError
from sfschema.schema import OrgSchema
from tests.conftest import REAL, load_json

CUMULUSCI = REAL / "describe" / "cumulusci"


def test_hand_made_snapshot_with_only_sobjects(make_snapshot: Callable[..., Path]) -> None:
    root = make_snapshot(CUMULUSCI / "Opportunity.json", CUMULUSCI / "Account.json")
    schema = OrgSchema.from_snapshot(root)
    assert schema.object_names == ["Account", "Opportunity"]
    assert (schema.key_prefixes["Account"], schema.key_prefixes["Opportunity"]) == ("001", "006")
    # Standard objects keep their fixed prefixes even when the snapshot lacks them.
    assert (schema.key_prefixes["User"], schema.object_for_id("005D00000015rY9")) == ("005", "User")
    assert schema.object_for_id("001D000000K0fXO") == "Account"
    assert schema.resolve_name("opportunity") == "Opportunity"
    account_id = schema.parent_relationship("Opportunity", "account")
    assert account_id is not None and account_id.name == "AccountId"
    assert schema.child_relationship("Account", "Opportunities") == "Opportunity"


def test_unknown_object_and_field_suggest(make_snapshot: Callable[..., Path]) -> None:
    schema = OrgSchema.from_snapshot(make_snapshot(CUMULUSCI / "Opportunity.json"))
    with pytest.raises(DescribeError) as excinfo:
        schema.sobject("Opportunty")
    assert str(excinfo.value).endswith("(did you mean 'Opportunity'?)")
    with pytest.raises(DescribeError) as excinfo:
        schema.require_field("Opportunity", "Stage")
    assert str(excinfo.value).startswith(
        "No such column 'Stage' on sobject of type Opportunity (did you mean 'StageName'"
    )


def test_not_a_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError) as excinfo:
        OrgSchema.from_snapshot(tmp_path / "missing")
    assert str(excinfo.value).endswith("missing: snapshot directory not found")
    with pytest.raises(SnapshotError) as excinfo:
        OrgSchema.from_snapshot(tmp_path)
    assert "not a snapshot (no sobjects/ folder)" in str(excinfo.value)


def test_corrupt_object_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "sobjects").mkdir()
    (tmp_path / "sobjects" / "Broken.json").write_text('{"name": "Broken", "fields": [')
    schema = OrgSchema.from_snapshot(tmp_path)
    with pytest.raises(SnapshotError) as excinfo:
        schema.sobject("Broken")
    assert "Broken.json: not valid JSON" in str(excinfo.value)


def test_writes_are_sorted_atomic_and_private(tmp_path: Path) -> None:
    store = SnapshotDir(tmp_path / "snap")
    payload = load_json(CUMULUSCI / "Opportunity.json")
    digest = store.write_object("Opportunity", payload)
    path = store.object_path("Opportunity")
    assert path.read_bytes() == dump_json(payload)
    assert json.loads(path.read_bytes()) == payload
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["Opportunity.json"]
    manifest = Manifest(org_id="00D", user_id="005", api_version="59.0")
    manifest.objects["Opportunity"] = ObjectEntry("Wed, 01 Jan 2025 00:00:00 GMT", digest, 1.5)
    store.write_manifest(manifest)
    assert store.read_manifest() == manifest


def test_object_meta_of_real_opportunity(make_snapshot: Callable[..., Path]) -> None:
    schema = OrgSchema.from_snapshot(
        make_snapshot(CUMULUSCI / "Opportunity.json", CUMULUSCI / "Account.json")
    )
    meta = object_meta(schema, "Opportunity")
    assert meta.name == "Opportunity" and meta.key_prefix == "006"
    account = meta.field("accountid")
    assert account is not None
    assert (account.reference_to, account.reference_prefixes) == (("Account",), ("001",))
    forecast = meta.field("ForecastCategoryName")
    assert forecast is not None and forecast.restricted
    assert [rt.id for rt in meta.record_types] == ["012000000000000AAA"]
    assert eval(repr(meta), vars(__import__("sfschema.runtime.meta", fromlist=["x"]))) == meta
