"""Start-up: ``parse`` imports no pydantic, and a fresh process loads lark's tables from the cache.

Times are measured in ``bench/soql.py``; these tests check the mechanisms, not the clock.
"""

from __future__ import annotations

import importlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import sfschema.soql

PROBE = """
import logging, sys
import lark
lark.logger.setLevel(logging.DEBUG)
from sfschema.soql import parse
print(repr(parse("SELECT Id FROM Account WHERE Name = 'x'").where.right.value))
LAZY = ("pydantic", "sfschema.schema", "sfschema.describe", "sfschema.soql.check",
        "sfschema.soql.builder")
print(sorted(m for m in LAZY if m in sys.modules))
"""


def _run(cache_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )


CHECK_PROBE = """
import importlib, sys
import sfschema.soql
module = importlib.import_module("sfschema.soql.check")  # before the package's check is used
from sfschema.soql import check
print(check is module.check, sys.modules["sfschema.soql.check"] is module)
"""


def test_the_check_submodule_never_hides_the_check_function() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK_PROBE], capture_output=True, text=True, check=True
    )
    assert result.stdout == "True True\n"


def test_a_fresh_process_loads_the_grammar_from_the_cache(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first.stdout == "'x'\n[]\n"  # parsed, and no pydantic or checker imported
    assert "Saving grammar to cache" in first.stderr
    [cached] = (tmp_path / "sfschema" / "soql-grammar").iterdir()
    assert stat.S_IMODE(cached.parent.stat().st_mode) == 0o700
    second = _run(tmp_path)
    assert second.stdout == first.stdout
    assert "Loading grammar from cache" in second.stderr
    assert "Saving grammar to cache" not in second.stderr  # nothing was rebuilt


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_directory_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "sfschema" / "soql-grammar"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    result = _run(tmp_path)
    assert result.stdout == "'x'\n[]\n"
    assert "cache" not in result.stderr.lower()  # neither loaded nor saved: built in memory
    assert list(shared.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_symlinked_cache_file_is_not_followed(tmp_path: Path) -> None:
    _run(tmp_path)
    [cached] = (tmp_path / "sfschema" / "soql-grammar").iterdir()
    target = tmp_path / "elsewhere"
    cached.rename(target)
    cached.symlink_to(target)
    result = _run(tmp_path)
    assert result.stdout == "'x'\n[]\n"
    assert "cache" not in result.stderr.lower()


def test_every_public_name_loads() -> None:
    lazy = sfschema.soql._EXPORTS
    assert sorted(sfschema.soql.__all__) == sorted(lazy)
    for name, module in lazy.items():
        assert getattr(sfschema.soql, name) is getattr(importlib.import_module(module), name)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        sfschema.soql.nope  # noqa: B018
