"""Emulators of hand-made snapshots: only sobjects/*.json, manifests, seed records, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sfschema.cli import main
from sfschema.describe.snapshot import Manifest, ObjectEntry, SnapshotDir
from sfschema.emulator import Emulator
from sfschema.emulator.formats import http_datetime
from sfschema.errors import SnapshotError
from sfschema.ids import make_id
from tests.conftest import REAL, load_json
from tests.emulator.conftest import as_served, bearer, client

WHIZBANG = REAL / "describe" / "restforce" / "Whizbang.json"
URL_KEYS = ("sobject", "describe", "rowTemplate")
PROPERTY = REAL / "describe" / "care-home-accelerator" / "Property__c.json"


def test_sobjects_only_snapshot_gets_a_global_describe(make_snapshot: Callable[..., Path]) -> None:
    emu = Emulator.from_snapshot(make_snapshot(WHIZBANG, PROPERTY))
    assert emu.instance_url == "https://emulator.my.salesforce.com"
    sf = client(emu)
    # Whizbang.json was recorded at v23.0 on na9: served, it names v59.0 and the emulator.
    assert sf.Whizbang.describe() == as_served(load_json(WHIZBANG), emu.instance_url)
    rows = sf.describe()["sobjects"]
    assert [row["name"] for row in rows] == ["Property__c", "Whizbang"]
    whizbang = as_served(load_json(WHIZBANG), emu.instance_url)
    assert rows[1] == {
        **{
            key: whizbang[key]
            for key in (
                "activateable", "createable", "custom", "customSetting", "deletable",
                "deprecatedAndHidden", "feedEnabled", "keyPrefix", "label", "labelPlural",
                "layoutable", "mergeable", "name", "queryable", "replicateable", "retrieveable",
                "searchable", "triggerable", "undeletable", "updateable",
            )
            if key in whizbang
        },
        "urls": {k: v for k, v in whizbang["urls"].items() if k in URL_KEYS},
    }  # fmt: skip


def test_manifest_supplies_org_id_and_last_modified(make_snapshot: Callable[..., Path]) -> None:
    root = make_snapshot(WHIZBANG)
    org_id = make_id("00D", 77)
    SnapshotDir(root).write_manifest(
        Manifest(
            org_id=org_id,
            objects={"Whizbang": ObjectEntry(last_modified="Wed, 03 Jul 2013 19:43:31 GMT")},
        )
    )
    emu = Emulator.from_snapshot(root)
    assert emu.org_id == org_id and emu.access_token.startswith(org_id[:15] + "!")
    url = f"{emu.instance_url}/services/data/v59.0/sobjects/Whizbang/describe"
    reply = emu.session().get(url, headers=bearer(emu.access_token))
    assert reply.headers["Last-Modified"] == "Wed, 03 Jul 2013 19:43:31 GMT"
    emu.touch("Whizbang")
    since = {"If-Modified-Since": "Wed, 03 Jul 2013 19:43:31 GMT"}
    after = emu.session().get(url, headers={**bearer(emu.access_token), **since})
    assert after.status_code == 200
    assert after.headers["Last-Modified"] == http_datetime(emu.org.last_modified("Whizbang"))
    assert emu.org.last_modified("Whizbang").year >= 2024


def test_seed_records_load_and_bad_ids_are_named(make_snapshot: Callable[..., Path]) -> None:
    root = make_snapshot(WHIZBANG)
    (root / "records").mkdir()
    good = make_id("001", 5)
    (root / "records" / "Whizbang.json").write_text(json.dumps([{"Id": good, "Name": "w"}]))
    emu = Emulator.from_snapshot(root)
    assert emu.org.records.all("Whizbang") == [{"Id": good, "Name": "w"}]
    assert emu.org.records.get("Whizbang", good[:15]) == {"Id": good, "Name": "w"}
    (root / "records" / "Whizbang.json").write_text(json.dumps([{"Id": "001nope", "Name": "w"}]))
    with pytest.raises(SnapshotError) as raised:
        Emulator.from_snapshot(root).org.records.all("Whizbang")
    assert str(raised.value) == (
        "records/Whizbang.json: seed record without a valid 18-char Id: '001nope'"
    )


def test_demo_records_are_loaded(sf_emulator: Emulator) -> None:
    names = [row["Name"] for row in sf_emulator.org.records.all("Account")]
    assert names == ["Acme Corporation", "Globex GmbH", "Initech Pty Ltd"]


def test_not_a_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError) as raised:
        Emulator.from_snapshot(tmp_path)
    assert "not a snapshot (no sobjects/ folder)" in str(raised.value)


def test_cli_serve_with_a_bad_org_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["emulator", "serve", "--org", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {tmp_path / 'missing'}: snapshot directory not found\n"
