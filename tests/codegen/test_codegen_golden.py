"""Whole generated files against golden copies, and the committed generated/demo package.

Refresh the golden files with: SFSCHEMA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/codegen
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.output import package_files
from codegen.plan import Source, source_of
from sfschema.schema import OrgSchema
from tests.support.codegen_helpers import REAL_SOURCES, ROOT, check_golden, real_snapshot

DEMO_OUT = ROOT / "generated" / "demo"


@pytest.mark.parametrize("source", REAL_SOURCES)
def test_real_describes_match_golden_files(tmp_path: Path, source: str) -> None:
    snapshot = real_snapshot(tmp_path, source)
    schema = OrgSchema.from_snapshot(snapshot)
    files = package_files(schema, source_of(schema, source))
    for name, text in files.items():
        check_golden(f"{source}/{name}.golden", text)
    golden_dir = ROOT / "tests" / "golden" / "codegen" / source
    assert sorted(p.name for p in golden_dir.glob("*.golden")) == sorted(
        f"{name}.golden" for name in files
    )


def test_generated_demo_is_up_to_date_byte_for_byte() -> None:
    schema = OrgSchema.demo()
    files = package_files(schema, source_of(schema, "demo"))
    on_disk = {path.name: path.read_bytes() for path in sorted(DEMO_OUT.glob("*.py"))}
    expected = {name: text.encode("utf-8") for name, text in files.items()}
    assert sorted(on_disk) == sorted(expected), (
        "regenerate: sfschema generate --snapshot sfschema/emulator/demo_org --out generated/demo"
    )
    for name, data in expected.items():
        assert on_disk[name] == data, f"generated/demo/{name} is stale"


def test_generation_is_deterministic_and_independent_of_object_order(tmp_path: Path) -> None:
    snapshot = real_snapshot(tmp_path, "cumulusci")
    source = Source("cumulusci", "48.0")
    first = package_files(OrgSchema.from_snapshot(snapshot), source)
    again = package_files(OrgSchema.from_snapshot(snapshot), source)
    picked = package_files(
        OrgSchema.from_snapshot(snapshot), source, ["opportunity", "Account", "OPPORTUNITY"]
    )
    assert first == again
    assert sorted(picked) == ["__init__.py", "account.py", "opportunity.py"]
    assert picked["account.py"] == first["account.py"]
    assert picked["opportunity.py"] == first["opportunity.py"]
