"""Helpers for the emulator tests (the ``sf_emulator`` fixture comes from sfschema.testing)."""

from __future__ import annotations

import json
from typing import Any

from simple_salesforce import Salesforce

from sfschema.demo import demo_org_dir
from sfschema.emulator import Emulator


def shipped(*parts: str) -> Any:
    """A JSON file of the shipped demo org, e.g. shipped("sobjects", "Task.json")."""
    return json.loads(demo_org_dir().joinpath(*parts).read_text(encoding="utf-8"))


def client(emu: Emulator, token: str | None = None) -> Salesforce:
    """The real simple-salesforce client on the emulator (session-id login)."""
    return Salesforce(
        instance_url=emu.instance_url,
        session_id=token or emu.access_token,
        session=emu.session(),
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
