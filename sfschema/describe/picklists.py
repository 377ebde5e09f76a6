"""Dependent picklists (``validFor`` bitsets) and record-type picklist subsets."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from sfschema.describe.models import FieldDescribe, SObjectDescribe
from sfschema.errors import DescribeError


def decode_valid_for(valid_for: str) -> list[int]:
    """Controller indexes a dependent value is valid for (bit k, most significant bit first).

    >>> decode_valid_for("gAAA"), decode_valid_for("oAAA"), decode_valid_for("AEAA")
    ([0], [0, 2], [9])
    """
    try:
        raw = base64.b64decode(valid_for, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DescribeError(f"validFor {valid_for!r} is not base64") from exc
    return [k for k in range(len(raw) * 8) if raw[k >> 3] & (0x80 >> (k & 7))]


def encode_valid_for(indexes: Sequence[int], controller_size: int) -> str:
    """The base64 bitset Salesforce sends (padded to a multiple of 3 bytes, as observed).

    >>> encode_valid_for([9], 10)
    'AEAA'
    """
    size = max(3, -(-max(controller_size, 1) // 8))
    size += -size % 3
    raw = bytearray(size)
    for k in indexes:
        raw[k >> 3] |= 0x80 >> (k & 7)
    return base64.b64encode(bytes(raw)).decode("ascii")


def controller_values(controller: FieldDescribe) -> list[str]:
    """Controller values by bit index: picklist values, or false/true for checkboxes.

    The index counts every entry describe lists, inactive ones too (Salesforce does not say
    otherwise; the UI API's ``controllerValues`` maps each value to this index).
    """
    if controller.type == "boolean":
        return ["false", "true"]
    return [entry.value for entry in controller.picklistValues]


def controller_index(controller: FieldDescribe) -> dict[str, int]:
    """Controller value → bit index, the UI API's ``controllerValues``.

    >>> from sfschema.describe.models import FieldDescribe
    >>> controller_index(FieldDescribe(name="Done__c", type="boolean"))
    {'false': 0, 'true': 1}
    """
    return {value: index for index, value in enumerate(controller_values(controller))}


def dependent_map(sobject: SObjectDescribe, field: FieldDescribe) -> dict[str, list[str]]:
    """For a dependent picklist: controller value → dependent values allowed with it."""
    if not field.dependentPicklist or not field.controllerName:
        return {}
    controller = sobject.field(field.controllerName)
    if controller is None:
        # The controlling field is hidden from this user (FLS): nothing can be checked.
        return {}
    by_index = controller_values(controller)
    allowed: dict[str, list[str]] = {value: [] for value in by_index}
    for entry in field.active_entries:
        if not entry.validFor:
            continue
        for index in decode_valid_for(entry.validFor):
            if index < len(by_index):
                allowed[by_index[index]].append(entry.value)
    return allowed


def record_type_values(payload: Any, source: str) -> dict[str, list[str]]:
    """Field → allowed values from a UI API picklist-values payload for one record type."""
    fields = payload.get("picklistFieldValues") if isinstance(payload, dict) else None
    if not isinstance(fields, dict):
        raise DescribeError(f"{source}: no picklistFieldValues object in the UI API payload")
    result: dict[str, list[str]] = {}
    for name, spec in sorted(fields.items()):
        values = spec.get("values") if isinstance(spec, dict) else None
        if not isinstance(values, list):
            raise DescribeError(f"{source}: picklist {name} has no values list")
        for index, item in enumerate(values):
            if not isinstance(item, dict) or not isinstance(item.get("value"), str):
                raise DescribeError(
                    f"{source}: picklist {name} value #{index} has no string 'value': {item!r}"
                )
        result[name] = [item["value"] for item in values]
    return result
