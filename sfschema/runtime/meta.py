"""Compact per-object metadata for validation, emitted into generated code.

An ``ObjectMeta`` holds everything the pre-flight validator needs beyond the pydantic models:
labels for messages, writability per operation, picklist values (for suggestions), record-type
subsets and dependent-picklist maps. Its ``repr()`` is valid Python, so codegen writes it into the
generated modules and both validation paths see the very same data. Codegen builds it from a
schema (``codegen.meta.object_meta``); generated code imports it from here, beside the markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldMeta:
    name: str
    label: str
    type: str
    length: int = 0
    precision: int = 0
    scale: int = 0
    digits: int = 0
    nillable: bool = True
    createable: bool = False
    updateable: bool = False
    required_on_create: bool = False
    calculated: bool = False
    auto_number: bool = False
    restricted: bool = False
    values: tuple[str, ...] = ()
    reference_to: tuple[str, ...] = ()
    reference_prefixes: tuple[str, ...] = ()
    controller: str | None = None
    dependent: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: a reference's relationship name (``Account``, ``Parent__r``): set by external id as
    #: ``{"Parent__r": {"Key__c": "X-1"}}``
    relationship: str | None = None
    #: the reference's targets whose describe is known, and their external id (or idLookup)
    #: fields as (object, field, field type)
    lookup_targets: tuple[str, ...] = ()
    lookup_keys: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class RecordTypeMeta:
    id: str
    name: str
    developer_name: str
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class ObjectMeta:
    name: str
    label: str
    key_prefix: str | None
    fields: tuple[FieldMeta, ...]
    record_types: tuple[RecordTypeMeta, ...] = ()
    #: the object-level permissions of the user the describe is for
    createable: bool = True
    updateable: bool = True
    _by_lower: dict[str, FieldMeta] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._by_lower.update({f.name.lower(): f for f in self.fields})

    def field(self, name: str) -> FieldMeta | None:
        """A field by API name, case-insensitively."""
        return self._by_lower.get(name.lower())

    def relationship(self, name: str) -> FieldMeta | None:
        """The reference field whose relationship name is ``name``, case-insensitively."""
        lowered = name.lower()
        for described in self.fields:
            if described.relationship is not None and described.relationship.lower() == lowered:
                return described
        return None
