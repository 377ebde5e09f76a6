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
sorted keys and a 2-space indent (orjson; the standard encoder for what orjson cannot write),
through a temporary file and an atomic rename, with mode 0600, in directories created 0700. Names
become file names only after ``sfschema.describe.paths`` checked them.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import orjson

from sfschema.describe.paths import (
    api_name,
    ensure_dir,
    is_api_name,
    object_file_name,
    record_type_file_name,
)
from sfschema.errors import SnapshotError

MANIFEST = "manifest.json"
GLOBAL = "global.json"
SOBJECTS = "sobjects"
PICKLISTS = "picklists"
RECORDS = "records"


_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def dump_json(payload: Any) -> bytes:
    """The canonical bytes of a JSON file sfschema writes (sorted keys, 2-space indent, UTF-8).

    orjson writes the same bytes as ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)``
    for JSON values (property tests pin the two together), but for floats in exponent form
    (``1e-9``, not ``1e-09``); what orjson refuses (integers beyond 64 bits, non-string keys)
    goes through the standard encoder.
    """
    try:
        return orjson.dumps(payload, option=_ORJSON_OPTIONS)
    except (orjson.JSONEncodeError, TypeError):
        return dump_json_plain(payload)


def dump_json_plain(payload: Any) -> bytes:
    """The standard library's encoding of ``dump_json`` (the reference the fast path matches)."""
    text = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        return text.encode()
    except UnicodeEncodeError:  # a lone surrogate: escape it rather than write invalid UTF-8
        return (json.dumps(payload, indent=2, sort_keys=True) + "\n").encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes so a reader sees the old file or the new one, never a torn one (mode 0600).

    The folder must exist (``paths.ensure_dir``); the rename replaces a link, never follows it.
    """
    try:
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


def parse_json(data: bytes, path: Path) -> Any:
    """Parse bytes read from ``path``; corrupt JSON is a SnapshotError naming it."""
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise SnapshotError(f"{path}: not valid JSON (nested too deeply)") from exc


def global_object_names(payload: Any) -> list[str]:
    """The object names of a global describe; a payload of another shape is a SnapshotError."""
    rows = payload.get("sobjects") if isinstance(payload, dict) else None
    if not isinstance(rows, list):
        raise SnapshotError("the global describe has no 'sobjects' list")
    names = []
    for row in rows:
        name = row.get("name") if isinstance(row, dict) else None
        names.append(api_name(name))
    return names


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


_SHA256 = re.compile(r"[0-9a-f]{64}\Z", re.ASCII)


def http_date(value: object) -> str | None:
    """The value when it is an HTTP date (``Wed, 21 Oct 2015 07:28:00 GMT``), else None."""
    if type(value) is not str or len(value) > 64:
        return None
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return value


def _sha256(value: object) -> str | None:
    return value if type(value) is str and _SHA256.match(value) else None


def _seconds(value: object) -> float | None:
    if type(value) not in (int, float) or not math.isfinite(value):  # type: ignore[arg-type]
        return None
    return float(value)  # type: ignore[arg-type]


def _text(value: object) -> str | None:
    return value if type(value) is str and len(value) <= 200 else None


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

    @classmethod
    def from_json(cls, row: object) -> ObjectEntry | None:
        """The row, or None when any of its values is not what sfschema writes there."""
        if not isinstance(row, dict):
            return None
        written = (row.get("last_modified"), row.get("sha256"), row.get("checked_at"))
        entry = cls(http_date(written[0]), _sha256(written[1]), _seconds(written[2]))
        read = (entry.last_modified, entry.sha256, entry.checked_at)
        if any(value is not None and got is None for value, got in zip(written, read, strict=True)):
            return None
        return entry


@dataclass
class Manifest:
    org_id: str | None = None
    user_id: str | None = None
    api_version: str | None = None
    instance: str | None = None
    fetched_at: str | None = None
    global_last_modified: str | None = None
    global_sha256: str | None = None
    objects: dict[str, ObjectEntry] = field(default_factory=dict)

    @property
    def owner(self) -> tuple[str, str, str, str] | None:
        """(org id, user id, API version, instance) when all are named, else None."""
        owner = (self.org_id, self.user_id, self.api_version, self.instance)
        return owner if all(owner) else None  # type: ignore[return-value]

    def to_json(self) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "user_id": self.user_id,
            "api_version": self.api_version,
            "instance": self.instance,
            "fetched_at": self.fetched_at,
            "global_last_modified": self.global_last_modified,
            "global_sha256": self.global_sha256,
            "objects": {name: entry.to_json() for name, entry in sorted(self.objects.items())},
        }

    @classmethod
    def from_json(cls, payload: Any, source: str) -> Manifest:
        """A manifest; owner fields must be strings, and a row with a value that is not a
        timestamp, HTTP date or sha256 is dropped (its object is fetched again)."""
        if not isinstance(payload, dict):
            raise SnapshotError(f"{source}: manifest must be a JSON object")
        objects = payload.get("objects") or {}
        if not isinstance(objects, dict):
            raise SnapshotError(f"{source}: manifest 'objects' must be a JSON object")
        for key in ("org_id", "user_id", "api_version", "instance"):
            value = payload.get(key)
            if value is not None and _text(value) is None:
                raise SnapshotError(f"{source}: manifest '{key}' must be a string")
        rows = {
            name: ObjectEntry.from_json(row) for name, row in objects.items() if is_api_name(name)
        }
        return cls(
            org_id=payload.get("org_id"),
            user_id=payload.get("user_id"),
            api_version=payload.get("api_version"),
            instance=payload.get("instance"),
            fetched_at=_text(payload.get("fetched_at")),
            global_last_modified=http_date(payload.get("global_last_modified")),
            global_sha256=_sha256(payload.get("global_sha256")),
            objects={name: row for name, row in rows.items() if row is not None},
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
        """The file of one object; a name outside Salesforce's grammar is a SnapshotError."""
        return self.root / SOBJECTS / object_file_name(name)

    def has_data(self) -> bool:
        """True when the directory holds describe data (objects, global describe, picklists)."""
        if (self.root / GLOBAL).exists() or (self.root / PICKLISTS).exists():
            return True
        folder = self.root / SOBJECTS
        return folder.is_dir() and any(folder.glob("*.json"))

    def remove_data(self) -> None:
        """Delete the describe data sfschema writes (manifest, global, objects, picklists)."""
        for path in (self.root / MANIFEST, self.root / GLOBAL):
            path.unlink(missing_ok=True)
        for folder in (self.root / SOBJECTS, self.root / PICKLISTS):
            if folder.is_symlink():
                folder.unlink()
                continue
            for path in sorted(folder.glob("**/*.json"), reverse=True) if folder.is_dir() else []:
                path.unlink(missing_ok=True)

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

    def read_global_bytes(self) -> bytes | None:
        path = self.root / GLOBAL
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SnapshotError(f"{path}: cannot read ({exc.strerror})") from exc

    def picklist_record_types(self, name: str) -> list[str]:
        folder = self.root / PICKLISTS / name
        if not is_api_name(name) or not folder.is_dir():
            return []
        return sorted(path.stem for path in folder.glob("*.json"))

    def picklists_path(self, name: str, record_type_id: str) -> Path:
        object_file_name(name)
        return self.root / PICKLISTS / name / record_type_file_name(record_type_id)

    def read_picklists(self, name: str, record_type_id: str) -> Any:
        return read_json(self.picklists_path(name, record_type_id))

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
        path = self.object_path(name)
        ensure_dir(self.root, (SOBJECTS,))
        data = dump_json(payload)
        write_atomic(path, data)
        return sha256_bytes(data)

    def write_global(self, payload: Any) -> str:
        """Write the global describe; returns the sha256 of the bytes written."""
        ensure_dir(self.root)
        data = dump_json(payload)
        write_atomic(self.root / GLOBAL, data)
        return sha256_bytes(data)

    def write_picklists(self, name: str, record_type_id: str, payload: Any) -> None:
        path = self.picklists_path(name, record_type_id)
        ensure_dir(self.root, (PICKLISTS, name))
        write_atomic(path, dump_json(payload))

    def write_manifest(self, manifest: Manifest) -> None:
        ensure_dir(self.root)
        write_atomic(self.root / MANIFEST, dump_json(manifest.to_json()))
