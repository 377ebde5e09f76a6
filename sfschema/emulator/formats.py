"""Wire formats: Salesforce datetimes, HTTP dates, ETags, release labels."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from werkzeug.http import http_date, parse_date


def sf_datetime(moment: datetime) -> str:
    """A datetime as Salesforce writes it in JSON: ``2024-01-31T12:00:00.000+0000`` (UTC).

    >>> sf_datetime(datetime(2024, 1, 31, 12, 0, 5, 250000, tzinfo=UTC))
    '2024-01-31T12:00:05.250+0000'
    """
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def http_datetime(moment: datetime) -> str:
    """RFC 1123 GMT date for Last-Modified / Date headers.

    >>> http_datetime(datetime(2024, 1, 31, 12, 0, 5, tzinfo=UTC))
    'Wed, 31 Jan 2024 12:00:05 GMT'
    """
    return http_date(moment.astimezone(UTC))


def parse_http_datetime(value: str | None) -> datetime | None:
    """A header date as an aware UTC datetime; None when absent or unparsable."""
    if not value:
        return None
    parsed = parse_date(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def utc_now() -> datetime:
    """Now, in UTC, truncated to whole seconds (HTTP dates have second resolution)."""
    return datetime.now(UTC).replace(microsecond=0)


def etag_for(*parts: bytes | str) -> str:
    """A quoted strong ETag over the given parts."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return f'"{digest.hexdigest()[:16]}"'


def release_label(version: int) -> str:
    """The release name of an API version (v20.0 = Winter '11, three releases a year).

    >>> release_label(59), release_label(57), release_label(20)
    ("Winter '24", "Spring '23", "Winter '11")
    """
    steps = version - 20
    season = ("Winter", "Spring", "Summer")[steps % 3]
    return f"{season} '{11 + steps // 3:02d}"
