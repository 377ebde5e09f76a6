"""Property: whatever mix of records a job gets, every input has exactly one result, in input
order, and no record is written twice (checked against the emulator's request log)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema.client import Client, RetryPolicy
from sfschema.emulator import Emulator
from tests.support.bulk_seed import bulk_seed, lock_ids

KINDS = ("valid", "too_long", "no_id", "deleted", "locked_once", "locked_always")


@settings(max_examples=12, deadline=None)
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=25))
def test_every_record_is_accounted_for_once(kinds: list[str]) -> None:
    emu = Emulator.demo()
    made = bulk_seed(emu, "Task", ({"Subject": f"T{n}"} for n in range(len(kinds))))
    client = Client.for_emulator(emu)
    client.describe("Task")
    once = [made[n] for n, kind in enumerate(kinds) if kind == "locked_once"]
    always = [made[n] for n, kind in enumerate(kinds) if kind == "locked_always"]
    for n, kind in enumerate(kinds):
        if kind == "deleted":
            assert client.delete("Task", made[n]).ok
    lock_ids(emu, [*once, *always])

    def backoff(seconds: float) -> None:
        lock_ids(emu, always)  # the once-locked rows are free by the next try

    client.wire.retry = RetryPolicy(sleep=backoff, seed=0)
    mark = len(emu.requests)
    rows = []
    for n, kind in enumerate(kinds):
        if kind == "too_long":
            rows.append({"Id": made[n], "Subject": "x" * 256})
        elif kind == "no_id":
            rows.append({"Subject": "no id"})
        else:
            rows.append({"Id": made[n], "Subject": f"new {n}"})
    results = client.update_many("Task", rows)

    expected = {
        "valid": "succeeded",
        "locked_once": "succeeded",
        "too_long": "rejected",
        "no_id": "rejected",
        "deleted": "failed",
        "locked_always": "failed",
    }
    assert [(r.index, r.outcome) for r in results] == [
        (n, expected[kind]) for n, kind in enumerate(kinds)
    ]
    written = Counter(i for e in list(emu.requests)[mark:] for i in e.written)
    assert written == Counter(made[n] for n, r in enumerate(results) if r.outcome == "succeeded")
