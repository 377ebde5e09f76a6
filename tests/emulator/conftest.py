"""Helpers for the emulator tests (the ``sf_emulator`` fixture comes from sfschema.testing)."""

from __future__ import annotations

import json
import re
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


def as_served(payload: Any, instance_url: str, version: str = "59.0") -> Any:
    """A snapshot payload as the emulator serves it: its REST paths name the version asked and
    its absolute URLs the emulator's host (a plain text rewrite, apart from the emulator's)."""
    text = json.dumps(payload)
    text = re.sub(r'"/services/data/v\d+\.\d+/', f'"/services/data/v{version}/', text)
    text = re.sub(r'"https://[^/"]+/', f'"{instance_url}/', text)
    return json.loads(text)
