"""Records of the emulated org (seeded from ``records/<Name>.json``), apart from the wire.

Writes are journalled so a request can be rolled back (allOrNone); ``commit`` ends a request.
With a state directory, the tables a request changed are written there as plain JSON files
(atomically: a temporary file, then ``os.replace``) and read back on the next start instead of
the seeds.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sfschema import ids
from sfschema.describe.snapshot import SnapshotDir
from sfschema.errors import SnapshotError

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def id_number(record_id: str) -> int:
    """The record number of an id made by ``ids.make_id`` (base 62, characters 5 to 15)."""
    number = 0
    for char in record_id[4:15]:
        number = number * 62 + _BASE62.index(char)
    return number


class RecordStore:
    """Records by object and 18-character id. Seeds (or saved state) load on first use."""

    def __init__(self, snapshot: SnapshotDir, state_dir: Path | None = None) -> None:
        self._snapshot = snapshot
        self._seeded = {name.lower(): name for name in snapshot.record_objects()}
        self._rows: dict[str, dict[str, dict[str, Any]]] = {}
        self._journal: list[tuple[str, str, dict[str, Any] | None]] = []
        self._dirty: set[str] = set()
        self._next: dict[str, int] = {}
        self.state_dir = state_dir

    def _table(self, object_name: str) -> dict[str, dict[str, Any]]:
        table = self._rows.get(object_name)
        if table is None:
            table = {}
            saved = self._state_file(object_name)
            if saved is not None and saved.is_file():
                rows = _read_rows(saved)
                where = f"{saved.name}: saved record"
            else:
                seed_name = self._seeded.get(object_name.lower())
                rows = self._snapshot.read_records(seed_name) if seed_name else []
                where = f"records/{seed_name}.json: seed record"
            for row in rows:
                record_id = row.get("Id")
                if not isinstance(record_id, str) or not ids.is_valid(record_id):
                    raise SnapshotError(f"{where} without a valid 18-char Id: {record_id!r}")
                table[ids.to18(record_id)] = copy.deepcopy(row)
            self._rows[object_name] = table
        return table

    def all(self, object_name: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every record of an object, in insertion order (copies).

        Deleted records stay in the store with ``IsDeleted: true`` (the recycle bin): only
        ``include_deleted`` (queryAll) returns them.
        """
        return [
            copy.deepcopy(row)
            for row in self._table(object_name).values()
            if include_deleted or not row.get("IsDeleted")
        ]

    def get(self, object_name: str, record_id: str) -> dict[str, Any] | None:
        """One record (deleted ones too) by 15- or 18-character id (a copy), or None."""
        if not ids.is_valid(record_id):
            return None
        found = self._table(object_name).get(ids.to18(record_id))
        return copy.deepcopy(found) if found is not None else None

    def put(self, object_name: str, record: dict[str, Any]) -> None:
        """Insert or replace a record (its ``Id`` must be a valid id)."""
        table = self._table(object_name)
        record_id = ids.to18(record["Id"])
        previous = table.get(record_id)
        self._journal.append((object_name, record_id, previous))
        table[record_id] = copy.deepcopy(record)
        self._dirty.add(object_name)

    def new_id(self, object_name: str, key_prefix: str) -> str:
        """A fresh id with the object's key prefix and a valid checksum (never reused)."""
        number = self._next.get(object_name)
        if number is None:
            made = [id_number(rid) for rid in self._table(object_name) if rid[:3] == key_prefix]
            number = max([0, *made]) + 1
        self._next[object_name] = number + 1
        return ids.make_id(key_prefix, number)

    # -- transactions and state ----------------------------------------------------------------

    def savepoint(self) -> int:
        """A point to roll back to (within the current request)."""
        return len(self._journal)

    def rollback(self, savepoint: int) -> None:
        """Undo every write since the savepoint."""
        while len(self._journal) > savepoint:
            object_name, record_id, previous = self._journal.pop()
            table = self._rows[object_name]
            if previous is None:
                table.pop(record_id, None)
            else:
                table[record_id] = previous

    def commit(self) -> None:
        """End a request: forget the journal and save the changed tables (with a state dir)."""
        self._journal.clear()
        if self.state_dir is not None:
            for object_name in sorted(self._dirty):
                path = self._state_file(object_name)
                assert path is not None
                _write_rows(path, list(self._rows[object_name].values()))
        self._dirty.clear()

    def _state_file(self, object_name: str) -> Path | None:
        # object_name is a described name of the snapshot (letters, digits, _), never the wire's
        return self.state_dir / f"{object_name}.json" if self.state_dir is not None else None


def _read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(f"{path.name}: cannot read saved records: {exc}") from exc
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise SnapshotError(f"{path.name}: saved records must be a JSON list of objects")
    return rows


def _write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write atomically: readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(rows, out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
