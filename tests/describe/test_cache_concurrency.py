"""Two processes filling the same describe cache leave valid files and a valid manifest."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path
from typing import Any

from cachetools import TTLCache

from sfschema.client.session import connect_emulator
from sfschema.demo import demo_org_dir
from sfschema.describe.cache import DescribeCache
from sfschema.describe.snapshot import SnapshotDir, sha256_bytes
from sfschema.emulator import Emulator

OBJECTS = ["Account", "Contact", "Lead", "Opportunity", "Case", "Event"]


def _fill(org_dir: str, directory: str, objects: list[str], rounds: int, start: Any) -> None:
    # Both processes see the same org, user and API version; their payloads differ (one org's
    # labels were edited), so a manifest entry can only match the file the last writer left.
    emulator = Emulator.from_snapshot(org_dir, org_id="00D000000000001")
    transport = connect_emulator(emulator).transport
    transport.identity()
    start.wait(timeout=60)  # both processes are warm: their writes really interleave
    for _ in range(rounds):
        cache = DescribeCache(transport, directory, ttl=0, memory=TTLCache(1000, 600))
        cache.sync(objects, revalidate=True)
        for name in objects:
            emulator.touch(name)


def _edited_org(root: Path) -> Path:
    shutil.copytree(demo_org_dir(), root)
    for name in OBJECTS:
        path = root / "sobjects" / f"{name}.json"
        payload = json.loads(path.read_text())
        payload["label"] += " (edited)"
        path.write_text(json.dumps(payload))
    return root


def test_two_processes_writing_one_cache(tmp_path: Path) -> None:
    edited = _edited_org(tmp_path / "edited-org")
    cache_dir = tmp_path / "cache"
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [
        context.Process(
            target=_fill, args=(str(demo_org_dir()), str(cache_dir), OBJECTS, 25, start)
        ),
        context.Process(target=_fill, args=(str(edited), str(cache_dir), OBJECTS[::-1], 25, start)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    store = SnapshotDir(cache_dir)
    manifest = store.read_manifest()
    assert manifest is not None
    assert set(manifest.objects) <= set(OBJECTS)
    for name, entry in manifest.objects.items():
        assert sha256_bytes(store.read_object_bytes(name)) == entry.sha256
    for name in OBJECTS:
        assert store.read_object(name)["name"] == name
    assert sorted(p.name for p in (cache_dir / "sobjects").iterdir()) == sorted(
        f"{name}.json" for name in OBJECTS
    )
    # Whatever the interleaving, a later reader gets a consistent snapshot.
    emulator = Emulator.from_snapshot(demo_org_dir(), org_id="00D000000000001")
    result = DescribeCache(
        connect_emulator(emulator).transport, cache_dir, memory=TTLCache(1000, 600)
    ).sync(OBJECTS)
    assert sorted(result.fetched + result.from_cache) == sorted(OBJECTS)
