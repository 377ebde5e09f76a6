"""Query paging as Salesforce pages ("Query", "Query Options Header", REST API Developer Guide).

A result larger than the batch is kept as an open cursor; ``nextRecordsUrl`` names it as
``/services/data/vXX.X/query/01g…-<offset>`` and is absent (not null) on the last page. Records
of child subqueries count toward the batch; a child result longer than the batch pages on its
own ``nextRecordsUrl``. A cursor answers the rows as they were when the query ran, so a write
between pages never repeats or skips a row.

Cursor lifetime ("Salesforce Limits Quick Reference", API Query Cursor Limits): since API v56.0
two days; before, 15 minutes without use. The store is bounded: past ``MAX_OPEN_CURSORS`` the
least recently used cursor closes (its locator becomes INVALID_QUERY_LOCATOR).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sfschema import ids
from sfschema import salesforce_errors as sfe
from sfschema.emulator.soql_eval.result import ChildRows
from sfschema.errors import EmulatorError

DEFAULT_BATCH = 2000
MIN_BATCH = 200
MAX_BATCH = 2000
MAX_OPEN_CURSORS = 5000  # more than one page of 2,000 rows can open for their children
CURSOR_PREFIX = "01g"
_LOCATOR = re.compile(r"(01g[0-9A-Za-z]{15})-(\d{1,9})\Z")


def batch_size(header: str | None) -> int:
    """The batch of ``Sforce-Query-Options: batchSize=N``: N within 200..2000, else 2000.

    UNCERTAIN: Salesforce documents the range, not what it does outside it; a value below 200
    is raised to 200 and one above 2000 lowered to 2000 here.
    """
    for part in (header or "").split(","):
        name, _, value = part.partition("=")
        if name.strip().lower() == "batchsize" and value.strip().isdigit():
            number = int(value.strip()[:9])
            return min(max(number, MIN_BATCH), MAX_BATCH)
    return DEFAULT_BATCH


def lifetime(version: int) -> timedelta:
    return timedelta(days=2) if version >= 56 else timedelta(minutes=15)


@dataclass
class Cursor:
    records: list[Any]
    total_size: int
    batch: int
    version: int
    expires: datetime


class Pager:
    """The open cursors of one org."""

    def __init__(self) -> None:
        self._cursors: OrderedDict[str, Cursor] = OrderedDict()
        self._serial = 0

    def first_page(
        self, records: list[Any], total_size: int, batch: int, version: int, now: datetime
    ) -> dict[str, Any]:
        cursor = Cursor(records, total_size, batch, version, now + lifetime(version))
        return self._page(None, cursor, 0, now)

    def next_page(self, locator: str, version: int, now: datetime) -> dict[str, Any]:
        match = _LOCATOR.match(locator)
        cursor = self._cursors.get(match.group(1)) if match else None
        if match is None or cursor is None or cursor.expires <= now:
            if match is not None:
                self._cursors.pop(match.group(1), None)
            raise EmulatorError(sfe.INVALID_QUERY_LOCATOR, sfe.INVALID_QUERY_LOCATOR_MESSAGE, 400)
        offset = int(match.group(2))
        if offset > len(cursor.records):
            raise EmulatorError(sfe.INVALID_QUERY_LOCATOR, sfe.INVALID_QUERY_LOCATOR_MESSAGE, 400)
        cursor.version = version
        if version < 56:  # idle timeout before v56: each use keeps it open
            cursor.expires = now + lifetime(version)
        return self._page(match.group(1), cursor, offset, now)

    def _page(
        self, cursor_id: str | None, cursor: Cursor, start: int, now: datetime
    ) -> dict[str, Any]:
        budget = cursor.batch
        written: list[dict[str, Any]] = []
        index = start
        while index < len(cursor.records):
            record, cost = self._write(cursor.records[index], cursor, now)
            if written and cost > budget:
                break
            written.append(record)
            budget -= cost
            index += 1
        page: dict[str, Any] = {
            "totalSize": cursor.total_size,
            "done": index >= len(cursor.records),
        }
        if index < len(cursor.records):
            if cursor_id is None:
                cursor_id = self._open(cursor)
            else:  # most recently used (again, if this page's child cursors pushed it out)
                self._cursors[cursor_id] = cursor
                self._cursors.move_to_end(cursor_id)
            page["nextRecordsUrl"] = f"/services/data/v{cursor.version}.0/query/{cursor_id}-{index}"
        elif cursor_id is not None:
            self._cursors.pop(cursor_id, None)  # the last page closes the cursor
        page["records"] = written
        return page

    def _open(self, cursor: Cursor) -> str:
        self._serial += 1
        cursor_id = ids.make_id(CURSOR_PREFIX, self._serial)
        self._cursors[cursor_id] = cursor
        while len(self._cursors) > MAX_OPEN_CURSORS:
            self._cursors.popitem(last=False)
        return cursor_id

    def _write(self, record: dict[str, Any], cursor: Cursor, now: datetime) -> tuple[Any, int]:
        """A record with its child results paged; the number of records it counts for."""
        out: dict[str, Any] = {}
        cost = 1
        for key, value in record.items():
            if isinstance(value, ChildRows):
                child = Cursor(
                    value.records,
                    len(value.records),
                    cursor.batch,
                    cursor.version,
                    now + lifetime(cursor.version),
                )
                page = self._page(None, child, 0, now)
                cost += len(page["records"])
                value = page
            out[key] = value
        return out, cost
