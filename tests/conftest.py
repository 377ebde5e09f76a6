"""Shared test helpers: paths to the real fixtures copied from public repositories."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red build must be reproducible); locally, hypothesis
# explores new examples on each run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
REAL_DESCRIBES = sorted(p for p in (REAL / "describe").glob("*/*.json") if p.stem != "_global")


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def make_snapshot(tmp_path: Path) -> Callable[..., Path]:
    """Build a hand-made snapshot (only sobjects/*.json) from real describe files."""

    def build(*sources: Path, name: str = "snap") -> Path:
        root = tmp_path / name / "sobjects"
        root.mkdir(parents=True)
        for source in sources:
            shutil.copy(source, root / f"{load_json(source)['name']}.json")
        return root.parent

    return build


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> None:
    """Keep the default describe cache of every test out of the user's home directory."""
    monkeypatch.setenv("SFSCHEMA_CACHE_DIR", str(tmp_path_factory.mktemp("sfschema-cache")))
    for name in [name for name in os.environ if name.startswith("SF_")]:
        monkeypatch.delenv(name, raising=False)


CLI = "import sys; from sfschema.cli import main; sys.exit(main())"


@contextmanager
def served_cli(*flags: str) -> Iterator[dict[str, Any]]:
    """`sfschema emulator serve --json [FLAGS]` in a subprocess: its connection info (SIGINT
    stops it)."""
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "emulator", "serve", "--port", "0", "--json", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else "no output"
        yield json.loads(line)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                process.kill()


@pytest.fixture(scope="module")
def served_demo() -> Iterator[dict[str, Any]]:
    """The demo org served over HTTPS in a subprocess, for a module's tests."""
    with served_cli() as info:
        yield info
