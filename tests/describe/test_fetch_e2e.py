"""End to end: simple-salesforce → emulator → fetcher/cache → snapshot on disk → describe CLI."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from cachetools import TTLCache
from simple_salesforce import Salesforce

from sfschema.cli import main
from sfschema.client.session import SalesforceTransport, connect_emulator
from sfschema.describe.cache import DescribeCache
from sfschema.describe.snapshot import SnapshotDir
from sfschema.emulator import DEMO_USER, READONLY_USER, Emulator
from sfschema.errors import CacheError, DescribeError
from sfschema.schema import OrgSchema
from tests.support.synthetic import synthetic_org


def fresh_memory() -> TTLCache:  # type: ignore[type-arg]
    return TTLCache(maxsize=10_000, ttl=600)


@pytest.fixture(scope="module")
def org_100(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_org(tmp_path_factory.mktemp("org100"), 100)


def test_100_objects_cold_warm_revalidate(org_100: Path, tmp_path: Path) -> None:
    emulator = Emulator.from_snapshot(org_100)
    transport = connect_emulator(emulator).transport
    names = OrgSchema.from_snapshot(org_100).object_names
    assert len(names) == 100

    emulator.reset_counter()
    cache = DescribeCache(transport, tmp_path / "cache", memory=fresh_memory())
    cold = cache.sync(names)
    assert (len(cold.fetched), len(cold.unchanged), len(cold.from_cache)) == (100, 0, 0)
    assert emulator.api_calls == 1 + 4 and cold.calls == 5 and cold.requests == 5

    emulator.reset_counter()
    warm = cache.sync(names)
    assert (len(warm.fetched), len(warm.unchanged), len(warm.from_cache)) == (0, 0, 100)
    assert emulator.api_calls == 0 and warm.calls == 0

    # A new process: nothing in memory, the disk cache is within its TTL.
    emulator.reset_counter()
    other = DescribeCache(transport, tmp_path / "cache", memory=fresh_memory())
    assert len(other.sync(names).from_cache) == 100 and emulator.api_calls == 0

    emulator.reset_counter()
    again = other.sync(names, revalidate=True)
    assert (len(again.fetched), len(again.unchanged)) == (0, 100)
    assert emulator.api_calls == 4 and again.calls == 4

    emulator.touch(names[7])
    emulator.reset_counter()
    changed = other.sync(names, revalidate=True)
    assert (changed.fetched, len(changed.unchanged)) == ([names[7]], 99)
    assert emulator.api_calls == 4


def test_snapshot_on_disk_matches_the_served_describes(org_100: Path, tmp_path: Path) -> None:
    emulator = Emulator.from_snapshot(org_100)
    cache = DescribeCache(connect_emulator(emulator).transport, tmp_path, memory=fresh_memory())
    cache.sync(["Obj000__c", "Obj042__c"])
    written = SnapshotDir(tmp_path)
    assert written.object_names() == ["Obj000__c", "Obj042__c"]
    for name in written.object_names():
        assert written.read_object(name) == json.loads(
            (org_100 / "sobjects" / f"{name}.json").read_text()
        )
    manifest = written.read_manifest()
    assert manifest is not None
    assert (manifest.org_id, manifest.user_id, manifest.api_version) == (
        emulator.org_id,
        emulator.user_id,
        emulator.api_version,
    )
    assert sorted(manifest.objects) == ["Obj000__c", "Obj042__c"]
    assert all(entry.last_modified for entry in manifest.objects.values())


def test_username_password_login_works_the_same(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    sf = Salesforce(
        username=DEMO_USER.username,
        password=DEMO_USER.password,
        security_token=DEMO_USER.security_token,
        session=emulator.session(),
    )
    cache = DescribeCache(SalesforceTransport(sf), tmp_path, memory=fresh_memory())
    emulator.reset_counter()
    result = cache.sync(["Opportunity", "task"])
    assert result.objects == ["Opportunity", "Task"] and result.fetched == ["Opportunity", "Task"]
    assert emulator.api_calls == 2
    assert SnapshotDir(tmp_path).read_object("Task")["name"] == "Task"


def test_users_never_share_a_cache(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    admin = connect_emulator(emulator).transport
    readonly_sf = Salesforce(
        instance_url=emulator.instance_url,
        session_id=emulator.token_for(READONLY_USER),
        session=emulator.session(),
        version=emulator.api_version,
    )
    readonly = SalesforceTransport(readonly_sf)
    memory = fresh_memory()
    first = DescribeCache(admin, memory=memory, directory=None)
    second = DescribeCache(readonly, memory=memory, directory=None)
    assert first.store.root != second.store.root
    assert first.identity.user_id != second.identity.user_id


def test_unknown_object_costs_no_describe_call(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    cache = DescribeCache(connect_emulator(emulator).transport, tmp_path, memory=fresh_memory())
    cache.sync(["Account"])
    emulator.reset_counter()
    with pytest.raises(DescribeError) as excinfo:
        cache.sync(["Opportunty"])
    assert str(excinfo.value) == (
        f"sObject type 'Opportunty' is not in org {emulator.org_id} (did you mean 'Opportunity'?)"
    )
    assert emulator.api_calls == 1  # the cached global describe revalidated (304), no describe


def test_object_added_after_the_global_was_cached(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    transport = connect_emulator(emulator).transport
    DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(["Account"])
    stale = SnapshotDir(tmp_path).read_global()
    stale["sobjects"] = [row for row in stale["sobjects"] if row["name"] != "Task"]
    SnapshotDir(tmp_path).write_global(stale)
    manifest = SnapshotDir(tmp_path).read_manifest()
    assert manifest is not None
    manifest.global_last_modified = "Mon, 01 Jan 2001 00:00:00 GMT"
    SnapshotDir(tmp_path).write_manifest(manifest)
    emulator.reset_counter()
    result = DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(["Task"])
    assert result.fetched == ["Task"] and emulator.api_calls == 2
    assert "Task" in [row["name"] for row in SnapshotDir(tmp_path).read_global()["sobjects"]]


def test_corrupt_cache_file_is_refetched(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    emulator = Emulator.demo()
    transport = connect_emulator(emulator).transport
    DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(["Account", "Contact"])
    path = SnapshotDir(tmp_path).object_path("Account")
    path.write_bytes(path.read_bytes()[:100])
    emulator.reset_counter()
    with caplog.at_level(logging.WARNING, logger="sfschema.describe"):
        result = DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(
            ["Account", "Contact"]
        )
    assert result.fetched == ["Account"] and result.from_cache == ["Contact"]
    assert emulator.api_calls == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"{path} is corrupt or was changed (sha256 mismatch); fetching it again"
    ]
    assert json.loads(path.read_bytes())["name"] == "Account"


def test_pull_cli_then_describe_from_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snap"
    assert main(["pull", "--org", "demo", "--objects", "Opportunity,Task", "--out", str(out)]) == 0
    first = capsys.readouterr().out.strip()
    assert first.startswith(f"pulled 2 objects into {out}: 2 fetched, 0 unchanged (304), ")
    assert sorted(p.name for p in (out / "sobjects").iterdir()) == ["Opportunity.json", "Task.json"]
    assert main(["pull", "--org", "demo", "--objects", "Opportunity,Task", "--out", str(out)]) == 0
    second = capsys.readouterr().out.strip()
    assert second.startswith(
        f"pulled 2 objects into {out}: 0 fetched, 2 unchanged (304), 1 API calls, "
    )
    assert main(["describe", "Opportunity", "--snapshot", str(out), "--field", "StageName"]) == 0
    table = capsys.readouterr().out
    assert "StageName" in table and "Closed Won" in table and "picklist" in table


def test_cli_user_mistakes_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_snapshot: Callable[..., Path]
) -> None:
    assert main(["describe", "Oportunity", "--org", "demo"]) == 2
    err = capsys.readouterr().err
    assert err.endswith("(did you mean 'Opportunity'?)\n") and err.count("\n") == 1
    assert main(["describe", "Account", "--snapshot", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nope'}: snapshot directory not found\n"


def test_one_directory_never_mixes_two_users_views(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    admin = connect_emulator(emulator).transport
    DescribeCache(admin, tmp_path, memory=fresh_memory()).sync(["Account", "Opportunity"])
    readonly_sf = Salesforce(
        instance_url=emulator.instance_url,
        session_id=emulator.token_for(READONLY_USER),
        session=emulator.session(),
        version=emulator.api_version,
    )
    readonly = SalesforceTransport(readonly_sf)
    emulator.reset_counter()
    with pytest.raises(CacheError) as excinfo:
        DescribeCache(readonly, tmp_path, memory=fresh_memory()).sync(["Opportunity"])
    assert str(excinfo.value) == (
        f"{tmp_path} holds describes of org {emulator.org_id} user {DEMO_USER.user_id} at "
        f"{emulator.instance_url} API v59.0, not of org {emulator.org_id} user "
        f"{READONLY_USER.user_id} at {emulator.instance_url} v59.0; "
        "use another directory or remove this one"
    )
    assert emulator.api_calls == 0
    # In its own directory the readonly user gets its own view: Amount is hidden from it.
    own = DescribeCache(readonly, tmp_path / "readonly", memory=fresh_memory())
    own.sync(["Opportunity"])
    fields = [
        f["name"] for f in SnapshotDir(tmp_path / "readonly").read_object("Opportunity")["fields"]
    ]
    assert "Amount" not in fields and "StageName" in fields
    assert "Amount" in [
        f["name"] for f in SnapshotDir(tmp_path).read_object("Opportunity")["fields"]
    ]
