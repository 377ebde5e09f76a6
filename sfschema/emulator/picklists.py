"""UI API picklist-values payloads (facts §3): per record type, validFor as index lists."""

from __future__ import annotations

from typing import Any

from sfschema.describe.picklists import decode_valid_for
from sfschema.emulator.formats import etag_for

PICKLIST_TYPES = frozenset({"picklist", "multipicklist"})


def _ui_value(entry: dict[str, Any], valid_for: list[int]) -> dict[str, Any]:
    return {
        "attributes": None,
        "label": entry.get("label") or entry["value"],
        "validFor": valid_for,
        "value": entry["value"],
    }


def controller_values(controller: dict[str, Any] | None) -> dict[str, int]:
    """Controller value → index (checkbox controllers: false = 0, true = 1)."""
    if controller is None:
        return {}
    if controller.get("type") == "boolean":
        return {"false": 0, "true": 1}
    return {entry["value"]: index for index, entry in enumerate(controller["picklistValues"])}


def field_values(
    describe: dict[str, Any], field: dict[str, Any], record_type_id: str, version: str
) -> dict[str, Any]:
    """One field's UI API Picklist Values object, from the describe's master list."""
    fields = {raw["name"]: raw for raw in describe.get("fields") or []}
    controller = fields.get(field.get("controllerName") or "")
    # A controller hidden by FLS is left out of controllerValues; validFor indexes stay.
    dependent = bool(field.get("dependentPicklist"))
    values = [
        _ui_value(
            entry,
            decode_valid_for(entry["validFor"]) if dependent and entry.get("validFor") else [],
        )
        for entry in field.get("picklistValues") or []
        if entry.get("active", True)
    ]
    default = next(
        (
            value
            for value, entry in zip(
                values, [e for e in field["picklistValues"] if e.get("active", True)], strict=True
            )
            if entry.get("defaultValue")
        ),
        None,
    )
    url = (
        f"/services/data/v{version}/ui-api/object-info/{describe['name']}"
        f"/picklist-values/{record_type_id}/{field['name']}"
    )
    body: dict[str, Any] = {
        "controllerValues": controller_values(controller) if dependent and controller else {},
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
    by_field = {
        raw["name"]: field_values(describe, raw, record_type_id, version)
        for raw in describe.get("fields") or []
        if raw.get("type") in PICKLIST_TYPES
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
