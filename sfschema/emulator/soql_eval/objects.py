"""What a query sees: the objects and fields of the calling user, and the records behind paths.

Objects and fields come from ``org.describe(user, name).payload``, the describe with the user's
object permissions and field-level security applied, so a field the user cannot see is absent
(INVALID_FIELD, as Salesforce answers). Names resolve case-insensitively and come out in the
describe's casing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sfschema import ids
from sfschema import salesforce_errors as sfe
from sfschema.emulator.org import Org
from sfschema.emulator.soql_eval.values import comparable, kind_of
from sfschema.emulator.users import User
from sfschema.errors import EmulatorError
from sfschema.soql.resolve import MAX_PARENT_LEVELS, NAME_OBJECT_FIELDS

MAX_CACHED_PARENTS = 100_000  # parent records kept per query (a query reads a bounded store)


class ObjectView:
    """One object's describe as the user sees it, indexed by lower-case names."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self.name = str(payload["name"])
        self.fields: list[dict[str, Any]] = list(payload.get("fields") or [])
        self.by_lower = {str(f["name"]).lower(): f for f in self.fields}
        self.relationships = {
            str(f["relationshipName"]).lower(): f for f in self.fields if f.get("relationshipName")
        }
        self.children = {
            str(c["relationshipName"]).lower(): c
            for c in payload.get("childRelationships") or []
            if c.get("relationshipName")
        }
        self.key_prefix = payload.get("keyPrefix")

    def field(self, name: str) -> dict[str, Any] | None:
        return self.by_lower.get(name.lower())


@dataclass(frozen=True)
class Hop:
    """One parent relationship on a path: the reference field and the objects it may reach."""

    reference: dict[str, Any]
    targets: tuple[str, ...]

    @property
    def name(self) -> str:
        return str(self.reference["relationshipName"])

    @property
    def polymorphic(self) -> bool:
        return len(self.targets) != 1


@dataclass(frozen=True)
class FieldPath:
    """A resolved field path: the hops from the queried object and the field at the end."""

    hops: tuple[Hop, ...]
    leaf: dict[str, Any]

    @property
    def kind(self) -> str:
        return kind_of(str(self.leaf.get("type")))

    @property
    def field_type(self) -> str:
        return str(self.leaf.get("type"))


@dataclass
class Context:
    """One query request: who asks, the text (for error positions), the clock and settings."""

    org: Org
    user: User
    text: str
    include_deleted: bool
    version: int
    now: datetime = field(init=False)
    tz: tzinfo = field(init=False)
    _objects: dict[str, ObjectView] = field(default_factory=dict, init=False)
    _prefixes: dict[str, str] | None = field(default=None, init=False)
    _names: dict[str, str] = field(default_factory=dict, init=False)
    _parents: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._names = {name.lower(): name for name in self.org.object_names}
        self.now = self.org.clock.now()
        try:
            self.tz = ZoneInfo(self.org.settings.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise EmulatorError(
                sfe.UNKNOWN_EXCEPTION,
                f"emulator setting time_zone={self.org.settings.time_zone!r} is not an IANA "
                "time zone (e.g. 'Europe/Paris')",
                500,
            ) from exc

    @property
    def fiscal_start(self) -> int:
        return self.org.settings.fiscal_year_start_month

    # -- errors --------------------------------------------------------------------------------

    def error(self, code: str, pos: int | None, message: str) -> EmulatorError:
        return EmulatorError(code, sfe.query_error(self.text, pos, message), 400)

    def unsupported(self, pos: int | None, construct: str) -> EmulatorError:
        """What the evaluator does not implement: MALFORMED_QUERY naming it, never ignored."""
        return self.error(
            sfe.MALFORMED_QUERY,
            pos,
            f"The sfschema emulator does not evaluate {construct}; remove it or test this query "
            "against a real org",
        )

    # -- objects -------------------------------------------------------------------------------

    def obj(self, name: str, pos: int | None = None) -> ObjectView:
        """The object as the user sees it; INVALID_TYPE when unknown or not readable."""
        key = name.lower()
        found = self._objects.get(key)
        if found is None:
            try:
                payload = self.org.describe(self.user, name).payload
            except EmulatorError as exc:
                if exc.status != 404:
                    raise
                raise self.error(sfe.INVALID_TYPE, pos, sfe.sobject_not_supported(name)) from None
            found = self._objects[key] = ObjectView(payload)
        return found

    def viewed(self) -> list[ObjectView]:
        """The objects this query has looked at so far."""
        return list(self._objects.values())

    def has_object(self, name: str) -> bool:
        try:
            self.obj(name)
        except EmulatorError:
            return False
        return True

    def object_for_id(self, record_id: Any) -> str | None:
        """The snapshot's object whose key prefix starts ``record_id`` (None: no such object)."""
        if not isinstance(record_id, str) or not ids.is_valid(record_id):
            return None
        if self._prefixes is None:
            self._prefixes = {}
            for name in self._names.values():
                prefix = self.org.raw_describe(name).get("keyPrefix")
                if isinstance(prefix, str):
                    self._prefixes.setdefault(prefix, name)
        return self._prefixes.get(record_id[:3])

    def record(self, object_name: str, record_id: Any) -> dict[str, Any] | None:
        """The record a reference points to (deleted ones only for queryAll), read once per
        query: a query answers the rows as they are when it runs."""
        if not isinstance(record_id, str):
            return None
        key = (object_name.lower(), record_id)
        if key in self._parents:
            return self._parents[key]
        found = self.org.records.get(object_name, record_id)
        if found is not None and found.get("IsDeleted") and not self.include_deleted:
            found = None
        if len(self._parents) < MAX_CACHED_PARENTS:
            self._parents[key] = found
        return found

    # -- paths ---------------------------------------------------------------------------------

    def resolve(
        self, obj: ObjectView, path: tuple[str, ...], alias: str | None, pos: int | None
    ) -> FieldPath:
        """A field path on ``obj``: INVALID_FIELD for an unknown relationship or column."""
        parts = list(path)
        if len(parts) > 1:
            head = parts[0].lower()
            if (alias is not None and head == alias.lower()) or (
                head == obj.name.lower() and head not in obj.relationships
            ):
                parts = parts[1:]
        if len(parts) - 1 > MAX_PARENT_LEVELS:
            raise self.error(
                sfe.MALFORMED_QUERY,
                pos,
                f"{'.'.join(path)}: SOQL follows at most {MAX_PARENT_LEVELS} levels of parent "
                "relationships",
            )
        hops: list[Hop] = []
        current = obj
        for index, part in enumerate(parts[:-1]):
            reference = current.relationships.get(part.lower())
            if reference is None:
                raise self.error(sfe.INVALID_FIELD, pos, sfe.relationship_not_understood(part))
            hop = Hop(reference, tuple(reference.get("referenceTo") or ()))
            hops.append(hop)
            rest = parts[index + 1 :]
            if hop.polymorphic:
                return FieldPath(tuple(hops), self._name_field(hop, rest, pos))
            current = self._target(hop, pos)
        leaf = current.field(parts[-1])
        if leaf is None:
            raise self.error(
                sfe.INVALID_FIELD, pos, sfe.no_such_column_on_entity(parts[-1], current.name)
            )
        return FieldPath(tuple(hops), leaf)

    def _target(self, hop: Hop, pos: int | None) -> ObjectView:
        target = hop.targets[0] if hop.targets else "?"
        if not self.org_has(target):
            raise self.unsupported(
                pos, f"the relationship {hop.name}: {target} is not in the org's snapshot"
            )
        return self.obj(target, pos)

    def org_has(self, name: str) -> bool:
        """Whether the org's snapshot describes the object (whatever the user may read)."""
        return name.lower() in self._names

    def _name_field(self, hop: Hop, rest: list[str], pos: int | None) -> dict[str, Any]:
        by_lower = {name.lower(): name for name in NAME_OBJECT_FIELDS}
        if len(rest) != 1 or rest[0].lower() not in by_lower:
            raise self.error(
                sfe.INVALID_FIELD,
                pos,
                sfe.no_such_column_on_entity(rest[0], "Name")
                if len(rest) == 1
                else sfe.relationship_not_understood(rest[0]),
            )
        name = by_lower[rest[0].lower()]
        return {"name": name, "type": NAME_OBJECT_FIELDS[name]}

    # -- values ----------------------------------------------------------------------------------

    def follow(self, record: dict[str, Any], hop: Hop) -> tuple[str, dict[str, Any]] | None:
        """The parent record a hop reaches from ``record`` (its object name too), or None.

        A polymorphic reference to an object the snapshot does not describe (a User owner when
        the snapshot has no User) cannot be answered: MALFORMED_QUERY saying so, never a null
        that Salesforce would not send.
        """
        target_id = record.get(str(hop.reference["name"]))
        if target_id is None:
            return None
        target = hop.targets[0] if not hop.polymorphic else self.object_for_id(target_id)
        if target is None or not self.org_has(target):
            raise self.unsupported(
                None,
                f"the relationship {hop.name} to {target_id}: its object is not in the org's "
                "snapshot",
            )
        if not self.user.access(target).read:
            return None
        parent = self.record(target, target_id)
        return None if parent is None else (self.org_name(target), parent)

    def org_name(self, name: str) -> str:
        return self._names[name.lower()]

    def raw_value(self, record: dict[str, Any], path: FieldPath) -> Any:
        """The stored value at the end of a path (None through an empty lookup)."""
        current: dict[str, Any] | None = record
        object_name: str | None = None
        for hop in path.hops:
            assert current is not None
            found = self.follow(current, hop)
            if found is None:
                return None
            object_name, current = found
        assert current is not None
        name = str(path.leaf["name"])
        if path.hops and path.hops[-1].polymorphic and object_name is not None:
            return self.name_object_value(object_name, current, name)
        return stored(current, name)

    def name_object_value(self, object_name: str, record: dict[str, Any], name: str) -> Any:
        """A field of Salesforce's Name object for a record of ``object_name``: Type is the
        object, Name the object's name field (CaseNumber for a Case), others as stored."""
        if name == "Type":
            return object_name
        if name == "Name":
            name_field = next(
                (f["name"] for f in self.obj(object_name).fields if f.get("nameField")), "Name"
            )
            return stored(record, str(name_field))
        return stored(record, name)

    def value(self, record: dict[str, Any], path: FieldPath) -> Any:
        return comparable(path.kind, self.raw_value(record, path))


def stored(record: dict[str, Any], name: str) -> Any:
    """A field of a stored record; a person's Name is made from its parts when not stored."""
    if name in record:
        return record[name]
    if name == "Name" and ("LastName" in record or "FirstName" in record):
        parts = [record.get("FirstName"), record.get("MiddleName"), record.get("LastName")]
        return " ".join(str(p) for p in parts if p) or None
    return None
