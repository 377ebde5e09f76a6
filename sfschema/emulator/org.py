"""State and rules of one emulated org, apart from the wire (HTTP shapes live in ``wire.py``).

The org holds the describes of a snapshot directory, the users and their permissions, metadata
timestamps (for Last-Modified / If-Modified-Since), the API-call counter, tokens and records.
Every refusal is an EmulatorError(error_code, message, status) the wire turns into Salesforce's
error array.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sfschema import ids
from sfschema.demo import demo_org_dir
from sfschema.describe.picklists import record_type_values
from sfschema.describe.snapshot import SnapshotDir
from sfschema.emulator.auth import TokenStore
from sfschema.emulator.clock import Clock
from sfschema.emulator.faults import Faults
from sfschema.emulator.formats import etag_for, parse_http_datetime, utc_now
from sfschema.emulator.http import not_found
from sfschema.emulator.picklists import master_picklist_values, picklists_for_user
from sfschema.emulator.records import RecordStore
from sfschema.emulator.settings import EmulatorSettings
from sfschema.emulator.users import DEFAULT_USERS, User, apply_object_access, describe_for_user
from sfschema.emulator.writes import Writer
from sfschema.errors import DescribeError, EmulatorError, SnapshotError
from sfschema.salesforce_errors import (
    REQUEST_LIMIT_EXCEEDED,
    REQUEST_LIMIT_MESSAGE,
    UNKNOWN_EXCEPTION,
)

DEFAULT_ORG_ID = ids.make_id("00D", 4242)


@dataclass(frozen=True)
class Versioned:
    """A metadata payload with its Last-Modified and ETag, as one user sees it."""

    payload: Any
    last_modified: datetime
    etag: str

    def not_modified(
        self, if_modified_since: datetime | None, if_none_match: Iterable[str] | None
    ) -> bool:
        """True when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
        if if_none_match is not None:
            tags = list(if_none_match)
            return "*" in tags or self.etag in tags or self.etag.strip('"') in tags
        return if_modified_since is not None and self.last_modified <= if_modified_since


class Org:
    """One emulated org driven by a snapshot directory (only ``sobjects/*.json`` is required)."""

    def __init__(
        self,
        snapshot_dir: str | os.PathLike[str],
        *,
        settings: EmulatorSettings | None = None,
        users: Iterable[User] = DEFAULT_USERS,
        org_id: str | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        faults: Faults | None = None,
    ) -> None:
        self.snapshot = SnapshotDir(snapshot_dir).require()
        self.settings = settings or EmulatorSettings()
        manifest = self.snapshot.read_manifest()
        chosen = org_id or (manifest.org_id if manifest else None) or derived_org_id(self.snapshot)
        self.org_id = ids.to18(chosen)
        self.tokens = TokenStore(ids.to15(self.org_id), users)
        self.clock = Clock()
        self.records = RecordStore(self.snapshot, Path(state_dir) if state_dir else None)
        self.faults = faults or Faults()
        self.writer = Writer(self)
        self.api_calls = 0
        self._names = {name.lower(): name for name in self.snapshot.object_names()}
        self._prefixes: dict[str, str] | None = None
        self._subsets: dict[tuple[str, str], dict[str, frozenset[str]] | None] = {}
        self._describes: dict[str, dict[str, Any]] = {}
        global_raw = self.snapshot.read_global()
        if global_raw is not None and not isinstance(global_raw, dict):
            raise SnapshotError(f"{self.snapshot.root / 'global.json'}: not a JSON object")
        self._global_raw: dict[str, Any] | None = global_raw
        # Metadata last changed when the manifest says so, else when the describe file changed:
        # stable across processes, so a client's If-Modified-Since works from one run to the next.
        self._modified: dict[str, datetime] = {}
        for name in self._names.values():
            entry = manifest.objects.get(name) if manifest else None
            when = parse_http_datetime(entry.last_modified) if entry else None
            self._modified[name] = when or _file_time(self.snapshot.object_path(name))
        global_when = parse_http_datetime(manifest.global_last_modified) if manifest else None
        self._global_modified = global_when or max(
            [*self._modified.values(), _file_time(self.snapshot.root / "global.json")]
        )

    # -- API usage -----------------------------------------------------------------------------

    def count_calls(self, calls: int = 1) -> None:
        """Spend API calls; refuse with REQUEST_LIMIT_EXCEEDED once the daily allowance is gone."""
        cap = self.settings.daily_api_max
        if self.faults.request_limit is not None:
            cap = min(cap, self.faults.request_limit)
        if self.api_calls + calls > cap:
            raise EmulatorError(REQUEST_LIMIT_EXCEEDED, REQUEST_LIMIT_MESSAGE, 403)
        self.api_calls += calls

    def limits(self) -> dict[str, dict[str, int]]:
        """The /limits body; DailyApiRequests agrees with the Sforce-Limit-Info header."""
        daily = self.settings.daily_api_max
        static = {
            "ConcurrentAsyncGetReportInstances": 200,
            "ConcurrentSyncReportRuns": 20,
            "DailyAsyncApexExecutions": 250000,
            "DailyBulkApiBatches": 15000,
            "DailyBulkV2QueryFileStorageMB": 976562,
            "DailyBulkV2QueryJobs": 10000,
            "DailyStreamingApiEvents": 10000,
            "DataStorageMB": 5,
            "FileStorageMB": 20,
            "HourlyTimeBasedWorkflow": 50,
            "MassEmail": 10,
            "SingleEmail": 15,
        }
        body = {"DailyApiRequests": {"Max": daily, "Remaining": max(daily - self.api_calls, 0)}}
        body.update({name: {"Max": cap, "Remaining": cap} for name, cap in static.items()})
        return dict(sorted(body.items()))

    # -- objects and describes -----------------------------------------------------------------

    @property
    def object_names(self) -> list[str]:
        """Every object of the snapshot, sorted."""
        return sorted(self._names.values())

    def resolve(self, user: User, name: str) -> str:
        """The described API name (case-insensitive); 404 NOT_FOUND if unknown or unreadable."""
        resolved = self._names.get(name.lower())
        if resolved is None or not user.access(resolved).read:
            raise not_found()
        return resolved

    @property
    def object_name_set(self) -> frozenset[str]:
        """Every object of the snapshot, lower-cased."""
        return frozenset(self._names)

    def resolve_name(self, name: str) -> str:
        """The described API name of an object of the snapshot (case-insensitive)."""
        resolved = self._names.get(name.lower())
        if resolved is None:
            raise not_found()
        return resolved

    def key_prefixes(self) -> dict[str, str]:
        """Key prefix → object, for the snapshot's objects and Salesforce's standard objects."""
        if self._prefixes is None:
            known = dict(ids.STANDARD_KEY_PREFIXES)
            for name in self.object_names:
                prefix = self.raw_describe(name).get("keyPrefix")
                if isinstance(prefix, str) and prefix:
                    known[prefix] = name
            self._prefixes = known
        return self._prefixes

    def record_type_subsets(
        self, name: str, record_type_id: str
    ) -> dict[str, frozenset[str]] | None:
        """Field → values of a record type (UI API picklist values in the snapshot), or None."""
        if not ids.is_valid(record_type_id):
            return None
        key = (name, ids.to18(record_type_id))
        if key not in self._subsets:
            subsets = None
            if key[1] in self.snapshot.picklist_record_types(name):
                payload = self.snapshot.read_picklists(name, key[1])
                try:
                    values = record_type_values(payload, f"picklists/{name}/{key[1]}.json")
                except DescribeError:
                    values = {}
                subsets = {field: frozenset(found) for field, found in values.items()}
            self._subsets[key] = subsets
        return self._subsets[key]

    def raw_describe(self, name: str) -> dict[str, Any]:
        """The stored describe payload (everything the snapshot holds, no user filter)."""
        resolved = self._names.get(name.lower())
        if resolved is None:
            raise not_found()
        if resolved not in self._describes:
            try:
                payload = self.snapshot.read_object(resolved)
            except SnapshotError as exc:
                raise EmulatorError(UNKNOWN_EXCEPTION, f"emulator snapshot: {exc}", 500) from exc
            if not isinstance(payload, dict) or not isinstance(payload.get("fields", []), list):
                raise EmulatorError(
                    UNKNOWN_EXCEPTION,
                    f"emulator snapshot: {self.snapshot.object_path(resolved)}: not a describe "
                    "(a JSON object with a 'fields' list)",
                    status=500,
                )
            self._describes[resolved] = payload
        return self._describes[resolved]

    def check(self) -> None:
        """Read every describe and seed file now; a broken one is a SnapshotError naming it.

        For start-up (``serve``): later requests would otherwise meet it as a 500.
        """
        for name in self.object_names:
            try:
                self.raw_describe(name)
            except EmulatorError as exc:
                raise SnapshotError(exc.message.removeprefix("emulator snapshot: ")) from exc
        for name in self.snapshot.record_objects():
            self.records.all(name)

    def record_counts(self, user: User, names: Iterable[str] | None) -> list[dict[str, Any]]:
        """``/limits/recordCount``: live (not deleted) rows per object the user can read.

        Unknown or unreadable names are left out, and so are objects without rows; without
        ``names`` every object of the org is counted (sorted by name).
        """
        wanted = self.object_names if names is None else list(names)
        counts = []
        for name in wanted:
            resolved = self._names.get(name.lower())
            if resolved is None or not user.access(resolved).read:
                continue
            count = len(self.records.all(resolved))
            if count:
                counts.append({"count": count, "name": resolved})
        return counts

    def last_modified(self, name: str) -> datetime:
        """When the object's metadata last changed (its describe's Last-Modified)."""
        return self._modified[self._names[name.lower()]]

    def describe(self, user: User, name: str) -> Versioned:
        """The sObject describe as this user sees it, with its metadata timestamp."""
        resolved = self.resolve(user, name)
        payload = describe_for_user(self.raw_describe(resolved), user)
        modified = self._modified[resolved]
        return Versioned(payload, modified, self._etag(payload, modified))

    def global_describe(self, user: User) -> Versioned:
        """The global describe: every object of the snapshot the user can read."""
        listed = self._global_raw.get("sobjects") if self._global_raw else None
        rows = {
            str(row.get("name")): row
            for row in (listed if isinstance(listed, list) else [])
            if isinstance(row, dict)
        }
        entries = []
        ordered = [name for name in rows if name.lower() in self._names]
        ordered += [name for name in self.object_names if name not in rows]
        for name in ordered:
            resolved = self._names[name.lower()]
            if not user.access(resolved).read:
                continue
            entry = dict(rows.get(resolved) or self._global_row(resolved))
            apply_object_access(entry, user.access(resolved))
            entries.append(entry)
        envelope = {
            "encoding": (self._global_raw or {}).get("encoding", "UTF-8"),
            "maxBatchSize": (self._global_raw or {}).get("maxBatchSize", 200),
            "sobjects": entries,
        }
        modified = max([self._global_modified, *self._modified.values()])
        return Versioned(envelope, modified, self._etag(envelope, modified))

    def basic_info(self, user: User, name: str) -> dict[str, Any]:
        """GET /sobjects/<Name>: the object's global row and (none) recently viewed records."""
        resolved = self.resolve(user, name)
        for row in self.global_describe(user).payload["sobjects"]:
            if row.get("name") == resolved:
                return {"objectDescribe": row, "recentItems": []}
        raise not_found()

    def picklist_values(
        self, user: User, name: str, record_type_id: str, version: int
    ) -> dict[str, Any]:
        """UI API picklist values of a record type (snapshot file, or describe for Master)."""
        shown = self.describe(user, name).payload
        resolved = shown["name"]
        rt_id = _normalise_id(record_type_id)
        if rt_id is None:
            raise not_found()
        if rt_id in self.snapshot.picklist_record_types(resolved):
            stored = self.snapshot.read_picklists(resolved, rt_id)
            return picklists_for_user(stored, shown)
        known = {
            _normalise_id(str(info.get("recordTypeId")))
            for info in shown.get("recordTypeInfos") or []
        }
        if rt_id == ids.MASTER_RECORD_TYPE_ID or rt_id in known:
            # No per-record-type file in the snapshot: the describe's master list.
            return master_picklist_values(shown, rt_id, f"{version}.0")
        raise not_found()

    def touch(self, name: str) -> datetime:
        """Record a metadata change on an object now (strictly later than the last one)."""
        resolved = self._names.get(name.lower())
        if resolved is None:
            raise not_found()
        changed = max(utc_now(), self._modified[resolved] + timedelta(seconds=1))
        self._modified[resolved] = changed
        self._global_modified = max(self._global_modified, changed)
        return changed

    # -- helpers -------------------------------------------------------------------------------

    def _global_row(self, name: str) -> dict[str, Any]:
        """A global row made from the describe when global.json does not list the object."""
        describe = self.raw_describe(name)
        keys = [
            "activateable",
            "associateEntityType",
            "associateParentEntity",
            "createable",
            "custom",
            "customSetting",
            "deepCloneable",
            "deletable",
            "deprecatedAndHidden",
            "feedEnabled",
            "hasSubtypes",
            "isInterface",
            "isSubtype",
            "keyPrefix",
            "label",
            "labelPlural",
            "layoutable",
            "mergeable",
            "mruEnabled",
            "name",
            "queryable",
            "replicateable",
            "retrieveable",
            "searchable",
            "triggerable",
            "undeletable",
            "updateable",
        ]
        row = {key: describe[key] for key in keys if key in describe}
        urls = describe.get("urls") or {}
        row["urls"] = {k: v for k, v in urls.items() if k in {"sobject", "describe", "rowTemplate"}}
        return row

    def _etag(self, payload: Any, modified: datetime) -> str:
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return etag_for(body, modified.isoformat())


def derived_org_id(snapshot: SnapshotDir) -> str:
    """The org id of a snapshot whose manifest names none: the demo org's fixed id, else an id
    made from a hash of the describes, so two emulated orgs never share an id (a describe cache
    keyed by org id would mix them) and one snapshot keeps its id from run to run."""
    if snapshot.root.resolve() == demo_org_dir().resolve():
        return DEFAULT_ORG_ID
    digest = int(snapshot.files_sha256(), 16)
    return ids.make_id("00D", digest % 62**11)


def _normalise_id(value: str) -> str | None:
    return ids.to18(value) if ids.is_valid(value) else None


def _file_time(path: Path) -> datetime:
    """A file's modification time in UTC, whole seconds (the Unix epoch when it is absent)."""
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = 0
    return datetime.fromtimestamp(int(stamp), UTC)
