"""UI API picklist-values payloads (User Interface API Developer Guide: "Get Values for All
Picklist Fields of a Record Type", "Picklist Values"): per record type, validFor as index lists.

Which values are active and how a controller's values are indexed are decided once, in
``sfschema.describe`` (``FieldDescribe.active_entries``, ``describe.picklists``); this module only
lays them out in the UI API shape.
"""

from __future__ import annotations

from typing import Any

from sfschema.describe.models import FieldDescribe, PicklistEntry, SObjectDescribe, parse_sobject
from sfschema.describe.picklists import controller_index, decode_valid_for
from sfschema.emulator.formats import etag_for

PICKLIST_TYPES = frozenset({"picklist", "multipicklist"})


def _ui_value(entry: PicklistEntry, valid_for: list[int]) -> dict[str, Any]:
    return {
        "attributes": None,
        "label": entry.label or entry.value,
        "validFor": valid_for,
        "value": entry.value,
    }


def field_values(
    sobject: SObjectDescribe, field: FieldDescribe, record_type_id: str, version: str
) -> dict[str, Any]:
    """One field's UI API Picklist Values object, from the describe's master list."""
    dependent = field.dependentPicklist
    # A controller hidden by FLS is left out of controllerValues; validFor indexes stay.
    controller = sobject.field(field.controllerName) if dependent and field.controllerName else None
    active = field.active_entries
    values = [
        _ui_value(entry, decode_valid_for(entry.validFor) if dependent and entry.validFor else [])
        for entry in active
    ]
    default = next(
        (value for value, entry in zip(values, active, strict=True) if entry.defaultValue), None
    )
    url = (
        f"/services/data/v{version}/ui-api/object-info/{sobject.name}"
        f"/picklist-values/{record_type_id}/{field.name}"
    )
    body: dict[str, Any] = {
        "controllerValues": controller_index(controller) if controller is not None else {},
        "defaultValue": default,
        "url": url,
        "values": values,
    }
    body["eTag"] = etag_for(repr(sorted(body.items())))
    return dict(sorted(body.items()))


def master_picklist_values(
    describe: dict[str, Any], record_type_id: str, version: str
) -> dict[str, Any]:
    """All picklist fields of a (user-filtered) describe in the UI API collection shape."""
    sobject = parse_sobject(describe, f"describe of {describe.get('name')}")
    by_field = {
        field.name: field_values(sobject, field, record_type_id, version)
        for field in sobject.fields
        if field.type in PICKLIST_TYPES
    }
    ordered = dict(sorted(by_field.items()))
    return {"eTag": etag_for(repr(ordered)), "picklistFieldValues": ordered}


def picklists_for_user(stored: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
    """A stored UI API payload without fields (or controllers) this user cannot see."""
    visible = {raw["name"] for raw in shown.get("fields") or []}
    fields = stored.get("picklistFieldValues") or {}
    if all(name in visible for name in fields):
        return stored
    kept = {}
    for name, spec in fields.items():
        if name not in visible:
            continue
        controller = next(
            (raw.get("controllerName") for raw in shown["fields"] if raw["name"] == name), None
        )
        if controller and controller not in visible:
            spec = {**spec, "controllerValues": {}}
        kept[name] = spec
    return {**stored, "picklistFieldValues": kept}
