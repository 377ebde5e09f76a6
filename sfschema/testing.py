"""pytest plugin (entry point ``sfschema``): fixtures for testing code that talks to Salesforce.

Installed with sfschema, so any project's tests can ask for ``sf_emulator``::

    def test_my_sync(sf_emulator):
        sf = Salesforce(instance_url=sf_emulator.instance_url,
                        session_id=sf_emulator.access_token, session=sf_emulator.session())
        assert sf.Opportunity.describe()["name"] == "Opportunity"
"""

from __future__ import annotations

import pytest

from sfschema.emulator import Emulator


@pytest.fixture
def sf_emulator() -> Emulator:
    """A fresh in-process emulator of the demo org (no sockets), new for every test."""
    return Emulator.demo()
