"""A Client over a fresh in-process demo emulator, its backoff sleeps recorded (not slept)."""

from __future__ import annotations

import pytest

from sfschema.client import Client, RetryPolicy


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
