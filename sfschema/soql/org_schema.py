"""The describes a query needs, fetched from an org through its describe cache.

``check`` asks a schema for the queried objects, then for the objects their relationships lead
to (parents, child subqueries, semi-joins, TYPEOF targets). ``schema_for`` runs the checker
against what it has described so far and notes every object the org lists but the schema
lacks; each round fetches those in one cache sync (fresh copies free, stale ones
revalidated with If-Modified-Since, the rest in batches), until the checker asks for nothing
new. Objects the query never reaches are never described.

An object the cached global describe does not list (a typo, or one created since) makes the
cache ask the org once more, unless the global describe was fetched in this very call.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sfschema.describe.cache import DescribeCache
from sfschema.errors import DescribeError
from sfschema.schema import OrgSchema
from sfschema.soql.ast import Query
from sfschema.soql.check import check


class _NotingSchema(OrgSchema):
    """The objects described so far; notes each name asked for that they do not include."""

    def __init__(self, sobjects: dict[str, Any], global_raw: Any, source: str) -> None:
        super().__init__(sobjects, global_raw, source=source)
        rows = global_raw.get("sobjects", []) if isinstance(global_raw, dict) else []
        self._listed = {
            str(row["name"]).lower(): str(row["name"])
            for row in rows
            if isinstance(row, dict) and row.get("name")
        }
        self.listed_missing: set[str] = set()  # in the org's list, not described yet
        self.unlisted: set[str] = set()  # not in the org's (cached) list at all

    def resolve_name(self, name: str) -> str | None:
        found = super().resolve_name(name)
        if found is None:
            listed = self._listed.get(name.lower())
            if listed is None:
                self.unlisted.add(name)
            else:
                self.listed_missing.add(listed)
        return found


def schema_for(query: Query, cache: DescribeCache, source: str) -> OrgSchema:
    """An OrgSchema (named ``source``) with the describes checking ``query`` needs.

    For ``SELECT Id, Account.Owner.Name, (SELECT Id FROM Cases) FROM Contact`` that is
    Contact, then Account and Case, then User: three syncs, whatever else the org holds.
    """
    first = cache.sync([])  # the global describe: which objects the org has
    global_fresh = first.calls > 0
    global_raw = cache.store.read_global()
    described: dict[str, Any] = {}
    while True:
        noted = _NotingSchema(described, global_raw, source)
        check(query, noted)
        wanted = sorted(noted.listed_missing - described.keys())
        if not wanted and noted.unlisted and not global_fresh:
            global_fresh = True
            # Refreshes the global describe first; still unknown ones stay for the checker to
            # report (with close matches).
            with contextlib.suppress(DescribeError):
                cache.sync(sorted(noted.unlisted))
            global_raw = cache.store.read_global()
            continue
        if not wanted:
            return OrgSchema(described, global_raw, source=source)
        for name in cache.sync(wanted).objects:
            described[name] = cache.describe(name)
