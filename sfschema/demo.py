"""Where the built-in demo org lives: a snapshot directory shipped as package data.

A leaf module, so the schema (``OrgSchema.demo()``), the emulator (``Emulator.demo()``) and the
CLI all find the demo org without importing each other.
"""

from __future__ import annotations

from pathlib import Path

DEMO_INSTANCE_URL = "https://demo.my.salesforce.com"


def demo_org_dir() -> Path:
    """Path of the demo org snapshot shipped inside the package.

    >>> (demo_org_dir() / "sobjects" / "Opportunity.json").is_file()
    True
    """
    return Path(__file__).resolve().parent / "emulator" / "demo_org"
