"""Snapshot files: the fast writer matches the standard one, names become paths only when they
follow Salesforce's grammar, and the manifest is updated without re-hashing the whole cache."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from cachetools import TTLCache
from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema.client.session import connect_emulator
from sfschema.demo import demo_org_dir
from sfschema.describe.cache import DescribeCache
from sfschema.describe.paths import is_api_name, object_file_name
from sfschema.describe.snapshot import SnapshotDir, dump_json, dump_json_plain
from sfschema.emulator import Emulator
from sfschema.errors import SnapshotError


def json_values(floats: bool) -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text()
    if floats:
        scalars = scalars | st.floats(allow_nan=False, allow_infinity=False)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )


@settings(max_examples=300, deadline=None)
@given(json_values(floats=False))
def test_fast_writer_matches_the_standard_encoder(payload: Any) -> None:
    assert dump_json(payload) == dump_json_plain(payload)


@settings(max_examples=300, deadline=None)
@given(json_values(floats=True))
def test_fast_writer_round_trips_every_json_value(payload: Any) -> None:
    # Floats in exponent form are the one difference: orjson writes 1e-9 where json writes 1e-09.
    assert json.loads(dump_json(payload)) == payload
    assert dump_json(payload) == dump_json(json.loads(dump_json(payload)))


def test_describe_files_are_readable_and_deterministic() -> None:
    for path in sorted((demo_org_dir() / "sobjects").glob("*.json")):
        payload = json.loads(path.read_bytes())
        written = dump_json(payload)
        expected = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert written == expected.encode()


SEGMENT = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}(_[A-Za-z0-9]{1,4}){0,2}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(SEGMENT, min_size=1, max_size=3))
def test_salesforce_api_names_are_accepted(segments: list[str]) -> None:
    name = "__".join(segments)
    assert is_api_name(name) and object_file_name(name) == f"{name}.json"


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_no_text_becomes_a_path_outside_the_folder(name: str) -> None:
    try:
        file_name = object_file_name(name)
    except SnapshotError:
        return
    assert PurePosixPath(file_name).name == file_name and not file_name.startswith(".")
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@pytest.mark.parametrize(
    "name",
    ["", "_x", "x_", "a___b", "a__b__c__d", "1abc", "Ab.c", "a/b", "..", "a b", "Ünï", "a\0b",
     "A" * 121],
)  # fmt: skip
def test_names_outside_the_grammar_are_refused(name: str) -> None:
    assert not is_api_name(name)


def test_syncing_one_object_at_a_time_hashes_only_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    original = SnapshotDir.read_object_bytes

    def counted(self: SnapshotDir, name: str) -> bytes:
        reads.append(name)
        return original(self, name)

    monkeypatch.setattr(SnapshotDir, "read_object_bytes", counted)
    transport = connect_emulator(Emulator.demo()).transport
    cache = DescribeCache(transport, tmp_path, memory=TTLCache(1000, 600))
    names = SnapshotDir(demo_org_dir()).object_names()
    for name in names:
        assert cache.sync([name]).fetched == [name]
    # One check of each file just written; the old manifest writer re-read every file each time
    # (1 + 2 + ... + N reads).
    assert reads == names
    manifest = SnapshotDir(tmp_path).read_manifest()
    assert manifest is not None and sorted(manifest.objects) == names
