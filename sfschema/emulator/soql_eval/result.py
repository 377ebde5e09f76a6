"""A query's whole result before paging."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class ChildRows:
    """A child subquery's written records under one parent record (paged when written out)."""

    records: list[dict[str, Any]]


@dataclass
class Result:
    """The total and the written rows (none for COUNT()); rows may hold ChildRows values."""

    total_size: int
    records: list[dict[str, Any]]
