"""Injected faults, for tests and benchmarks of code that must survive Salesforce's bad days.

Every fault is deterministic: chosen records or request numbers, or a rate decided by a seeded
hash of (seed, record id, attempt), so one seed gives the same faults on every run.

>>> one, two = Faults(seed=7, lock_rate=0.5), Faults(seed=7, lock_rate=0.5)
>>> [one.lock_row("001000000000001AAA") for _ in range(8)] == [
...     two.lock_row("001000000000001AAA") for _ in range(8)]
True
>>> Faults(locked_ids={"001000000000001AAA"}).lock_row("001000000000001")
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sfschema import ids
from sfschema.errors import SfschemaError


@dataclass
class Faults:
    """What goes wrong, and when. Request numbers count REST requests from 1."""

    #: Seed of every rate-based fault.
    seed: int = 0
    #: Writes of these record ids fail with UNABLE_TO_LOCK_ROW (every attempt).
    locked_ids: set[str] = field(default_factory=set)
    #: Fraction (0..1) of record writes that fail with UNABLE_TO_LOCK_ROW (each attempt drawn).
    lock_rate: float = 0.0
    #: After this many REST requests every access token expires once (401 INVALID_SESSION_ID).
    expire_session_after: int | None = None
    #: Request numbers answered 503 SERVER_UNAVAILABLE without being processed (not charged).
    unavailable_on: set[int] = field(default_factory=set)
    #: Request numbers that ARE processed but whose response never arrives (a read timeout).
    timeout_on: set[int] = field(default_factory=set)
    #: Seconds a served (HTTPS) emulator sleeps before a timed-out response (over the client's
    #: timeout); in process the adapter raises requests.ReadTimeout instead.
    timeout_seconds: float = 30.0
    #: REQUEST_LIMIT_EXCEEDED once this many API calls were charged (None: the daily allowance).
    request_limit: int | None = None
    _attempts: dict[str, int] = field(default_factory=dict, repr=False)
    requests_seen: int = 0
    _expired: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.lock_rate <= 1.0:
            raise SfschemaError(f"lock_rate must be between 0 and 1, got {self.lock_rate!r}")

    def lock_row(self, record_key: str) -> bool:
        """True when this write of the record fails with UNABLE_TO_LOCK_ROW."""
        key = _key(record_key)
        if any(_key(locked) == key for locked in self.locked_ids):
            return True
        if self.lock_rate <= 0.0:
            return False
        attempt = self._attempts.get(key, 0)
        self._attempts[key] = attempt + 1
        digest = hashlib.sha256(f"{self.seed}:{key}:{attempt}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.lock_rate

    def next_request(self) -> int:
        """Count a REST request; its number (from 1)."""
        self.requests_seen += 1
        return self.requests_seen

    def session_expires_now(self) -> bool:
        """True once: when the request count passes ``expire_session_after``."""
        after = self.expire_session_after
        if after is None or self._expired or self.requests_seen <= after:
            return False
        self._expired = True
        return True


def _key(value: str) -> str:
    """Record ids compare in their 18-character form (any case); other keys as given."""
    return ids.to18(value).lower() if ids.is_valid(value) else value
