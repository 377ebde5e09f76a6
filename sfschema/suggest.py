""" "Did you mean" suggestions shared by validation, SOQL checking and the CLI."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def close_matches(value: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Best matches for a misspelt name or value: case/space-insensitive first, then fuzzy."""
    pool = list(candidates)
    folded = {_squash(candidate): candidate for candidate in pool}
    exact = folded.get(_squash(value))
    fuzzy = difflib.get_close_matches(_squash(value), list(folded), n=limit, cutoff=0.6)
    matches = [exact] if exact else []
    matches += [folded[key] for key in fuzzy if folded[key] not in matches]
    return matches[:limit]


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'X'?)' or an empty string."""
    matches = close_matches(value, candidates)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(repr(match) for match in matches) + "?)"
