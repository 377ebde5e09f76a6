"""A Client over a fresh in-process demo emulator, its backoff sleeps recorded (not slept).

``needs_queries`` / ``needs_writes`` skip, naming the reason, where the emulator this checkout
has does not serve SOQL queries or record writes (faults, request log) yet.
"""

from __future__ import annotations

import pytest

from sfschema.client import Client, RetryPolicy
from sfschema.emulator import Emulator


def _serves_queries() -> bool:
    emu = Emulator.demo()
    answer = emu.session().get(
        f"{emu.instance_url}/services/data/v{emu.api_version}/query?q=SELECT+Id+FROM+Account",
        headers={"Authorization": f"Bearer {emu.access_token}"},
    )
    return answer.status_code == 200


def _serves_writes() -> bool:
    return all(hasattr(Emulator, name) for name in ("seed", "faults", "requests"))


needs_queries = pytest.mark.skipif(
    not _serves_queries(), reason="the emulator here does not serve SOQL queries yet"
)
needs_writes = pytest.mark.skipif(
    not _serves_writes(), reason="the emulator here does not write records (faults, log) yet"
)


class Sleeps(list[float]):
    """The sleep of a RetryPolicy: records each delay instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sleeps: Sleeps) -> Client:
    return Client.demo(retry=RetryPolicy(sleep=sleeps, seed=1))
