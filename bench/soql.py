"""SOQL speed: rendering a 1,000-id IN list and parsing a medium query, against the baselines.

- render: the SOQL text ``SELECT Id FROM Account WHERE Id IN (…1,000 ids…)``
  - sfschema builder: ``str(select("Id").from_("Account").where(field("Id").in_(ids)))``
    (builds and validates 1,000 frozen value nodes, then compiles every value through
    ``literal_list``; a list of plain strings is checked in one pass, see ``literals.py``);
  - sfschema template: ``soql("… WHERE Id IN :ids", ids=ids)`` (bind + compile; the template
    text is parsed once and its immutable tree reused, as a workflow calling the same template
    again would);
  - baseline: simple-salesforce ``format_soql("… WHERE Id IN {}", ids)``.
- parse: ``SELECT Id, Name, Amount FROM Opportunity WHERE StageName = 'Closed Won' AND
  Amount > 1000 ORDER BY CloseDate DESC LIMIT 10`` (3 fields, 2 conditions, ORDER BY, LIMIT)
  - sfschema ``parse`` (lark LALR tables + contextual scanner) into the frozen tree;
  - baseline: python-soql-parser ``parse`` (pyparsing).

Each timing is the best of several rounds (rounds of both sides interleaved), so other load on
the machine inflates both sides alike. Target: parse at least 10x faster than python-soql-parser.

Run: ``.venv/bin/python bench/soql.py [--rounds 15]``
"""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from python_soql_parser import parse as psp_parse
from rich.console import Console
from rich.table import Table
from simple_salesforce.format import format_soql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sfschema import ids
from sfschema.soql import field, parse, select, soql

MEDIUM = (
    "SELECT Id, Name, Amount FROM Opportunity WHERE StageName = 'Closed Won' AND Amount > 1000 "
    "ORDER BY CloseDate DESC LIMIT 10"
)


def best(functions: dict[str, Callable[[], Any]], number: int, rounds: int) -> dict[str, float]:
    """Seconds per call, best round, with the candidates' rounds interleaved."""
    for function in functions.values():
        function()  # warm up (lazy grammar build, caches)
    times: dict[str, float] = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            seconds = timeit.timeit(function, number=number) / number
            times[name] = min(times[name], seconds)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    id_list = [ids.make_id("001", n) for n in range(1, 1001)]
    template = "SELECT Id FROM Account WHERE Id IN :ids"
    builder_text = str(select("Id").from_("Account").where(field("Id").in_(id_list)))
    baseline_text = format_soql("SELECT Id FROM Account WHERE Id IN {}", id_list)
    assert builder_text == soql(template, ids=id_list)
    assert parse(builder_text) == parse(baseline_text)  # same query, same tree

    render = best(
        {
            "builder": lambda: str(select("Id").from_("Account").where(field("Id").in_(id_list))),
            "template": lambda: soql(template, ids=id_list),
            "format_soql": lambda: format_soql("SELECT Id FROM Account WHERE Id IN {}", id_list),
        },
        number=20,
        rounds=args.rounds,
    )
    parsing = best(
        {"sfschema": lambda: parse(MEDIUM), "python-soql-parser": lambda: psp_parse(MEDIUM)},
        number=200,
        rounds=args.rounds,
    )

    table = Table(title="SOQL: sfschema vs baselines (best of rounds, same process)")
    for column in ("task", "sfschema", "baseline", "per second (sfschema)", "ratio"):
        table.add_column(column, justify="left" if column == "task" else "right")

    def row(task: str, ours: float, theirs: float, name: str) -> None:
        table.add_row(
            task,
            f"{ours * 1e6:,.1f} µs",
            f"{theirs * 1e6:,.1f} µs ({name})",
            f"{1 / ours:,.0f}",
            f"{theirs / ours:.1f}x",
        )

    baseline = render["format_soql"]
    row("render 1,000-id IN (builder)", render["builder"], baseline, "format_soql")
    row("render 1,000-id IN (template)", render["template"], baseline, "format_soql")
    row(
        "parse medium query",
        parsing["sfschema"],
        parsing["python-soql-parser"],
        "python-soql-parser",
    )
    Console().print(table)
    print("ratio = baseline time / sfschema time (above 1: sfschema is faster)")
    ratio = parsing["python-soql-parser"] / parsing["sfschema"]
    verdict = "met" if ratio >= 10 else "NOT met"
    print(f"parse target (>= 10x python-soql-parser): {verdict} ({ratio:.1f}x)")


if __name__ == "__main__":
    main()
