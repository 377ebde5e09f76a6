"""Synthetic orgs: real describe payloads cloned under new names (for scale tests and benches)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "describe" / "cumulusci"
TEMPLATES = ("Opportunity", "Account", "Contact", "Lead", "Case", "Event")


def _prefix(index: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "a" + alphabet[index // 62 % 62] + alphabet[index % 62]


def synthetic_org(root: Path, count: int) -> Path:
    """A snapshot dir of ``count`` custom objects ObjNNN__c cloned from real describes."""
    templates = [json.loads((REAL / f"{name}.json").read_text()) for name in TEMPLATES]
    sobjects = root / "sobjects"
    sobjects.mkdir(parents=True, exist_ok=True)
    global_rows: list[dict[str, Any]] = []
    for index in range(count):
        name = f"Obj{index:03d}__c"
        payload = copy.deepcopy(templates[index % len(templates)])
        payload.update(name=name, label=f"Object {index}", custom=True, keyPrefix=_prefix(index))
        payload["urls"] = {
            "describe": f"/services/data/v59.0/sobjects/{name}/describe",
            "sobject": f"/services/data/v59.0/sobjects/{name}",
            "rowTemplate": f"/services/data/v59.0/sobjects/{name}/{{ID}}",
        }
        (sobjects / f"{name}.json").write_text(json.dumps(payload, indent=2, sort_keys=True))
        global_rows.append(
            {
                key: payload.get(key)
                for key in (
                    "name",
                    "label",
                    "labelPlural",
                    "keyPrefix",
                    "custom",
                    "customSetting",
                    "createable",
                    "updateable",
                    "deletable",
                    "queryable",
                    "urls",
                )
            }
        )
    (root / "global.json").write_text(
        json.dumps({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": global_rows}, indent=2)
    )
    return root
