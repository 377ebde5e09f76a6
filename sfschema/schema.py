"""OrgSchema: the one read-only view of an org's metadata that everything else asks.

>>> from sfschema.schema import OrgSchema
>>> schema = OrgSchema.demo()
>>> schema.field("Opportunity", "stagename").name
'StageName'
>>> schema.object_for_id("006000000000001AAA")
'Opportunity'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfschema import ids
from sfschema.demo import demo_org_dir
from sfschema.describe.models import (
    FieldDescribe,
    GlobalDescribe,
    RecordTypeInfo,
    SObjectDescribe,
    parse_global,
    parse_sobject,
)
from sfschema.describe.picklists import dependent_map, record_type_values
from sfschema.describe.snapshot import Manifest, SnapshotDir
from sfschema.errors import DescribeError
from sfschema.suggest import did_you_mean

if TYPE_CHECKING:  # the cache pulls in HTTP; schema users need not
    from sfschema.describe.cache import DescribeCache


class OrgSchema:
    """Describes of one org as seen by one user, parsed lazily and cached per object."""

    def __init__(
        self,
        sobjects: Mapping[str, Any],
        global_describe: Any | None = None,
        record_type_picklists: Mapping[str, Mapping[str, Any]] | None = None,
        manifest: Manifest | None = None,
        source: str = "schema",
    ) -> None:
        self._raw: Mapping[str, Any] = (
            sobjects if isinstance(sobjects, _LazyObjects) else dict(sobjects)
        )
        self._by_lower = {name.lower(): name for name in self._raw}
        self._parsed: dict[str, SObjectDescribe] = {}
        self._global_raw = global_describe
        self._rt_raw = {name: dict(rts) for name, rts in (record_type_picklists or {}).items()}
        self.manifest = manifest
        self.source = source

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def from_snapshot(cls, root: str | os.PathLike[str]) -> OrgSchema:
        """Load a snapshot directory (a folder with only ``sobjects/*.json`` is enough)."""
        snapshot = SnapshotDir(root).require()
        return cls(
            sobjects=_LazyObjects(snapshot),
            global_describe=snapshot.read_global(),
            record_type_picklists={
                name: {rt: _LazyPicklists(snapshot, name, rt) for rt in rts}
                for name in snapshot.object_names()
                if (rts := snapshot.picklist_record_types(name))
            },
            manifest=snapshot.read_manifest(),
            source=str(Path(root)),
        )

    @classmethod
    def from_cache(cls, cache: DescribeCache, objects: Sequence[str] | None = None) -> OrgSchema:
        """The schema of a describe cache's snapshot, after syncing ``objects`` (None: all)."""
        cache.sync(objects)
        return cls.from_snapshot(cache.store.root)

    @classmethod
    def demo(cls) -> OrgSchema:
        """The built-in demo org's schema."""
        return cls.from_snapshot(demo_org_dir())

    # -- objects -------------------------------------------------------------------------------

    @property
    def object_names(self) -> list[str]:
        return sorted(self._raw)

    def resolve_name(self, name: str) -> str | None:
        """The API name as described, found case-insensitively; None when not in the schema."""
        return self._by_lower.get(name.lower())

    def has_object(self, name: str) -> bool:
        return self.resolve_name(name) is not None

    def find(self, name: str) -> SObjectDescribe | None:
        resolved = self.resolve_name(name)
        if resolved is None:
            return None
        parsed = self._parsed.get(resolved)
        if parsed is None:
            raw = self._raw[resolved]
            parsed = parse_sobject(raw, f"{self.source}: {resolved}")
            self._parsed[resolved] = parsed
        return parsed

    def sobject(self, name: str) -> SObjectDescribe:
        """The describe of an object; an unknown name is a DescribeError with close matches."""
        found = self.find(name)
        if found is None:
            raise DescribeError(
                f"sObject type '{name}' is not in {self.source}"
                + did_you_mean(name, self.object_names)
            )
        return found

    def raw(self, name: str) -> Any:
        """The raw describe payload of an object."""
        return self._raw[self.sobject(name).name]

    def release(self, name: str) -> None:
        """Forget the parsed describe of an object (and, for a snapshot, its raw payload): it is
        read again on next use. Code generation walks an org object by object with it, so its
        memory is that of one object, not of the org."""
        resolved = self.resolve_name(name)
        if resolved is None:
            return
        self._parsed.pop(resolved, None)
        if isinstance(self._raw, _LazyObjects):
            self._raw.release(resolved)

    # -- fields --------------------------------------------------------------------------------

    def field(self, object_name: str, field_name: str) -> FieldDescribe | None:
        return self.sobject(object_name).field(field_name)

    def require_field(self, object_name: str, field_name: str) -> FieldDescribe:
        sobject = self.sobject(object_name)
        found = sobject.field(field_name)
        if found is None:
            raise DescribeError(
                f"No such column '{field_name}' on sobject of type {sobject.name}"
                + did_you_mean(field_name, [f.name for f in sobject.fields])
            )
        return found

    def parent_relationship(self, object_name: str, relationship: str) -> FieldDescribe | None:
        """The reference field whose relationshipName is ``relationship`` (case-insensitive)."""
        lowered = relationship.lower()
        for candidate in self.sobject(object_name).fields:
            if candidate.relationshipName and candidate.relationshipName.lower() == lowered:
                return candidate
        return None

    def child_relationship(self, object_name: str, relationship: str) -> str | None:
        """The child object of a parent-to-child relationship name (case-insensitive)."""
        lowered = relationship.lower()
        for child in self.sobject(object_name).childRelationships:
            if child.relationshipName and child.relationshipName.lower() == lowered:
                return child.childSObject
        return None

    # -- ids and key prefixes ------------------------------------------------------------------

    @cached_property
    def global_describe(self) -> GlobalDescribe | None:
        if self._global_raw is None:
            return None
        return parse_global(self._global_raw, f"{self.source}: global.json")

    @cached_property
    def key_prefixes(self) -> dict[str, str | None]:
        """Object → key prefix: standard objects' fixed prefixes, then the global describe and
        the object describes (which win)."""
        prefixes: dict[str, str | None] = {
            name: prefix for prefix, name in ids.STANDARD_KEY_PREFIXES.items()
        }
        if self.global_describe is not None:
            for row in self.global_describe.sobjects:
                if row.keyPrefix or row.name not in prefixes:
                    prefixes[row.name] = row.keyPrefix
        for name in self.object_names:
            if prefixes.get(name) is None:
                raw = self._raw[name]
                prefixes[name] = raw.get("keyPrefix") if isinstance(raw, dict) else None
        return prefixes

    def object_for_id(self, record_id: str) -> str | None:
        """The object an id belongs to by key prefix (first match when a prefix is shared)."""
        matches = ids.object_for_id(record_id, self.key_prefixes)
        return matches[0] if matches else None

    def prefixes_for(self, objects: Iterable[str]) -> frozenset[str]:
        return ids.prefixes_for(objects, self.key_prefixes)

    # -- record types and picklists ------------------------------------------------------------

    def record_types(self, object_name: str) -> tuple[RecordTypeInfo, ...]:
        return self.sobject(object_name).recordTypeInfos

    def record_type_id(self, object_name: str, name_or_id: str) -> str:
        """Resolve a record type by id (15 or 18), name or developer name."""
        infos = self.record_types(object_name)
        for info in infos:
            if name_or_id in (info.name, info.developerName) or (
                ids.is_valid(name_or_id) and ids.same_id(name_or_id, info.recordTypeId)
            ):
                return info.recordTypeId
        known = [info.developerName or info.name for info in infos]
        raise DescribeError(
            f"{object_name} has no record type {name_or_id!r}"
            + (did_you_mean(name_or_id, known) or f" (known: {', '.join(known) or 'none'})")
        )

    def record_type_picklists(self, object_name: str) -> dict[str, dict[str, list[str]]]:
        """Record type id → field → values assigned to that record type (UI API data)."""
        name = self.sobject(object_name).name
        result: dict[str, dict[str, list[str]]] = {}
        for rt_id, payload in sorted(self._rt_raw.get(name, {}).items()):
            data = payload.load() if isinstance(payload, _LazyPicklists) else payload
            result[rt_id] = record_type_values(data, f"{self.source}: picklists/{name}/{rt_id}")
        return result

    def picklist_values(
        self, object_name: str, field_name: str, record_type_id: str | None = None
    ) -> list[str]:
        """Active values of a picklist; the record type's subset when one is given and known."""
        described = self.require_field(object_name, field_name)
        if record_type_id is not None:
            by_rt = self.record_type_picklists(object_name)
            for rt_id, fields in by_rt.items():
                if ids.same_id(rt_id, record_type_id) and described.name in fields:
                    return fields[described.name]
        return list(described.active_values)

    def dependent_values(self, object_name: str, field_name: str) -> dict[str, list[str]]:
        """Controller value → allowed values of a dependent picklist ({} when not dependent)."""
        sobject = self.sobject(object_name)
        return dependent_map(sobject, self.require_field(object_name, field_name))


class _LazyObjects(dict[str, Any]):
    """Object name → raw describe, read from disk on first access."""

    def __init__(self, snapshot: SnapshotDir) -> None:
        super().__init__({name: None for name in snapshot.object_names()})
        self._snapshot = snapshot

    def __getitem__(self, name: str) -> Any:
        value = super().__getitem__(name)
        if value is None:
            value = self._snapshot.read_object(name)
            super().__setitem__(name, value)
        return value

    def release(self, name: str) -> None:
        super().__setitem__(name, None)


class _LazyPicklists:
    def __init__(self, snapshot: SnapshotDir, name: str, record_type_id: str) -> None:
        self._snapshot, self._name, self._rt = snapshot, name, record_type_id

    def load(self) -> Any:
        return self._snapshot.read_picklists(self._name, self._rt)
