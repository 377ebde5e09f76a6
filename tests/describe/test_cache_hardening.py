"""The describe cache under hostile or damaged input: whose describes a directory holds, names
from the wire used as paths, two emulated orgs, damaged files that heal on the next pull."""

from __future__ import annotations

import json
import logging
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from cachetools import TTLCache
from simple_salesforce import Salesforce

from sfschema.cli import main
from sfschema.client.session import SalesforceTransport, connect_emulator
from sfschema.demo import DEMO_INSTANCE_URL, demo_org_dir
from sfschema.describe.cache import DescribeCache, cache_dir_for, default_cache_root
from sfschema.describe.fetch import Identity, WireResponse
from sfschema.describe.snapshot import SnapshotDir, dump_json, sha256_bytes
from sfschema.emulator import READONLY_USER, Emulator
from sfschema.emulator.emulator import SNAPSHOT_INSTANCE_URL
from sfschema.emulator.org import DEFAULT_ORG_ID
from sfschema.errors import CacheError, DescribeError, SalesforceApiError, SnapshotError
from sfschema.schema import OrgSchema
from sfschema.validate import validate_update


def fresh_memory() -> TTLCache:  # type: ignore[type-arg]
    return TTLCache(maxsize=10_000, ttl=600)


def readonly_transport(emulator: Emulator) -> SalesforceTransport:
    sf = Salesforce(
        instance_url=emulator.instance_url,
        session_id=emulator.token_for(READONLY_USER),
        session=emulator.session(),
        version=emulator.api_version,
    )
    return SalesforceTransport(sf)


class Rewriting:
    """The real transport, with the global describe's body replaced (a hostile server)."""

    def __init__(
        self, inner: SalesforceTransport, global_body: Any = None, composite_body: Any = None
    ) -> None:
        self.inner = inner
        self.global_body = global_body
        self.composite_body = composite_body

    @property
    def api_version(self) -> str:
        return self.inner.api_version

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> WireResponse:
        response = self.inner.get(path, headers)
        if path == "sobjects/" and self.global_body is not None:
            return WireResponse(200, response.headers, self.global_body)
        return response

    def post(self, path: str, body: Any) -> WireResponse:
        response = self.inner.post(path, body)
        if self.composite_body is not None:
            return WireResponse(200, response.headers, self.composite_body)
        return response

    def identity(self) -> Identity:
        return self.inner.identity()

    def api_usage(self) -> int | None:
        return self.inner.api_usage()


# -- whose describes: a directory's owner must be proven -------------------------------------


def _admin_pull(emulator: Emulator, directory: Path) -> None:
    cache = DescribeCache(connect_emulator(emulator).transport, directory, memory=fresh_memory())
    cache.sync(["Account", "Opportunity"])


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("remove", "{dir}: no manifest.json names their org and user"),
        ("corrupt", "{dir}/manifest.json: not valid JSON (Expecting value: line 1 column 1 "
         "(char 0))"),
        ("ownerless", "{dir}: no manifest.json names their org and user"),
    ],
)  # fmt: skip
def test_a_named_directory_of_unproven_owner_is_refused(
    tmp_path: Path, damage: str, reason: str
) -> None:
    emulator = Emulator.demo()
    _admin_pull(emulator, tmp_path)
    manifest = tmp_path / "manifest.json"
    if damage == "remove":
        manifest.unlink()
    elif damage == "corrupt":
        manifest.write_text("")
    else:
        payload = json.loads(manifest.read_text())
        payload["org_id"] = payload["user_id"] = None
        manifest.write_text(json.dumps(payload))
    emulator.reset_counter()
    with pytest.raises(CacheError) as excinfo:
        DescribeCache(readonly_transport(emulator), tmp_path, memory=fresh_memory()).sync(
            ["Opportunity"]
        )
    assert str(excinfo.value) == (
        f"{tmp_path} holds describes whose org, user and instance cannot be proven ("
        + reason.format(dir=tmp_path)
        + "); they are not adopted: remove them or use an empty directory"
    )
    assert emulator.api_calls == 0


def test_the_default_cache_of_unproven_owner_is_refetched_never_adopted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emulator = Emulator.demo()
    readonly = readonly_transport(emulator)
    # The admin's describes land in the read-only user's default cache directory, no manifest.
    _admin_pull(emulator, tmp_path / "admin")
    target = cache_dir_for(default_cache_root(), readonly.identity(), "59.0")
    shutil.copytree(tmp_path / "admin", target)
    (target / "manifest.json").unlink()
    planted = json.loads((target / "sobjects" / "Opportunity.json").read_text())
    assert "Amount" in [field["name"] for field in planted["fields"]]

    with caplog.at_level(logging.WARNING, logger="sfschema.describe"):
        schema = OrgSchema.from_cache(
            DescribeCache(readonly, memory=fresh_memory()), ["Opportunity"]
        )
    assert caplog.messages == [
        f"describe cache of unproven owner ({target}: no manifest.json names their org and "
        "user); fetching everything again"
    ]
    assert schema.sobject("Opportunity").field("Amount") is None
    assert sorted(p.name for p in (target / "sobjects").iterdir()) == ["Opportunity.json"]
    report = validate_update(schema, "Opportunity", "006000000000001", {"Amount": 5})
    assert [(i.field, i.code, i.message) for i in report.errors] == [
        # the read-only user's own describe: Opportunity is not updateable for them
        ("", "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be updated: Opportunity"),
        ("Amount", "INVALID_FIELD", "No such column 'Amount' on sobject of type Opportunity"),
    ]


def test_manifest_is_written_before_any_describe_file(tmp_path: Path) -> None:
    """An interrupted first pull leaves a manifest naming its owner, so the next one proceeds."""
    emulator = Emulator.demo()
    transport = connect_emulator(emulator).transport

    class Interrupted(Exception):
        pass

    def stop(_: int) -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(
            ["Account"], on_progress=stop
        )
    manifest = SnapshotDir(tmp_path).read_manifest()
    assert manifest is not None
    assert manifest.owner == (emulator.org_id, emulator.user_id, "59.0", DEMO_INSTANCE_URL)
    assert manifest.objects == {}
    again = DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(["Account"])
    assert (again.fetched, again.unchanged, again.from_cache) == (["Account"], [], [])


# -- names from the wire become paths only after the grammar check ----------------------------


def test_a_hostile_object_name_from_the_global_describe_writes_nothing(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    outside = tmp_path / "x.json"
    body = {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [{"name": "../x"}]}
    hostile = Rewriting(connect_emulator(emulator).transport, body)
    cache_dir = tmp_path / "a" / "b"
    with pytest.raises(DescribeError) as excinfo:
        DescribeCache(hostile, cache_dir, memory=fresh_memory()).sync()
    assert str(excinfo.value) == (
        f"global describe from {DEMO_INSTANCE_URL}: object name '../x' is not a Salesforce API "
        "name (letters, digits and single underscores, starting with a letter); it is not used "
        "as a file name"
    )
    assert not outside.exists()
    assert sorted(p.name for p in cache_dir.iterdir()) == [".manifest.lock", "manifest.json"]


@pytest.mark.parametrize(
    "call",
    [
        lambda store: store.write_object("../../../../tmp/x", {}),
        lambda store: store.write_object("Account/../../x", {}),
        lambda store: store.read_object("../manifest"),
        lambda store: store.write_picklists("../Opportunity", "012000000000000AAA", {}),
    ],
)
def test_bad_object_names_never_reach_the_file_system(tmp_path: Path, call: Any) -> None:
    store = SnapshotDir(tmp_path / "snap")
    with pytest.raises(SnapshotError) as excinfo:
        call(store)
    assert str(excinfo.value).startswith("object name '")
    assert str(excinfo.value).endswith(
        "' is not a Salesforce API name (letters, digits and single underscores, starting with "
        "a letter); it is not used as a file name"
    )
    assert not (tmp_path / "snap").exists()


def test_a_bad_record_type_id_never_reaches_the_file_system(tmp_path: Path) -> None:
    store = SnapshotDir(tmp_path / "snap")
    with pytest.raises(SnapshotError) as excinfo:
        store.write_picklists("Opportunity", "../../../x", {})
    assert str(excinfo.value) == (
        "record type id '../../../x' is not a Salesforce id (15 or 18 letters and digits); it "
        "is not used as a file name"
    )
    assert store.picklist_record_types("../x") == []
    assert not (tmp_path / "snap").exists()


@pytest.mark.parametrize("link", ["sobjects", "picklists"])
def test_symlinked_folders_are_not_written_through(tmp_path: Path, link: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = SnapshotDir(tmp_path / "snap")
    store.root.mkdir()
    (store.root / link).symlink_to(elsewhere)
    with pytest.raises(SnapshotError) as excinfo:
        if link == "sobjects":
            store.write_object("Account", {"name": "Account"})
        else:
            store.write_picklists("Opportunity", "012000000000000AAA", {})
    assert str(excinfo.value) == (
        f"{store.root / link}: is a symbolic link or not a directory; sfschema does not write "
        "through it (remove it)"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_lock_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / ".manifest.lock").symlink_to(victim)
    transport = connect_emulator(Emulator.demo()).transport
    with pytest.raises(SnapshotError) as excinfo:
        DescribeCache(transport, cache_dir, memory=fresh_memory()).sync(["Account"])
    assert str(excinfo.value) == (
        f"{cache_dir / '.manifest.lock'}: cannot open the lock (Too many levels of symbolic "
        "links; a symbolic link is refused)"
    )
    assert victim.read_text() == "keep me" and stat.S_IMODE(victim.stat().st_mode) != 0o600


def test_folders_are_0700_and_files_0600(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    transport = connect_emulator(emulator).transport
    cache = DescribeCache(transport, memory=fresh_memory())
    cache.sync(["Opportunity"])
    root = default_cache_root()
    modes = {
        str(path.relative_to(root)): oct(stat.S_IMODE(path.lstat().st_mode))
        for path in sorted(root.rglob("*"))
    }
    org, user, host = emulator.org_id, emulator.user_id, "demo.my.salesforce.com"
    base = f"{org}/{user}/{host}/v59.0"
    assert modes == {
        org: "0o700",
        f"{org}/{user}": "0o700",
        f"{org}/{user}/{host}": "0o700",
        base: "0o700",
        f"{base}/.manifest.lock": "0o600",
        f"{base}/global.json": "0o600",
        f"{base}/manifest.json": "0o600",
        f"{base}/sobjects": "0o700",
        f"{base}/sobjects/Opportunity.json": "0o600",
    }


def test_ids_and_version_from_the_wire_are_checked_before_they_are_paths(tmp_path: Path) -> None:
    bad = Identity(org_id="../../x", user_id="005000000000001", instance_url="https://a.b")
    with pytest.raises(CacheError) as excinfo:
        cache_dir_for(tmp_path, bad, "59.0")
    assert str(excinfo.value) == (
        "cannot place the describe cache: org id '../../x' from the server is not a Salesforce id"
    )
    good = Identity(DEFAULT_ORG_ID, "005000000000001", "https://[::1]:8443/x")
    with pytest.raises(CacheError) as excinfo:
        cache_dir_for(tmp_path, good, "../59.0")
    assert str(excinfo.value) == (
        "cannot place the describe cache: API version '../59.0' is not of the form 59.0"
    )
    # A host that is not a plain DNS name or IPv4 address becomes a digest.
    place = cache_dir_for(tmp_path, good, "59.0").relative_to(tmp_path)
    assert place.parts[:2] == (DEFAULT_ORG_ID, "005000000000001AAA")
    assert place.parts[2].startswith("h-") and len(place.parts[2]) == 34
    assert place.parts[3] == "v59.0"


# -- two emulated orgs never share a cache entry -----------------------------------------------


def _demo_without_opportunity(root: Path) -> Path:
    shutil.copytree(demo_org_dir(), root)
    (root / "sobjects" / "Opportunity.json").unlink()
    shutil.rmtree(root / "picklists" / "Opportunity", ignore_errors=True)
    (root / "records" / "Opportunity.json").unlink(missing_ok=True)
    return root


def test_each_emulated_org_has_its_own_id_and_the_demo_keeps_its_own(tmp_path: Path) -> None:
    other = _demo_without_opportunity(tmp_path / "other")
    ids_seen = {
        Emulator.demo().org_id,
        Emulator.from_snapshot(demo_org_dir()).org_id,
    }
    assert ids_seen == {DEFAULT_ORG_ID}
    first, second = Emulator.from_snapshot(other).org_id, Emulator.from_snapshot(other).org_id
    assert first == second and first.startswith("00D") and first != DEFAULT_ORG_ID
    shutil.copy(demo_org_dir() / "sobjects" / "Account.json", other / "sobjects" / "Extra.json")
    assert Emulator.from_snapshot(other).org_id not in (first, DEFAULT_ORG_ID)


@pytest.mark.parametrize(
    ("instance", "org_id"), [(DEMO_INSTANCE_URL, None), (SNAPSHOT_INSTANCE_URL, DEFAULT_ORG_ID)]
)
def test_another_emulated_org_never_poisons_the_demo_orgs_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], instance: str, org_id: str | None
) -> None:
    other = Emulator.from_snapshot(
        _demo_without_opportunity(tmp_path / "other"), instance_url=instance, org_id=org_id
    )
    DescribeCache(connect_emulator(other).transport).sync(["Account"])
    code = main(["describe", "Opportunity", "--org", "demo", "--field", "StageName", "--json"])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    assert json.loads(captured.out)["name"] == "StageName"
    assert len(list(default_cache_root().glob("*/*/*/v59.0"))) == 2


# -- damaged files heal on the next pull ------------------------------------------------------


def _pull(out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["pull", "--org", "demo", "--objects", "Account", "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("rehash", [False, True])
def test_a_bad_global_describe_is_refetched_not_kept_alive_by_304(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rehash: bool
) -> None:
    assert _pull(tmp_path, capsys)[0] == 0
    bad = b'{"sobjects": 5}'
    (tmp_path / "global.json").write_bytes(bad)
    if rehash:  # even a manifest that vouches for the bad file does not keep it
        manifest = json.loads((tmp_path / "manifest.json").read_text())
        manifest["global_sha256"] = sha256_bytes(bad)
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    code, out, err = _pull(tmp_path, capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"pulled 1 objects into {tmp_path}: 0 fetched, 1 unchanged (304), ")
    fresh = connect_emulator(Emulator.demo()).transport.get("sobjects/").body
    assert (tmp_path / "global.json").read_bytes() == dump_json(fresh)
    assert _pull(tmp_path, capsys)[0] == 0


def test_a_manifest_whose_timestamps_are_not_timestamps_heals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _pull(tmp_path, capsys)[0] == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["global_last_modified"] = "soon"
    manifest["fetched_at"] = 5
    manifest["objects"]["Account"].update(checked_at="yesterday", last_modified=[1])
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    code, out, err = _pull(tmp_path, capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"pulled 1 objects into {tmp_path}: 1 fetched, 0 unchanged (304), ")
    healed = json.loads((tmp_path / "manifest.json").read_text())
    row = healed["objects"]["Account"]
    assert sorted(row) == ["checked_at", "last_modified", "sha256"]
    assert isinstance(row["checked_at"], float) and row["last_modified"].endswith(" GMT")
    assert row["sha256"] == sha256_bytes((tmp_path / "sobjects" / "Account.json").read_bytes())
    assert healed["global_last_modified"] is None  # dropped: the next global fetch is whole
    # The emulator reads the healed (and the damaged) manifest without a traceback too.
    assert Emulator.from_snapshot(tmp_path).org_id == healed["org_id"]


def test_a_global_describe_of_another_shape_from_the_server_is_one_error(tmp_path: Path) -> None:
    hostile = Rewriting(connect_emulator(Emulator.demo()).transport, {"sobjects": 5})
    with pytest.raises(DescribeError) as excinfo:
        DescribeCache(hostile, tmp_path, memory=fresh_memory()).sync(["Account"])
    assert str(excinfo.value) == (
        f"global describe from {DEMO_INSTANCE_URL}: the global describe has no 'sobjects' list"
    )
    assert not (tmp_path / "global.json").exists()


def test_pull_never_revalidates_a_corrupt_object_file(tmp_path: Path) -> None:
    transport = connect_emulator(Emulator.demo()).transport
    DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(["Account"])
    path = tmp_path / "sobjects" / "Account.json"
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    again = DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(
        ["Account"], revalidate=True
    )
    assert (again.fetched, again.unchanged) == (["Account"], [])
    assert path.read_bytes() == good


def test_a_file_damaged_under_a_warm_memory_cache_is_written_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    assert _pull(tmp_path, capsys)[0] == 0
    path = tmp_path / "sobjects" / "Account.json"
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    with caplog.at_level(logging.WARNING, logger="sfschema.describe"):
        code, out, err = _pull(tmp_path, capsys)  # same process: the payload is in memory
    assert (code, err) == (0, "")
    assert out.startswith(f"pulled 1 objects into {tmp_path}: 0 fetched, 1 unchanged (304), ")
    assert caplog.messages == [f"{path} was damaged; writing it again"]
    assert path.read_bytes() == good
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["objects"]["Account"]["sha256"] == sha256_bytes(good)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"compositeResponse": 5}, "composite response has no result for Account"),
        ({"compositeResponse": [{"referenceId": "d0", "httpStatusCode": "500x",
                                 "httpHeaders": ["x"], "body": None}]},
         "UNKNOWN_ERROR: describe Account: HTTP 0: not a Salesforce error body"),
        ({"compositeResponse": [{"referenceId": "d0", "httpStatusCode": 10**5000,
                                 "httpHeaders": {"Last-Modified": 5}, "body": 5}]},
         "UNKNOWN_ERROR: describe Account: HTTP 0: not a Salesforce error body"),
    ],
)  # fmt: skip
def test_a_composite_answer_of_another_shape_is_one_error(
    tmp_path: Path, body: Any, message: str
) -> None:
    hostile = Rewriting(connect_emulator(Emulator.demo()).transport, composite_body=body)
    with pytest.raises((DescribeError, SalesforceApiError)) as excinfo:
        DescribeCache(hostile, tmp_path, memory=fresh_memory()).sync(["Account"])
    assert str(excinfo.value) == message
    assert not (tmp_path / "sobjects").exists()


def test_a_checked_at_in_the_future_is_not_fresh_forever(tmp_path: Path) -> None:
    emulator = Emulator.demo()
    transport = connect_emulator(emulator).transport
    DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(["Account"])
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["objects"]["Account"]["checked_at"] = 1e300
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    emulator.reset_counter()
    again = DescribeCache(transport, tmp_path, memory=fresh_memory()).sync(["Account"])
    assert (again.fetched, again.unchanged, again.from_cache) == ([], ["Account"], [])
    assert emulator.api_calls == 1
