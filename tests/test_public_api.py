"""The public surface is pinned: adding or removing a name is a deliberate change."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sfschema


def test_all_is_sorted_and_pinned() -> None:
    assert sfschema.__all__ == [
        "DescribeCache",
        "DescribeError",
        "Emulator",
        "OrgSchema",
        "RecordValidationError",
        "SalesforceApiError",
        "SfschemaError",
        "SoqlError",
        "ValidationReport",
        "ensure_valid_create",
        "ensure_valid_update",
        "field",
        "select",
        "soql",
        "validate_create",
        "validate_update",
    ]


@pytest.mark.parametrize("name", sfschema.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(sfschema, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        sfschema.nope  # noqa: B018


def test_import_is_lazy() -> None:
    code = "import sys, sfschema; print(sorted(m for m in sys.modules if m.startswith('sfschema')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['sfschema']"
