"""The emulator's request log: what each HTTP request cost and wrote (tests and benchmarks
read it as ``emu.requests``).

>>> log = RequestLog()
>>> log.add(LoggedRequest("POST", "/services/data/v59.0/sobjects/Task", 201, 1, ("00T…",)))
>>> log.api_calls, [entry.status for entry in log]
(1, [201])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class LoggedRequest:
    """One HTTP request: method, path (no query string), status, API calls charged, ids written."""

    method: str
    path: str
    status: int
    api_calls: int
    written: tuple[str, ...] = ()


class RequestLog:
    """Every request the app answered, in order (bounded: the oldest are dropped past ``keep``)."""

    def __init__(self, keep: int = 100_000) -> None:
        self.keep = keep
        self._entries: list[LoggedRequest] = []

    def add(self, entry: LoggedRequest) -> None:
        self._entries.append(entry)
        if len(self._entries) > self.keep:
            del self._entries[: len(self._entries) - self.keep]

    def clear(self) -> None:
        self._entries.clear()

    @property
    def api_calls(self) -> int:
        """API calls charged over the logged requests."""
        return sum(entry.api_calls for entry in self._entries)

    def __iter__(self) -> Iterator[LoggedRequest]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> LoggedRequest:
        return self._entries[index]
