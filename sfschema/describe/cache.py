"""Two-level describe cache: memory (cachetools TTL) over disk (the snapshot format).

Entries are keyed by org id + user id + API version: describe reflects the user's field-level
security, so one user's view never serves another. Every object on disk carries its server
Last-Modified and the sha256 of its file; a truncated or corrupt file is logged as a warning and
fetched again.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cachetools import TTLCache

from sfschema.describe.fetch import CallMeter, Identity, Transport, fetch_describes, fetch_global
from sfschema.describe.snapshot import (
    Manifest,
    ObjectEntry,
    SnapshotDir,
    read_json,
    sha256_bytes,
)
from sfschema.errors import CacheError, DescribeError, SnapshotError
from sfschema.suggest import did_you_mean

log = logging.getLogger("sfschema.describe")

DEFAULT_TTL = 600.0
CacheKey = tuple[str, str, str, str, str]  # org id, user id, api version, directory, object

_MEMORY: TTLCache[CacheKey, tuple[Any, str | None]] = TTLCache(maxsize=4096, ttl=DEFAULT_TTL)


def default_cache_root() -> Path:
    """``$SFSCHEMA_CACHE_DIR`` or ``$XDG_CACHE_HOME/sfschema`` (``~/.cache/sfschema``)."""
    explicit = os.environ.get("SFSCHEMA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sfschema"


def cache_dir_for(root: Path, identity: Identity, api_version: str) -> Path:
    return root / identity.org_id / identity.user_id / f"v{api_version}"


@dataclass
class SyncResult:
    """What one synchronisation did."""

    objects: list[str]
    fetched: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    from_cache: list[str] = field(default_factory=list)
    calls: int = 0
    requests: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{len(self.fetched)} fetched, {len(self.unchanged)} unchanged (304), "
            f"{len(self.from_cache)} from cache, {self.calls} API calls, {self.seconds:.2f}s"
        )


class DescribeCache:
    """Describes of one org for one user, kept in memory and in one snapshot directory."""

    def __init__(
        self,
        transport: Transport,
        directory: str | os.PathLike[str] | None = None,
        ttl: float = DEFAULT_TTL,
        memory: TTLCache[CacheKey, tuple[Any, str | None]] | None = None,
    ) -> None:
        self.transport = transport
        self.identity = transport.identity()
        self.api_version = transport.api_version
        root = (
            Path(directory)
            if directory is not None
            else cache_dir_for(default_cache_root(), self.identity, self.api_version)
        )
        self.store = SnapshotDir(root)
        self.ttl = ttl
        self.memory = _MEMORY if memory is None else memory

    # -- public --------------------------------------------------------------------------------

    def sync(
        self,
        objects: Sequence[str] | None = None,
        revalidate: bool = False,
        on_total: Callable[[int], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> SyncResult:
        """Make the named objects (None: every object in the org) present and current.

        Fresh copies (memory, or disk within the TTL) cost nothing unless ``revalidate``; stale or
        revalidated copies are checked with If-Modified-Since; missing ones are fetched.
        """
        started = time.perf_counter()
        meter = CallMeter(self.transport)
        manifest = self._manifest()
        global_payload = self._global(manifest, meter, refresh=objects is None)
        names, unknown = self._resolve(objects, global_payload)
        if unknown and global_payload is None:
            # The cached global describe may predate the object: revalidate it once.
            global_payload = self._global(manifest, meter, refresh=True)
            names, unknown = self._resolve(objects, global_payload)
        if unknown:
            known = self._known_objects(global_payload)
            raise DescribeError(
                f"sObject type '{unknown[0]}' is not in org {self.identity.org_id}"
                + did_you_mean(unknown[0], known)
            )
        result = SyncResult(objects=names)
        wanted: list[tuple[str, str | None]] = []
        now = time.time()
        for name in names:
            entry = manifest.objects.get(name)
            cached = self._cached(name, entry)
            if cached is None:
                wanted.append((name, None))
            elif not revalidate and self._fresh(name, entry, now):
                result.from_cache.append(name)
            else:
                wanted.append((name, entry.last_modified if entry else None))
        if on_total is not None:
            on_total(len(wanted))
        for item in fetch_describes(self.transport, wanted, meter, on_progress):
            entry = manifest.objects.setdefault(item.name, ObjectEntry())
            if item.outcome == "fetched":
                entry.sha256 = self.store.write_object(item.name, item.payload)
                result.fetched.append(item.name)
            else:
                result.unchanged.append(item.name)
            entry.last_modified = item.last_modified
            entry.checked_at = now
            self._remember(item.name, item.payload, item.last_modified)
        if wanted or global_payload is not None:
            self._write_manifest(manifest)
        result.calls, result.requests = meter.calls, meter.requests
        result.seconds = time.perf_counter() - started
        return result

    def describe(self, name: str) -> Any:
        """The raw describe of one object (memory → disk → network)."""
        resolved = self.sync([name]).objects[0]
        return self._load(resolved)

    # -- internals -----------------------------------------------------------------------------

    def _key(self, name: str) -> CacheKey:
        identity = self.identity
        return (identity.org_id, identity.user_id, self.api_version, str(self.store.root), name)

    def _remember(self, name: str, payload: Any | None, last_modified: str | None) -> None:
        if payload is None:
            payload = self._load(name)
        self.memory[self._key(name)] = (payload, last_modified)

    def _load(self, name: str) -> Any:
        hit = self.memory.get(self._key(name))
        if hit is not None:
            return hit[0]
        return self.store.read_object(name)

    def _manifest(self) -> Manifest:
        try:
            manifest = self.store.read_manifest()
        except SnapshotError as exc:
            log.warning("describe cache manifest unusable, starting afresh: %s", exc)
            manifest = None
        ours = Manifest(
            org_id=self.identity.org_id,
            user_id=self.identity.user_id,
            api_version=self.api_version,
            instance=self.identity.instance_url,
        )
        if manifest is None:
            return ours
        if not self._owns(manifest):
            # Describe reflects the user's field-level security: never mix two views in one place.
            raise CacheError(
                f"{self.store.root} holds describes of org {manifest.org_id} user "
                f"{manifest.user_id} API v{manifest.api_version}, not of org {ours.org_id} user "
                f"{ours.user_id} v{ours.api_version}; use another directory or remove this one"
            )
        ours.objects = manifest.objects
        ours.global_last_modified = manifest.global_last_modified
        return ours

    def _global(self, manifest: Manifest, meter: CallMeter, refresh: bool) -> Any | None:
        """Returns the global payload just fetched, or None when the cached one still holds."""
        cached = self._cached_global()
        if cached is not None and not refresh:
            return None
        since = manifest.global_last_modified if cached is not None else None
        payload, last_modified = fetch_global(self.transport, meter, since)
        manifest.global_last_modified = last_modified
        if payload is not None:
            self.store.write_global(payload)
        return payload

    def _owns(self, manifest: Manifest) -> bool:
        return (manifest.org_id, manifest.user_id, manifest.api_version) == (
            self.identity.org_id,
            self.identity.user_id,
            self.api_version,
        )

    def _cached_global(self) -> Any | None:
        try:
            return self.store.read_global()
        except SnapshotError as exc:
            log.warning("global describe cache unusable, fetching again: %s", exc)
            return None

    def _known_objects(self, fetched_global: Any | None) -> list[str]:
        payload = fetched_global or self._cached_global() or {}
        rows = payload.get("sobjects", []) if isinstance(payload, dict) else []
        return [str(row["name"]) for row in rows if isinstance(row, dict) and row.get("name")]

    def _resolve(
        self, objects: Sequence[str] | None, fetched_global: Any | None
    ) -> tuple[list[str], list[str]]:
        """(object names as the org spells them, names the global describe lacks)."""
        known = self._known_objects(fetched_global)
        if objects is None:
            return sorted(known), []
        by_lower = {name.lower(): name for name in known}
        resolved = [by_lower[name.lower()] for name in objects if name.lower() in by_lower]
        unknown = [name for name in objects if name.lower() not in by_lower]
        return resolved, unknown

    def _cached(self, name: str, entry: ObjectEntry | None) -> Any | None:
        """The cached payload (memory, else a disk file whose sha256 matches), or None."""
        hit = self.memory.get(self._key(name))
        if hit is not None:
            return hit[0]
        if entry is None or entry.sha256 is None:
            return None
        try:
            data = self.store.read_object_bytes(name)
        except SnapshotError:
            return None
        if sha256_bytes(data) != entry.sha256:
            log.warning(
                "%s is corrupt or was changed (sha256 mismatch); fetching it again",
                self.store.object_path(name),
            )
            return None
        try:
            return read_json(self.store.object_path(name))
        except SnapshotError as exc:
            log.warning("%s; fetching it again", exc)
            return None

    def _fresh(self, name: str, entry: ObjectEntry | None, now: float) -> bool:
        if self.memory.get(self._key(name)) is not None:
            return True
        return bool(entry and entry.checked_at and now - entry.checked_at < self.ttl)

    def _write_manifest(self, manifest: Manifest) -> None:
        """Merge with what another process of the same identity wrote meanwhile, under a lock.

        Object files are written before the lock is taken, so a concurrent writer may have
        replaced one since: an entry is kept only while its sha256 matches the file on disk
        (a mismatch just means that object is fetched again next time).
        """
        with _locked(self.store.root / ".manifest.lock"):
            try:
                on_disk = self.store.read_manifest()
            except SnapshotError:
                on_disk = None
            merged = dict(on_disk.objects) if on_disk is not None and self._owns(on_disk) else {}
            merged.update(manifest.objects)
            manifest.objects = {
                name: entry for name, entry in merged.items() if self._matches_disk(name, entry)
            }
            manifest.fetched_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self.store.write_manifest(manifest)

    def _matches_disk(self, name: str, entry: ObjectEntry) -> bool:
        try:
            return sha256_bytes(self.store.read_object_bytes(name)) == entry.sha256
        except SnapshotError:
            return False


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
