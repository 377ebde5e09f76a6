"""Two processes filling the same describe cache leave valid files and a valid manifest."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from cachetools import TTLCache

from sfschema.client.session import connect_emulator
from sfschema.describe.cache import DescribeCache
from sfschema.describe.snapshot import SnapshotDir, sha256_bytes
from sfschema.emulator import Emulator

OBJECTS = ["Account", "Contact", "Lead", "Opportunity", "Case", "Event"]


def _fill(directory: str, objects: list[str], rounds: int) -> None:
    emulator = Emulator.demo()
    transport = connect_emulator(emulator).transport
    for _ in range(rounds):
        cache = DescribeCache(transport, directory, ttl=0, memory=TTLCache(1000, 600))
        cache.sync(objects, revalidate=True)
        emulator.touch(objects[0])


def test_two_processes_writing_one_cache(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_fill, args=(str(tmp_path), OBJECTS, 3)),
        context.Process(target=_fill, args=(str(tmp_path), list(reversed(OBJECTS)), 3)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    store = SnapshotDir(tmp_path)
    manifest = store.read_manifest()
    assert manifest is not None and sorted(manifest.objects) == sorted(OBJECTS)
    for name in OBJECTS:
        assert sha256_bytes(store.read_object_bytes(name)) == manifest.objects[name].sha256
        assert store.read_object(name)["name"] == name
    assert sorted(p.name for p in (tmp_path / "sobjects").iterdir()) == sorted(
        f"{name}.json" for name in OBJECTS
    )
