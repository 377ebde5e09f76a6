"""The snapshot directory: the on-disk contract shared by pull, codegen, validate and the emulator.

```
<dir>/manifest.json                          optional: org id, user id, api version, instance,
                                             fetched-at, per object: Last-Modified, sha256
<dir>/global.json                            optional: global describe
<dir>/sobjects/<Name>.json                   one raw describe payload per object
<dir>/picklists/<Name>/<RecordTypeId>.json   optional: UI API picklist values per record type
<dir>/records/<Name>.json                    emulator only, optional: seed records (a JSON list)
```

A directory holding only ``sobjects/*.json`` is a valid snapshot. Files are written as JSON with
sorted keys, through a temporary file and an atomic rename, with mode 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sfschema.errors import SnapshotError

MANIFEST = "manifest.json"
GLOBAL = "global.json"
SOBJECTS = "sobjects"
PICKLISTS = "picklists"
RECORDS = "records"


def dump_json(payload: Any) -> bytes:
    """The canonical bytes of a JSON file sfschema writes (sorted keys, 2-space indent)."""
    return (json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes so a reader sees the old file or the new one, never a torn one (mode 0600)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o600)
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise SnapshotError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any:
    """Read one JSON file; a missing, unreadable or corrupt file is a SnapshotError naming it."""
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise SnapshotError(f"{path}: file not found") from exc
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read ({exc.strerror})") from exc
    except RecursionError as exc:
        raise SnapshotError(f"{path}: not valid JSON (nested too deeply)") from exc
    except ValueError as exc:  # bad JSON, not UTF-8, or an int over Python's digit limit
        raise SnapshotError(f"{path}: not valid JSON ({str(exc)[:200]})") from exc


@dataclass
class ObjectEntry:
    """Manifest row of one object."""

    last_modified: str | None = None
    sha256: str | None = None
    checked_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "last_modified": self.last_modified,
            "sha256": self.sha256,
            "checked_at": self.checked_at,
        }


@dataclass
class Manifest:
    org_id: str | None = None
    user_id: str | None = None
    api_version: str | None = None
    instance: str | None = None
    fetched_at: str | None = None
    global_last_modified: str | None = None
    objects: dict[str, ObjectEntry] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "user_id": self.user_id,
            "api_version": self.api_version,
            "instance": self.instance,
            "fetched_at": self.fetched_at,
            "global_last_modified": self.global_last_modified,
            "objects": {name: entry.to_json() for name, entry in sorted(self.objects.items())},
        }

    @classmethod
    def from_json(cls, payload: Any, source: str) -> Manifest:
        if not isinstance(payload, dict):
            raise SnapshotError(f"{source}: manifest must be a JSON object")
        objects = payload.get("objects") or {}
        if not isinstance(objects, dict):
            raise SnapshotError(f"{source}: manifest 'objects' must be a JSON object")
        return cls(
            org_id=payload.get("org_id"),
            user_id=payload.get("user_id"),
            api_version=payload.get("api_version"),
            instance=payload.get("instance"),
            fetched_at=payload.get("fetched_at"),
            global_last_modified=payload.get("global_last_modified"),
            objects={
                name: ObjectEntry(
                    row.get("last_modified"), row.get("sha256"), row.get("checked_at")
                )
                for name, row in objects.items()
                if isinstance(row, dict)
            },
        )


class SnapshotDir:
    """Reads and writes one snapshot directory. Reads are lazy: nothing is parsed up front."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.root / SOBJECTS).is_dir()

    def require(self) -> SnapshotDir:
        """Fail with a clear message unless this is a readable snapshot directory."""
        if not self.root.is_dir():
            raise SnapshotError(f"{self.root}: snapshot directory not found")
        if not self.exists():
            raise SnapshotError(
                f"{self.root}: not a snapshot (no sobjects/ folder); create one with "
                "'sfschema pull --out DIR' or put describe payloads in DIR/sobjects/<Name>.json"
            )
        return self

    def object_names(self) -> list[str]:
        folder = self.root / SOBJECTS
        if not folder.is_dir():
            return []
        return sorted(path.stem for path in folder.glob("*.json") if not path.name.startswith("."))

    def object_path(self, name: str) -> Path:
        return self.root / SOBJECTS / f"{name}.json"

    def read_object(self, name: str) -> Any:
        return read_json(self.object_path(name))

    def read_object_bytes(self, name: str) -> bytes:
        try:
            return self.object_path(name).read_bytes()
        except OSError as exc:
            raise SnapshotError(f"{self.object_path(name)}: cannot read ({exc.strerror})") from exc

    def read_manifest(self) -> Manifest | None:
        path = self.root / MANIFEST
        if not path.exists():
            return None
        return Manifest.from_json(read_json(path), str(path))

    def read_global(self) -> Any | None:
        path = self.root / GLOBAL
        return read_json(path) if path.exists() else None

    def picklist_record_types(self, name: str) -> list[str]:
        folder = self.root / PICKLISTS / name
        if not folder.is_dir():
            return []
        return sorted(path.stem for path in folder.glob("*.json"))

    def read_picklists(self, name: str, record_type_id: str) -> Any:
        return read_json(self.root / PICKLISTS / name / f"{record_type_id}.json")

    def record_objects(self) -> list[str]:
        folder = self.root / RECORDS
        return sorted(path.stem for path in folder.glob("*.json")) if folder.is_dir() else []

    def read_records(self, name: str) -> list[dict[str, Any]]:
        path = self.root / RECORDS / f"{name}.json"
        payload = read_json(path)
        if not isinstance(payload, list) or not all(isinstance(row, dict) for row in payload):
            raise SnapshotError(f"{path}: seed records must be a JSON list of objects")
        return payload

    def files_sha256(self) -> str:
        """One digest over every describe file (names and bytes), for generated-code headers."""
        digest = hashlib.sha256()
        for name in self.object_names():
            digest.update(name.encode() + b"\0")
            digest.update(hashlib.sha256(self.read_object_bytes(name)).digest())
        return digest.hexdigest()

    # -- writing -------------------------------------------------------------------------------

    def write_object(self, name: str, payload: Any) -> str:
        """Write one describe; returns the sha256 of the bytes written."""
        data = dump_json(payload)
        write_atomic(self.object_path(name), data)
        return sha256_bytes(data)

    def write_global(self, payload: Any) -> None:
        write_atomic(self.root / GLOBAL, dump_json(payload))

    def write_picklists(self, name: str, record_type_id: str, payload: Any) -> None:
        write_atomic(self.root / PICKLISTS / name / f"{record_type_id}.json", dump_json(payload))

    def write_manifest(self, manifest: Manifest) -> None:
        write_atomic(self.root / MANIFEST, dump_json(manifest.to_json()))
