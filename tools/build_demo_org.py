"""Build the demo org snapshot shipped in ``sfschema/emulator/demo_org/`` (reproducible).

Run from the repository root: ``.venv/bin/python tools/build_demo_org.py``.

Real describes (Account, Contact, Lead, Opportunity, Case, Event) come from
``tests/fixtures/real/describe/cumulusci/`` (CumulusCI, BSD-3-Clause). Their values are kept; only
version placeholders in ``urls`` (``vxx.0``, ``v48.0`` …) become the demo version and org host
names become the demo host, so every URL in the demo org points at the demo org. Task and
Invoice__c are authored here (see ``demo_authoring.py``), as are the Opportunity record types,
their UI API picklist payloads and the seed records.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import demo_authoring  # noqa: E402

SOURCE = ROOT / "tests" / "fixtures" / "real" / "describe" / "cumulusci"
TARGET = ROOT / "sfschema" / "emulator" / "demo_org"
REAL_OBJECTS = ("Account", "Contact", "Lead", "Opportunity", "Case", "Event")
VERSION = demo_authoring.VERSION
HOST = demo_authoring.HOST
_VERSION_RE = re.compile(r"/services/data/v[0-9x]+\.0/")
_HOST_RE = re.compile(r"https://[a-z0-9.-]+\.my\.salesforce\.com")


def normalise_urls(value: Any) -> Any:
    """Point version placeholders and org hosts in URL strings at the demo org."""
    if isinstance(value, dict):
        return {key: normalise_urls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise_urls(item) for item in value]
    if isinstance(value, str):
        return _HOST_RE.sub(HOST, _VERSION_RE.sub(f"/services/data/v{VERSION}/", value))
    return value


def write(path: Path, payload: Any) -> None:
    """Key order kept as authored/received (real payloads are not re-sorted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    """Write the demo org into TARGET, or into the directory given as ``--out DIR``."""
    target = Path(argv[argv.index("--out") + 1]) if "--out" in argv else TARGET
    describes: dict[str, dict[str, Any]] = {}
    for name in REAL_OBJECTS:
        describes[name] = normalise_urls(json.loads((SOURCE / f"{name}.json").read_text()))
    real_global = normalise_urls(json.loads((SOURCE / "_global.json").read_text()))
    built = demo_authoring.build(describes, real_global)
    for stale in target.glob("*/**/*.json"):
        stale.unlink()
    for name, payload in built.sobjects.items():
        write(target / "sobjects" / f"{name}.json", payload)
    write(target / "global.json", built.global_describe)
    for (name, rt_id), payload in built.picklists.items():
        write(target / "picklists" / name / f"{rt_id}.json", payload)
    for name, rows in built.records.items():
        write(target / "records" / f"{name}.json", rows)
    print(
        f"wrote {len(built.sobjects)} objects, {len(built.picklists)} picklist files, "
        f"{sum(map(len, built.records.values()))} records to {target}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
