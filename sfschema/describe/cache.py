"""Two-level describe cache: memory (cachetools TTL) over disk (the snapshot format).

Entries are keyed by org id + user id + instance + API version: describe reflects the user's
field-level security, so one user's view never serves another, and two orgs never share an entry.
A directory is used only when its manifest proves that owner: the manifest is written before the
first describe file, so data without one (or with a corrupt one) is never adopted — the default
cache directory is emptied and refetched, a directory the caller named is refused. Every object
on disk carries its server Last-Modified and the sha256 of its file (the global describe too); a
truncated or corrupt file is logged as a warning and fetched again, without If-Modified-Since.
The manifest is updated incrementally: only the files this process wrote are hashed again.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from cachetools import TTLCache

from sfschema.describe.fetch import CallMeter, Identity, Transport, fetch_describes, fetch_global
from sfschema.describe.paths import (
    id_segment,
    instance_segment,
    locked,
    version_segment,
)
from sfschema.describe.snapshot import (
    Manifest,
    ObjectEntry,
    SnapshotDir,
    global_object_names,
    parse_json,
    sha256_bytes,
)
from sfschema.errors import CacheError, DescribeError, SnapshotError
from sfschema.suggest import did_you_mean

log = logging.getLogger("sfschema.describe")

DEFAULT_TTL = 600.0
CacheKey = tuple[str, str, str, str, str, str]  # org, user, instance, version, directory, object

_MEMORY: TTLCache[CacheKey, tuple[Any, str | None]] = TTLCache(maxsize=4096, ttl=DEFAULT_TTL)


def default_cache_root() -> Path:
    """``$SFSCHEMA_CACHE_DIR`` or ``$XDG_CACHE_HOME/sfschema`` (``~/.cache/sfschema``)."""
    explicit = os.environ.get("SFSCHEMA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sfschema"


def cache_dir_for(root: Path, identity: Identity, api_version: str) -> Path:
    """``root/<org id>/<user id>/<instance host>/v<version>``; each part checked before use."""
    try:
        return (
            root
            / id_segment(identity.org_id, "org id")
            / id_segment(identity.user_id, "user id")
            / instance_segment(identity.instance_url)
            / version_segment(api_version)
        )
    except SnapshotError as exc:
        raise CacheError(f"cannot place the describe cache: {exc}") from exc


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
        self.named_directory = directory is not None
        self.ttl = ttl
        self.memory = _MEMORY if memory is None else memory
        self._read: tuple[tuple[int, int, int], Manifest] | None = None
        self._global_read: tuple[tuple[int, int, int], str, Any] | None = None

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
        names, unknown = self._resolve(objects, global_payload, manifest)
        if unknown and global_payload is None:
            # The cached global describe may predate the object: revalidate it once.
            global_payload = self._global(manifest, meter, refresh=True)
            names, unknown = self._resolve(objects, global_payload, manifest)
        if unknown:
            known = self._known_objects(global_payload, manifest)
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
        touched: dict[str, ObjectEntry] = {}
        for item in fetch_describes(self.transport, wanted, meter, on_progress):
            entry = manifest.objects.setdefault(item.name, ObjectEntry())
            if item.outcome == "fetched":
                entry.sha256 = self.store.write_object(item.name, item.payload)
                result.fetched.append(item.name)
            else:
                result.unchanged.append(item.name)
                self._restore(item.name, entry)
            entry.last_modified = item.last_modified
            entry.checked_at = now
            touched[item.name] = entry
            self._remember(item.name, item.payload, item.last_modified)
        if touched or global_payload is not None:
            self._write_manifest(manifest, touched, wrote_global=global_payload is not None)
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
        return (
            identity.org_id,
            identity.user_id,
            identity.instance_url,
            self.api_version,
            str(self.store.root),
            name,
        )

    def _remember(self, name: str, payload: Any | None, last_modified: str | None) -> None:
        if payload is None:
            payload = self._load(name)
        self.memory[self._key(name)] = (payload, last_modified)

    def _load(self, name: str) -> Any:
        hit = self.memory.get(self._key(name))
        if hit is not None:
            return hit[0]
        return self.store.read_object(name)

    def _restore(self, name: str, entry: ObjectEntry) -> None:
        """After a 304 served from memory, rewrite the disk file if it was damaged meanwhile."""
        if not _matches(partial(self.store.read_object_bytes, name), entry.sha256):
            log.warning("%s was damaged; writing it again", self.store.object_path(name))
            entry.sha256 = self.store.write_object(name, self._load(name))

    def _owner(self) -> Manifest:
        return Manifest(
            org_id=self.identity.org_id,
            user_id=self.identity.user_id,
            api_version=self.api_version,
            instance=self.identity.instance_url,
        )

    def _manifest(self) -> Manifest:
        """This owner's manifest (a copy: sync changes it), claiming the directory if new."""
        ours = self._owner()
        found, problem = self._read_manifest()
        if found is None or found.owner is None:
            with locked(self.store.root / ".manifest.lock"):
                found, problem = self._read_manifest()
                if found is None or found.owner is None:
                    self._claim(ours, problem)
                    return ours
        self._check_owner(found)
        ours.objects = {name: ObjectEntry(**vars(row)) for name, row in found.objects.items()}
        ours.global_last_modified = found.global_last_modified
        ours.global_sha256 = found.global_sha256
        return ours

    def _claim(self, ours: Manifest, problem: str | None) -> None:
        """Write the owner's manifest before any describe file (lock held).

        Describe data already here whose owner no manifest proves is never adopted.
        """
        if self.store.has_data():
            why = problem or f"{self.store.root}: no manifest.json names their org and user"
            if self.named_directory:
                raise CacheError(
                    f"{self.store.root} holds describes whose org, user and instance cannot be "
                    f"proven ({why}); they are not adopted: remove them or use an empty directory"
                )
            log.warning("describe cache of unproven owner (%s); fetching everything again", why)
            self.store.remove_data()
        self.store.write_manifest(ours)
        self._read = None

    def _read_manifest(self) -> tuple[Manifest | None, str | None]:
        """(the manifest on disk or None, why it is unusable); unchanged files are not re-read."""
        stamp = _stamp(self.store.root / "manifest.json")
        if stamp is None:
            return None, None
        if self._read is not None and self._read[0] == stamp:
            return self._read[1], None
        try:
            manifest = self.store.read_manifest()
        except SnapshotError as exc:
            log.warning("describe cache manifest unusable: %s", exc)
            return None, str(exc)
        if manifest is not None:
            self._read = (stamp, manifest)
        return manifest, None

    def _check_owner(self, manifest: Manifest) -> None:
        if manifest.owner == self._owner().owner:
            return
        # Describe reflects the user's field-level security: never mix two views in one place.
        ours = self._owner()
        raise CacheError(
            f"{self.store.root} holds describes of org {manifest.org_id} user "
            f"{manifest.user_id} at {manifest.instance} API v{manifest.api_version}, not of org "
            f"{ours.org_id} user {ours.user_id} at {ours.instance} v{ours.api_version}; "
            "use another directory or remove this one"
        )

    def _global(self, manifest: Manifest, meter: CallMeter, refresh: bool) -> Any | None:
        """Returns the global payload just fetched, or None when the cached one still holds."""
        cached = self._cached_global(manifest)
        if cached is not None and not refresh:
            return None
        # A missing or damaged copy is fetched whole: a 304 must never keep a bad file alive.
        since = manifest.global_last_modified if cached is not None else None
        payload, last_modified = fetch_global(self.transport, meter, since)
        if payload is None and cached is None:
            raise DescribeError("global describe: 304 Not Modified without a cached copy")
        manifest.global_last_modified = last_modified
        if payload is not None:
            try:
                global_object_names(payload)
            except SnapshotError as exc:
                raise DescribeError(
                    f"global describe from {self.identity.instance_url}: {exc}"
                ) from exc
            manifest.global_sha256 = self.store.write_global(payload)
        return payload

    def _cached_global(self, manifest: Manifest) -> Any | None:
        """The cached global describe when its sha256 matches the manifest and it is well formed."""
        path = self.store.root / "global.json"
        stamp = _stamp(path)
        memo = self._global_read
        if memo is not None and (memo[0], memo[1]) == (stamp, manifest.global_sha256):
            return memo[2]  # the file checked last time, unchanged since
        try:
            data = self.store.read_global_bytes()
            if data is None:
                return None
            if manifest.global_sha256 is None or sha256_bytes(data) != manifest.global_sha256:
                raise SnapshotError(f"{path}: sha256 mismatch")
            payload = parse_json(data, path)
            global_object_names(payload)
        except SnapshotError as exc:
            log.warning("global describe cache unusable, fetching it again: %s", exc)
            return None
        if stamp is not None:
            self._global_read = (stamp, manifest.global_sha256, payload)
        return payload

    def _known_objects(self, fetched_global: Any | None, manifest: Manifest) -> list[str]:
        payload = fetched_global or self._cached_global(manifest)
        return global_object_names(payload) if payload is not None else []

    def _resolve(
        self, objects: Sequence[str] | None, fetched_global: Any | None, manifest: Manifest
    ) -> tuple[list[str], list[str]]:
        """(object names as the org spells them, names the global describe lacks)."""
        known = self._known_objects(fetched_global, manifest)
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
        path = self.store.object_path(name)
        try:
            data = self.store.read_object_bytes(name)
        except SnapshotError:
            return None
        if sha256_bytes(data) != entry.sha256:
            log.warning("%s is corrupt or was changed (sha256 mismatch); fetching it again", path)
            return None
        try:
            return parse_json(data, path)
        except SnapshotError as exc:
            log.warning("%s; fetching it again", exc)
            return None

    def _fresh(self, name: str, entry: ObjectEntry | None, now: float) -> bool:
        if self.memory.get(self._key(name)) is not None:
            return True
        return bool(entry and entry.checked_at and 0 <= now - entry.checked_at < self.ttl)

    def _write_manifest(
        self, manifest: Manifest, touched: dict[str, ObjectEntry], wrote_global: bool
    ) -> None:
        """Merge with what another process of the same owner wrote meanwhile, under a lock.

        Object files are written before the lock is taken, so a concurrent writer may have
        replaced one since: only the objects this sync touched are hashed again, and an entry
        whose file no longer matches keeps the other writer's row. Rows this sync did not touch
        are taken from disk as they are (their reader checks each sha256 anyway).
        """
        with locked(self.store.root / ".manifest.lock"):
            on_disk, _problem = self._read_manifest()
            if on_disk is not None and on_disk.owner is not None:
                self._check_owner(on_disk)
                base = on_disk
            else:
                base = manifest
            objects = dict(base.objects)
            for name, entry in touched.items():
                if _matches(partial(self.store.read_object_bytes, name), entry.sha256):
                    objects[name] = entry
            merged = Manifest(**{**vars(base), "objects": objects})
            if wrote_global and _matches(self.store.read_global_bytes, manifest.global_sha256):
                merged.global_sha256 = manifest.global_sha256
                merged.global_last_modified = manifest.global_last_modified
            merged.fetched_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self.store.write_manifest(merged)
            manifest.objects = dict(objects)
            # The next sync starts from this manifest while the file stays the one written here.
            stamp = _stamp(self.store.root / "manifest.json")
            self._read = (stamp, merged) if stamp is not None else None


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """(inode, mtime ns, size) of a file: each atomic replace writes a new inode."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _matches(read: Callable[[], bytes | None], sha256: str | None) -> bool:
    """True when the file ``read`` returns has this sha256."""
    try:
        data = read()
    except SnapshotError:
        return False
    return sha256 is not None and data is not None and sha256_bytes(data) == sha256
