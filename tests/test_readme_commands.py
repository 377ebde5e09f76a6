"""The README's tour runs as written: every command, in order, with the exit code it promises."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BIN = Path(sys.executable).parent


def tour_commands() -> list[tuple[str, int]]:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Tour", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    joined = re.sub(r"\\\n\s*", " ", block)
    commands = []
    for line in joined.splitlines():
        command, _, comment = line.partition("#")
        if not command.strip():
            continue
        expected = 1 if re.search(r"\bexit 1\b", comment) else 0
        commands.append((command.strip(), expected))
    return commands


def test_the_tour_has_the_promised_commands() -> None:
    names = [shlex.split(command)[1] for command, _ in tour_commands()]
    assert names == [
        "pull", "pull", "describe", "describe", "validate", "soql", "generate", "generate",
        "emulator",
    ]  # fmt: skip


def test_the_tour_runs(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env["SFSCHEMA_CACHE_DIR"] = str(tmp_path / "cache")
    env = {key: value for key, value in env.items() if not key.startswith("SF_")}
    for command, expected in tour_commands():
        if " emulator serve" in command:
            continue  # serves until stopped; covered by tests/emulator/test_emulator_serve.py
        done = subprocess.run(
            shlex.split(command), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == expected, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, command
    assert (tmp_path / "out" / "generated" / "demo" / "opportunity.py").is_file()
