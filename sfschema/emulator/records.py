"""Records of the emulated org (seeded from ``records/<Name>.json``), apart from the wire."""

from __future__ import annotations

import copy
from typing import Any

from sfschema import ids
from sfschema.describe.snapshot import SnapshotDir
from sfschema.errors import SnapshotError


class RecordStore:
    """Records by object and 18-character id. Seeds load on first use of an object."""

    def __init__(self, snapshot: SnapshotDir) -> None:
        self._snapshot = snapshot
        self._seeded = {name.lower(): name for name in snapshot.record_objects()}
        self._rows: dict[str, dict[str, dict[str, Any]]] = {}

    def _table(self, object_name: str) -> dict[str, dict[str, Any]]:
        table = self._rows.get(object_name)
        if table is None:
            table = {}
            seed_name = self._seeded.get(object_name.lower())
            for row in self._snapshot.read_records(seed_name) if seed_name else []:
                record_id = row.get("Id")
                if not isinstance(record_id, str) or not ids.is_valid(record_id):
                    raise SnapshotError(
                        f"records/{seed_name}.json: seed record without a valid 18-char Id: "
                        f"{record_id!r}"
                    )
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
        """One record by 15- or 18-character id (a copy), or None."""
        if not ids.is_valid(record_id):
            return None
        found = self._table(object_name).get(ids.to18(record_id))
        return copy.deepcopy(found) if found is not None else None

    def put(self, object_name: str, record: dict[str, Any]) -> None:
        """Insert or replace a record (its ``Id`` must be a valid id)."""
        self._table(object_name)[ids.to18(record["Id"])] = copy.deepcopy(record)
