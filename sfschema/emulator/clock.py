"""The emulator's clock: real time by default, or a fixed/moved instant tests set.

Record timestamps (CreatedDate, LastModifiedDate, SystemModstamp) and SOQL date literals (TODAY,
LAST_N_DAYS:n, THIS_FISCAL_QUARTER …) read the org's clock, so a test can pin "now".

>>> from datetime import UTC, datetime, timedelta
>>> clock = Clock()
>>> clock.set(datetime(2025, 1, 31, 9, 30, tzinfo=UTC))
>>> clock.advance(timedelta(days=1))
>>> clock.now().isoformat()
'2025-02-01T09:30:00+00:00'
>>> clock.reset()
>>> clock.fixed is None
True
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sfschema.errors import SfschemaError


class Clock:
    """Now, in UTC: the real time, or the instant last ``set`` (then moved by ``advance``)."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def now(self) -> datetime:
        """The current instant (timezone-aware, UTC, millisecond precision as Salesforce keeps)."""
        moment = self.fixed if self.fixed is not None else datetime.now(UTC)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def set(self, moment: datetime) -> None:
        """Stop the clock at ``moment`` (timezone-aware; naive datetimes are refused)."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise SfschemaError(f"the emulator clock needs a timezone-aware datetime: {moment!r}")
        self.fixed = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move a stopped clock forward (or stop it at now + delta)."""
        self.fixed = self.now() + delta

    def reset(self) -> None:
        """Back to real time."""
        self.fixed = None
