"""Start-up: one CLI call (or short script) per workflow event, vs importing simple-salesforce.

Each row is a fresh process (wall time, best of N runs, every command's runs interleaved so other
load on the machine slows all of them alike), divided by the baseline measured in the same run:
``python -c "import simple_salesforce"`` (what any script that talks to Salesforce pays first).

- ``sfschema --help``: target ≤ 0.5x (the commands load lazily; none is imported for --help);
- ``sfschema validate Task --create --values …`` on a warm cache: the describes pulled once into
  a temporary snapshot directory (``sfschema pull --objects Task``), then read from it with
  ``--snapshot``; target ≤ 1.0x;
- the same through ``--org demo`` with a warm ``SFSCHEMA_CACHE_DIR`` (for information: the demo
  org is an in-process emulator reached through simple-salesforce, whose import is included);
- ``from sfschema.soql import parse; parse('SELECT Id FROM Account')``: target ≤ 0.5x.

Run: ``.venv/bin/python bench/startup.py [--runs 11]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
SFSCHEMA = str(BIN / "sfschema")
VALUES = '{"Subject": "Call", "Priority": "High"}'


def run(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one run; a failing command stops the bench with its stderr."""
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SFSCHEMA_CACHE_DIR": str(Path(tmp) / "cache")}
        env = {name: value for name, value in env.items() if not name.startswith("SF_")}
        snapshot = str(Path(tmp) / "snapshot")
        # warm both caches: a snapshot directory, and the default cache of the demo org
        run([SFSCHEMA, "pull", "--org", "demo", "--objects", "Task", "--out", snapshot], env)
        validate = ["validate", "Task", "--create", "--values", VALUES]
        run([SFSCHEMA, *validate, "--org", "demo"], env)
        commands: dict[str, tuple[list[str], float | None]] = {
            "baseline: python -c 'import simple_salesforce'": (
                [sys.executable, "-c", "import simple_salesforce"],
                None,
            ),
            "sfschema --help": ([SFSCHEMA, "--help"], 0.5),
            "sfschema validate Task --create (warm snapshot)": (
                [SFSCHEMA, *validate, "--snapshot", snapshot],
                1.0,
            ),
            "sfschema validate Task --create --org demo (warm cache)": (
                [SFSCHEMA, *validate, "--org", "demo"],
                None,
            ),
            "from sfschema.soql import parse; parse(...)": (
                [
                    sys.executable,
                    "-c",
                    "from sfschema.soql import parse; parse('SELECT Id FROM Account')",
                ],
                0.5,
            ),
        }
        for command, _ in commands.values():
            run(command, env)  # bytecode written, file caches warm
        best = {label: float("inf") for label in commands}
        for _ in range(args.runs):
            for label, (command, _) in commands.items():
                best[label] = min(best[label], run(command, env))

    baseline = best[next(iter(commands))]
    rows = []
    for label, (_, target) in commands.items():
        ratio = best[label] / baseline
        verdict = ""
        if target is not None:
            verdict = f"<= {target}x: {'met' if ratio <= target else 'MISSED'}"
        rows.append((label, f"{best[label] * 1000:.0f} ms", f"{ratio:.2f}x", verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("command (fresh process)", "best", "ratio", "target")
    widths = [max(width, len(title)) for width, title in zip(widths, header, strict=True)]
    print(f"start-up, best of {args.runs} interleaved runs; ratio vs the baseline in this run")
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
