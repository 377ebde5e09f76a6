"""Authored parts of the demo org: Task, Invoice__c, record types, UI API picklists, records."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

VERSION = "59.0"
HOST = "https://demo.my.salesforce.com"


@dataclass
class Built:
    sobjects: dict[str, dict[str, Any]]
    global_describe: dict[str, Any]
    picklists: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


GLOBAL_KEYS = (
    "activateable", "associateEntityType", "associateParentEntity", "createable", "custom",
    "customSetting", "deepCloneable", "deletable", "deprecatedAndHidden", "feedEnabled",
    "hasSubtypes", "isInterface", "isSubtype", "keyPrefix", "label", "labelPlural", "layoutable",
    "mergeable", "mruEnabled", "name", "queryable", "replicateable", "retrieveable", "searchable",
    "triggerable", "undeletable", "updateable",
)  # fmt: skip
GLOBAL_URL_KEYS = (
    "compactLayouts", "rowTemplate", "approvalLayouts", "listviews", "describe", "quickActions",
    "layouts", "sobject",
)  # fmt: skip


def global_entry(describe: dict[str, Any]) -> dict[str, Any]:
    """A global-describe row for an object, made from its describe (same keys as real rows)."""
    entry = {key: describe.get(key) for key in GLOBAL_KEYS}
    entry["urls"] = {k: v for k, v in describe["urls"].items() if k in GLOBAL_URL_KEYS}
    return entry


def build_global(
    real_global: dict[str, Any], sobjects: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Real global rows for the objects we ship, plus rows made for authored objects."""
    real_rows = {row["name"]: row for row in real_global["sobjects"]}
    rows = [real_rows.get(name) or global_entry(sobjects[name]) for name in sorted(sobjects)]
    return {
        "encoding": real_global["encoding"],
        "maxBatchSize": real_global["maxBatchSize"],
        "sobjects": rows,
    }


def build(describes: dict[str, dict[str, Any]], real_global: dict[str, Any]) -> Built:
    """Every file of the demo org, from the (URL-normalised) real payloads."""
    sobjects = copy.deepcopy(describes)
    return Built(sobjects=sobjects, global_describe=build_global(real_global, sobjects))
