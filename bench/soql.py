"""SOQL speed: rendering, parsing and start-up, each against a baseline run in the same process.

- render: the SOQL text ``SELECT Id FROM Account WHERE Id IN (…1,000 ids…)``
  - sfschema builder: ``str(select("Id").from_("Account").where(field("Id").in_(ids)))``
    (builds and validates 1,000 frozen value nodes, then compiles every value through
    ``literal_list``; a list of plain strings is checked in one pass, see ``literals.py``);
  - sfschema template: ``soql("… WHERE Id IN :ids", ids=ids)`` (bind + compile; the template
    text is parsed once and its immutable tree reused, as a workflow calling the same template
    again would);
  - baseline: simple-salesforce ``format_soql("… WHERE Id IN {}", ids)``.
- parse: ``SELECT Id, Name, Amount FROM Opportunity WHERE StageName = 'Closed Won' AND
  Amount > 1000 ORDER BY CloseDate DESC LIMIT 10`` (3 fields, 2 conditions, ORDER BY, LIMIT),
  and every one of the 438 texts of the public corpus (``tests/fixtures/real/soql/corpus.json``;
  valid and invalid alike, an error counts as an answer on both sides)
  - sfschema ``parse``: lark's LALR(1) parser (public API, inline transformer) into the tree;
  - baseline: python-soql-parser ``parse`` (pyparsing).
- start-up: a fresh ``python -c "from sfschema.soql import parse; parse(MEDIUM)"`` against
  ``python -c "import simple_salesforce"`` (best of ``--starts`` runs each, interleaved; the
  grammar cache is warm, as after the first use on a machine).

Each timing is the best of several rounds (rounds of both sides interleaved), so other load on
the machine inflates both sides alike. Targets: parse at least 5x faster than
python-soql-parser on the medium query and on the corpus; import + one parse at most 0.5x the
import of simple_salesforce.

Run: ``.venv/bin/python bench/soql.py [--rounds 15]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
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
from sfschema.errors import SoqlError
from sfschema.soql import field, parse, select, soql

CORPUS = Path(__file__).resolve().parents[1] / "tests/fixtures/real/soql/corpus.json"

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


def ours_over(texts: list[str]) -> Callable[[], None]:
    def run() -> None:
        for text in texts:
            with contextlib.suppress(SoqlError):
                parse(text)

    return run


def theirs_over(texts: list[str]) -> Callable[[], None]:
    def run() -> None:
        for text in texts:
            with contextlib.suppress(Exception):  # pyparsing raises its own error types
                psp_parse(text)

    return run


def startup(starts: int) -> dict[str, float]:
    """Seconds for a fresh interpreter to run each snippet, best of ``starts`` (interleaved)."""
    snippets = {
        "sfschema": f"from sfschema.soql import parse; parse({MEDIUM!r})",
        "simple_salesforce": "import simple_salesforce",
    }
    for code in snippets.values():  # warm the grammar cache and the OS file cache
        subprocess.run([sys.executable, "-c", code], check=True)
    times = {name: float("inf") for name in snippets}
    for _ in range(starts):
        for name, code in snippets.items():
            began = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times[name] = min(times[name], time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--starts", type=int, default=15)
    args = parser.parse_args()
    corpus = [item["soql"] for item in json.loads(CORPUS.read_text(encoding="utf-8"))]

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
    whole = best(
        {"sfschema": ours_over(corpus), "python-soql-parser": theirs_over(corpus)},
        number=1,
        rounds=max(3, args.rounds // 3),
    )
    starts = startup(args.starts)

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
    row(
        f"parse corpus ({len(corpus)} texts)",
        whole["sfschema"],
        whole["python-soql-parser"],
        "python-soql-parser",
    )
    table.add_row(
        "start: import + one parse",
        f"{starts['sfschema'] * 1e3:,.1f} ms",
        f"{starts['simple_salesforce'] * 1e3:,.1f} ms (import simple_salesforce)",
        "",
        f"{starts['sfschema'] / starts['simple_salesforce']:.2f} of it",
    )
    Console().print(table)
    print("ratio = baseline time / sfschema time (above 1: sfschema is faster);")
    print("start-up: sfschema's time as a fraction of the baseline's (below 1: quicker)")
    verdicts = [
        (
            "parse medium >= 5x python-soql-parser",
            parsing["python-soql-parser"] / parsing["sfschema"],
            5,
            True,
        ),
        (
            "parse corpus >= 5x python-soql-parser",
            whole["python-soql-parser"] / whole["sfschema"],
            5,
            True,
        ),
        (
            "import + parse <= 0.5x import simple_salesforce",
            starts["sfschema"] / starts["simple_salesforce"],
            0.5,
            False,
        ),
    ]
    for label, value, bound, above in verdicts:
        met = value >= bound if above else value <= bound
        print(f"target {label}: {'met' if met else 'NOT met'} ({value:.2f})")


if __name__ == "__main__":
    main()
