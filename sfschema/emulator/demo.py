"""The built-in demo org (package data, a snapshot directory)."""

from __future__ import annotations

from pathlib import Path

DEMO_INSTANCE_URL = "https://demo.my.salesforce.com"


def demo_org_dir() -> Path:
    """Path of the demo org snapshot shipped inside the package.

    >>> (demo_org_dir() / "sobjects" / "Opportunity.json").is_file()
    True
    """
    return Path(__file__).resolve().parent / "demo_org"
