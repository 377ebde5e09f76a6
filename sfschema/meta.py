"""Compact per-object metadata for validation, built from a schema or emitted into generated code.

An ``ObjectMeta`` holds everything the pre-flight validator needs beyond the pydantic models:
labels for messages, writability per operation, picklist values (for suggestions), record-type
subsets and dependent-picklist maps. Its ``repr()`` is valid Python, so codegen writes it into the
generated modules and both validation paths see the very same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # generated modules import this module: keep it light
    from sfschema.schema import OrgSchema


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
    _by_lower: dict[str, FieldMeta] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._by_lower.update({f.name.lower(): f for f in self.fields})

    def field(self, name: str) -> FieldMeta | None:
        """A field by API name, case-insensitively."""
        return self._by_lower.get(name.lower())


def object_meta(schema: OrgSchema, object_name: str) -> ObjectMeta:
    """Build the ObjectMeta of one object (deterministic: describe order, sorted record types)."""
    sobject = schema.sobject(object_name)
    fields = []
    for described in sobject.fields:
        dependent = (
            schema.dependent_values(sobject.name, described.name)
            if described.dependentPicklist
            else {}
        )
        targets = tuple(described.referenceTo)
        fields.append(
            FieldMeta(
                name=described.name,
                label=described.label or described.name,
                type=described.type,
                length=described.length,
                precision=described.precision,
                scale=described.scale,
                digits=described.digits,
                nillable=described.nillable,
                createable=described.createable,
                updateable=described.updateable,
                required_on_create=described.required_on_create,
                calculated=described.calculated,
                auto_number=described.autoNumber,
                restricted=described.restrictedPicklist,
                values=described.active_values,
                reference_to=targets,
                reference_prefixes=tuple(sorted(schema.prefixes_for(targets))),
                controller=described.controllerName if described.dependentPicklist else None,
                dependent=tuple((key, tuple(vals)) for key, vals in dependent.items()),
            )
        )
    rt_values = schema.record_type_picklists(sobject.name)
    record_types = tuple(
        RecordTypeMeta(
            id=info.recordTypeId,
            name=info.name,
            developer_name=info.developerName or info.name,
            values=tuple(
                (name, tuple(values))
                for name, values in sorted(rt_values.get(info.recordTypeId, {}).items())
            ),
        )
        for info in sorted(sobject.recordTypeInfos, key=lambda rt: rt.recordTypeId)
    )
    return ObjectMeta(
        name=sobject.name,
        label=sobject.label or sobject.name,
        key_prefix=sobject.keyPrefix,
        fields=tuple(fields),
        record_types=record_types,
    )
