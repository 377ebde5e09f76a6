"""The ``>>>`` examples in codegen/ (outside pytest's --doctest-modules paths) run here."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["codegen.build", "codegen.naming", "codegen.plan", "codegen.pysource", "codegen.typemap"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
