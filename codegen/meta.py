"""The ``ObjectMeta`` of an object, planned from a schema (rendered into every generated module)."""

from __future__ import annotations

from sfschema.errors import DescribeError
from sfschema.runtime.meta import FieldMeta, ObjectMeta, RecordTypeMeta
from sfschema.schema import OrgSchema


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
        lookup_targets, lookup_keys = (
            _lookups(schema, sobject.name, targets) if described.type == "reference" else ((), ())
        )
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
                relationship=described.relationshipName if described.type == "reference" else None,
                lookup_targets=lookup_targets,
                lookup_keys=lookup_keys,
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
        createable=sobject.createable,
        updateable=sobject.updateable,
    )


def _lookups(
    schema: OrgSchema, owner: str, targets: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """The targets whose describe is in ``schema``, and their fields a relationship may be set by:
    external id or idLookup fields, not the record id (Salesforce answers "Id is not an External
    ID or indexed field" for it). A target whose describe is missing or unreadable is left out
    (the validator then says its key is unchecked); each target read is released again, so that
    generating an org object by object holds one object at a time."""
    known: list[str] = []
    keys: list[tuple[str, str, str]] = []
    for target in targets:
        try:
            found = schema.find(target)
        except DescribeError:
            found = None
        if found is None:
            continue
        known.append(found.name)
        keys += [
            (found.name, field.name, field.type)
            for field in found.fields
            if (field.externalId or field.idLookup) and field.type != "id"
        ]
        if found.name != owner:
            schema.release(found.name)
    return tuple(known), tuple(keys)
