"""Fixtures for the SOQL tests: the real CumulusCI describes as a snapshot directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sfschema.schema import OrgSchema

CUMULUSCI = Path(__file__).parents[1] / "fixtures" / "real" / "describe" / "cumulusci"


@pytest.fixture(scope="session")
def cumulusci_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot with sobjects/<Name>.json and global.json from CumulusCI's cassettes."""
    root = tmp_path_factory.mktemp("cumulusci")
    (root / "sobjects").mkdir()
    for source in sorted(CUMULUSCI.glob("*.json")):
        if source.stem == "_global":
            shutil.copy(source, root / "global.json")
        else:
            shutil.copy(source, root / "sobjects" / source.name)
    return root


@pytest.fixture(scope="session")
def schema(cumulusci_dir: Path) -> OrgSchema:
    return OrgSchema.from_snapshot(cumulusci_dir)


CARE_HOME = Path(__file__).parents[1] / "fixtures" / "real" / "describe" / "care-home-accelerator"


@pytest.fixture(scope="session")
def care_home(tmp_path_factory: pytest.TempPathFactory) -> OrgSchema:
    """Room__c and Property__c (restricted multi-select picklists) from a real org's describes."""
    root = tmp_path_factory.mktemp("care_home")
    (root / "sobjects").mkdir()
    for source in sorted(CARE_HOME.glob("*.json")):
        shutil.copy(source, root / "sobjects" / source.name)
    return OrgSchema.from_snapshot(root)
