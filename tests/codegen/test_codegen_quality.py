"""Generated code passes ruff and mypy --strict, imports, and loads lazily."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.codegen_helpers import (
    BIN,
    PYPROJECT,
    REAL_SOURCES,
    ROOT,
    generate,
    odd_describes,
    real_snapshot,
    run_tool,
    snapshot_from,
)

USER_CODE = """\
import datetime as dt
import decimal

from {pkg}.opportunity import OpportunityCreate, OpportunityUpdate
from {odd} import Odd__cUpdate

ok = OpportunityUpdate(StageName="Closed Won", Amount=decimal.Decimal("10"))
stage: str = ok.StageName
created = OpportunityCreate(Name="Deal", StageName="Prospecting", CloseDate=dt.date(2024, 1, 2))
bad_none = OpportunityUpdate(StageName=None)
bad_pick = OpportunityUpdate(ForecastCategoryName="Nope")
bad_name = OpportunityUpdate(Stagename="typo")
missing = OpportunityCreate(StageName="Prospecting", CloseDate=dt.date(2024, 1, 2))
odd = Odd__cUpdate(class_="x")
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Packages generated from every real describe source and from the odd hand-made snapshot."""
    root = tmp_path_factory.mktemp("generated")
    snapshots = tmp_path_factory.mktemp("snapshots")
    for source in REAL_SOURCES:
        generate(real_snapshot(snapshots, source), root / _package(source), source)
    generate(snapshot_from(snapshots / "odd", odd_describes()), root / "odd_org", "odd")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m.split(".")[0] in _names(root)]:
        del sys.modules[name]


def _package(source: str) -> str:
    return "real_" + source.replace("-", "_")


def _names(root: Path) -> set[str]:
    return {path.name for path in root.iterdir()}


def test_ruff_check_and_format_pass(packages: Path) -> None:
    check = run_tool(BIN / "ruff", "check", "--config", PYPROJECT, packages)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = run_tool(BIN / "ruff", "format", "--check", "--config", PYPROJECT, packages)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_every_module_imports_and_builds(packages: Path) -> None:
    count = 0
    for package in sorted(_names(packages)):
        root = importlib.import_module(package)
        for api_name, module_name in root.OBJECTS.items():
            module = importlib.import_module(f"{package}.{module_name}")
            for model in module.MODELS:
                model.model_rebuild(force=True)  # builds the deferred schema: fails loudly
                assert getattr(root, model.__name__) is model
            assert module.META.name == api_name
            count += 1
    assert count == 8 + 1 + 5 + 1 + len(odd_describes())


def _mypy(packages: Path, config: Path, *files: Path) -> list[str]:
    result = run_tool(
        BIN / "mypy",
        "--strict",
        "--config-file",
        config,
        "--cache-dir",
        config.parent / ".mypy_cache",
        *sorted(_names(packages)),
        *files,
        cwd=packages,
    )
    assert "error:" in result.stdout or result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def test_generated_code_passes_mypy_strict(packages: Path) -> None:
    assert _mypy(packages, PYPROJECT) == []


def test_typed_init_catches_misuse(packages: Path, tmp_path: Path) -> None:
    """With the pydantic plugin's init_typed, mypy sees None, bad literals and typos."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nplugins = pydantic.mypy\n\n[pydantic-mypy]\ninit_typed = True\n")
    user = tmp_path / "user_code.py"
    user.write_text(USER_CODE.format(pkg="real_cumulusci", odd="odd_org"))
    lines = _mypy(packages, config, user)
    assert all(line.startswith(f"{user}:") for line in lines), lines
    assert [line.split(": error: ")[1] for line in lines] == [
        'Argument "StageName" to "OpportunityUpdate" has incompatible type "None"; '
        'expected "str"  [arg-type]',
        'Argument "ForecastCategoryName" to "OpportunityUpdate" has incompatible type '
        "\"Literal['Nope']\"; expected \"Literal['Omitted', 'Pipeline', 'Best Case', "
        "'Commit', 'Closed'] | None\"  [arg-type]",
        'Unexpected keyword argument "Stagename" for "OpportunityUpdate"; '
        'did you mean "StageName"?  [call-arg]',
        'Missing named argument "Name" for "OpportunityCreate"  [call-arg]',
    ]


def test_package_loads_object_modules_lazily() -> None:
    code = textwrap.dedent(
        """
        import json, sys
        import generated.demo as demo
        before = sorted(m for m in sys.modules if m.startswith("generated.demo."))
        from generated.demo import OpportunityUpdate
        after = sorted(m for m in sys.modules if m.startswith("generated.demo."))
        print(json.dumps([before, after, OpportunityUpdate.__module__]))
        """
    )
    result = run_tool(sys.executable, "-c", code, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        [],
        ["generated.demo.opportunity"],
        "generated.demo.opportunity",
    ]


def test_unknown_package_attribute_is_an_attribute_error() -> None:
    import generated.demo as demo

    with pytest.raises(AttributeError, match="has no attribute 'Opportunity_Update'"):
        _ = demo.Opportunity_Update
    assert {"OpportunityUpdate", "InvoiceUpdate"} & set(dir(demo)) == {"OpportunityUpdate"}
