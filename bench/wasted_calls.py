"""The promise, measured: API calls spent and wasted on workflow items as an AI step writes them.

A corpus of workflow items (Task creates from meeting action items, Opportunity updates from
meeting summaries) is generated from a seed: mostly valid, with the mistakes real steps make at
realistic rates. It runs through sfschema's actions (validated, then batched in /composite) and
through simple-salesforce used as the workflow tools use it (one REST call per item) against two
fresh copies of the same emulated demo org. The table prints API calls, calls Salesforce rejected
("wasted"), items written, items caught before sending, and the ratio.

    python bench/wasted_calls.py [--items 1000] [--seed 7]

Target: 0 wasted calls and ⌈items written / 1,000⌉ calls for the writes; every item accounted for.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

OPPORTUNITIES = ["006000000000001AAA", "006000000000002AAA"]
CONTACTS = ["003000000000001AAA", "003000000000002AAA", "003000000000003AAA"]
STAGES = ["Prospecting", "Qualification", "Negotiation/Review", "Proposal/Price Quote"]
#: (mistake, share of items): the rest are valid. Rates as seen from extraction steps.
MISTAKES = [
    ("stage in the wrong case", 0.04),
    ("15-character id", 0.05),
    ("19-character id", 0.02),
    ("id of the wrong object", 0.03),
    ("date as 31/01/2025", 0.03),
    ("date with an offset", 0.02),
    ("misspelt field", 0.02),
    ("formula/read-only field", 0.02),
    ("over-long text", 0.01),
    ("inactive picklist value", 0.02),
]


@dataclass(frozen=True)
class WorkItem:
    """One item as the AI step produced it: a Task create or an Opportunity update."""

    kind: str  # "task" | "update"
    values: dict[str, Any]
    record_id: str | None
    mistake: str | None


def corpus(items: int, seed: int) -> list[WorkItem]:
    """``items`` workflow items, reproducible from ``seed``."""
    rng = random.Random(seed)
    out = []
    for n in range(items):
        mistake = _pick_mistake(rng)
        if rng.random() < 0.7:
            out.append(_task(rng, n, mistake))
        else:
            out.append(_update(rng, n, mistake))
    return out


def _pick_mistake(rng: random.Random) -> str | None:
    roll = rng.random()
    for name, share in MISTAKES:
        if roll < share:
            return name
        roll -= share
    return None


def _task(rng: random.Random, n: int, mistake: str | None) -> WorkItem:
    values: dict[str, Any] = {
        "Subject": f"Follow up #{n}: send the deck",
        "Description": "Action item extracted from the meeting transcript.",
        "WhatId": rng.choice(OPPORTUNITIES),
        "ActivityDate": f"2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
        "Priority": rng.choice(["High", "Normal", "Low"]),
        "TaskSubtype": "Call",
    }
    if rng.random() < 0.5:
        values["WhoId"] = rng.choice(CONTACTS)
    if mistake == "15-character id":
        values["WhatId"] = values["WhatId"][:15]
    elif mistake == "19-character id":
        values["WhatId"] += "A"
    elif mistake == "id of the wrong object":
        values["WhatId"] = rng.choice(CONTACTS)
    elif mistake == "date as 31/01/2025":
        year, month, day = values["ActivityDate"].split("-")
        values["ActivityDate"] = f"{day}/{month}/{year}"
    elif mistake == "date with an offset":
        values["ActivityDate"] += "T10:00:00+02:00"
    elif mistake == "misspelt field":
        values["Descripton"] = values.pop("Description")
    elif mistake == "formula/read-only field":
        values["IsClosed"] = False
    elif mistake == "over-long text":
        values["Subject"] = "Follow up " * 30
    elif mistake in ("inactive picklist value", "stage in the wrong case"):
        values["Priority"] = "Urgent" if mistake == "inactive picklist value" else "high"
    return WorkItem("task", values, None, mistake)


def _update(rng: random.Random, n: int, mistake: str | None) -> WorkItem:
    record_id = rng.choice(OPPORTUNITIES)
    values: dict[str, Any] = {
        "StageName": rng.choice(STAGES),
        "NextStep": f"Meeting {n}: send the order form",
        "CloseDate": f"2025-{rng.randint(10, 12)}-{rng.randint(10, 28)}",
    }
    if mistake == "stage in the wrong case":
        values["StageName"] = values["StageName"].lower()
    elif mistake == "15-character id":
        record_id = record_id[:15]
    elif mistake == "19-character id":
        record_id += "A"
    elif mistake == "id of the wrong object":
        values["AccountId"] = rng.choice(CONTACTS)
    elif mistake == "date as 31/01/2025":
        year, month, day = values["CloseDate"].split("-")
        values["CloseDate"] = f"{day}/{month}/{year}"
    elif mistake == "date with an offset":
        values["CloseDate"] += "T10:00:00+02:00"
    elif mistake == "misspelt field":
        values["NextSteps"] = values.pop("NextStep")
    elif mistake == "formula/read-only field":
        values["ExpectedRevenue"] = 1000
    elif mistake == "over-long text":
        values["NextStep"] = "x" * 256
    elif mistake == "inactive picklist value":
        values["ForecastCategoryName"] = "Maybe"
    return WorkItem("update", values, record_id, mistake)


# -- the two ways to send it --------------------------------------------------------------------
def run_simple_salesforce(items: list[WorkItem], latency: float) -> dict[str, Any]:
    """One REST call per item, as n8n/Activepieces/Pipedream steps send them."""
    from simple_salesforce import Salesforce
    from simple_salesforce.exceptions import SalesforceError

    from sfschema.emulator import Emulator

    emu = Emulator.demo()
    emu.latency = latency
    sf = Salesforce(
        instance_url=emu.instance_url, session_id=emu.access_token, session=emu.session()
    )
    written = wasted = 0
    for item in items:
        try:
            if item.kind == "task":
                sf.Task.create(item.values)
            else:
                sf.Opportunity.update(item.record_id, item.values)
            written += 1
        except SalesforceError:
            wasted += 1
    return {
        "describe": 0,
        "calls": emu.api_calls,
        "wasted": wasted,
        "written": written,
        "caught": 0,
    }


def run_sfschema(items: list[WorkItem], latency: float) -> dict[str, Any]:
    """The same items through two sfschema action steps (for_each, batched writes)."""
    from sfschema.actions.run import workflow_from_data
    from sfschema.client import Client

    client = Client.demo(cache_dir=tempfile.mkdtemp(prefix="sfschema-bench-"))
    emu = client.emulator
    assert emu is not None
    emu.latency = latency
    client.describe("Task", "Opportunity")  # once per org and user; cached on disk after
    described = emu.api_calls
    workflow = workflow_from_data(
        {
            "steps": [
                {
                    "name": "tasks",
                    "action": "create_record",
                    "object": "Task",
                    "for_each": "json.tasks",
                    "params": {"field_values": "{{ json.item }}"},
                },
                {
                    "name": "updates",
                    "action": "update_opportunity",
                    "for_each": "json.updates",
                    "params": {
                        "opportunity_id": "{{ json.item.id }}",
                        "field_values": "{{ json.item.values }}",
                    },
                },
            ]
        }
    )
    context = {
        "tasks": [item.values for item in items if item.kind == "task"],
        "updates": [
            {"id": item.record_id, "values": item.values} for item in items if item.kind == "update"
        ],
    }
    result = workflow.run(client, context)
    outcomes = Counter(item.outcome for item in result.items)
    failed = outcomes["failed"] + outcomes["unknown"]
    assert sum(outcomes.values()) == len(items), outcomes
    return {
        "describe": described,
        "calls": emu.api_calls - described,
        "wasted": failed,
        "written": outcomes["done"],
        "caught": outcomes["rejected"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    args = parser.parse_args()
    items = corpus(args.items, args.seed)
    mistakes = Counter(item.mistake or "valid" for item in items)
    print(
        f"corpus: {len(items)} items (seed {args.seed}): "
        + ", ".join(f"{name} {count}" for name, count in mistakes.most_common())
    )
    rows = []
    for name, runner in (
        ("simple-salesforce, one call per item", run_simple_salesforce),
        ("sfschema actions", run_sfschema),
    ):
        start = time.perf_counter()
        numbers = runner(items, args.latency)
        numbers["seconds"] = round(time.perf_counter() - start, 2)
        rows.append((name, numbers))
    base = rows[0][1]
    print()
    print(
        "| way | describe calls | write calls | wasted | written | caught before sending "
        "| s | write calls ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, n in rows:
        ratio = n["calls"] / base["calls"] if base["calls"] else float("nan")
        print(
            f"| {name} | {n['describe']} | {n['calls']} | {n['wasted']} | {n['written']} | "
            f"{n['caught']} | {n['seconds']} | {ratio:.3f}× |"
        )
    ours = rows[1][1]
    print(
        f"\nsfschema: {ours['wasted']} wasted; {ours['calls']} write calls for "
        f"{ours['written']} records in 2 steps (Task creates, Opportunity updates): one "
        "/composite call per step, ⌈records of the step / 1,000⌉ each; "
        f"{ours['written'] + ours['caught'] + ours['wasted']} of {len(items)} items accounted for"
    )


if __name__ == "__main__":
    main()
