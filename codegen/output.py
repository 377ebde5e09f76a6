"""Generated packages on disk: render every file, write them, or diff them against a directory."""

from __future__ import annotations

import difflib
from pathlib import Path

from codegen.plan import Source, plan_package
from codegen.render import render_object, render_package
from sfschema.describe.snapshot import write_atomic
from sfschema.schema import OrgSchema


def package_files(
    schema: OrgSchema, source: Source, objects: list[str] | None = None
) -> dict[str, str]:
    """File name → source of a generated package: ``__init__.py`` and one module per object."""
    package, plans = plan_package(schema, source, objects)
    files = {"__init__.py": render_package(package)}
    for plan in plans:
        files[f"{plan.module}.py"] = render_object(plan)
    return dict(sorted(files.items()))


def stale_files(out: Path, files: dict[str, str]) -> list[str]:
    """Names of generated files that are missing or differ, and stale ``.py`` files to delete."""
    changed = [
        name
        for name, text in files.items()
        if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
    ]
    extra = sorted(path.name for path in out.glob("*.py") if path.name not in files)
    return changed + extra


def diff(out: Path, files: dict[str, str]) -> str:
    """A unified diff from the files in ``out`` to the files that would be generated."""
    chunks: list[str] = []
    for name in stale_files(out, files):
        path = out / name
        old = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.is_file() else []
        new = files.get(name, "").splitlines(keepends=True)
        chunks.extend(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
    return "".join(chunks)


def write(out: Path, files: dict[str, str]) -> list[str]:
    """Write changed files (atomically) and remove stale modules; returns the names touched."""
    touched = stale_files(out, files)
    out.mkdir(parents=True, exist_ok=True)
    for name in touched:
        if name in files:
            write_atomic(out / name, files[name].encode("utf-8"))
            (out / name).chmod(0o644)
        else:
            (out / name).unlink()
    return touched
