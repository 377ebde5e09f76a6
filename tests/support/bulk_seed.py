"""Seed many records into an emulator fast (tests and benchmarks of paging and bulk writes).

The first record goes through ``Emulator.seed`` (the REST rules: defaults, system fields); the
others copy its shape with their own ids from the org's id generator and their own field values,
straight into the record store. Use it for volume only; rule tests create through the API.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from sfschema.emulator import Emulator


def bulk_seed(emulator: Emulator, object_name: str, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Create the rows; their ids, in order."""
    source = iter(rows)
    first = next(source, None)
    if first is None:
        return []
    [first_id] = emulator.seed(object_name, [first])
    records = emulator.org.records
    template = records.get(object_name, first_id)
    assert template is not None
    made = [first_id]
    prefix = first_id[:3]
    for row in source:
        record = copy.copy(template)
        record.update(row)
        record["Id"] = records.new_id(object_name, prefix)
        records.put(object_name, record)
        made.append(record["Id"])
    records.commit()
    return made


def lock_ids(emulator: Emulator, record_ids: Iterable[str]) -> None:
    """From now on, writes of these records fail with UNABLE_TO_LOCK_ROW (none: unlock all)."""
    from sfschema.emulator.faults import Faults  # the emulator's fault injection

    emulator.faults.locked_ids = Faults(locked_ids=set(record_ids)).locked_ids
