"""Rendering: plans → Python source text through jinja2 templates (loops and substitution only).

The environment uses StrictUndefined (a missing value is an error, never an empty string) and
keeps trailing newlines. Filters lay out statements with ``codegen.pysource``.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from codegen.plan import Alias, Attribute, ObjectPlan, PackagePlan
from codegen.pysource import Code, Dict, Expr, ImportFrom, layout, lit, too_long


def _statement(value: Alias | Expr, prefix: str = "") -> str:
    if isinstance(value, Alias):
        return layout(f"{value.name} = ", value.expr)
    return layout(prefix, value)


def _attribute(attribute: Attribute) -> str:
    if attribute.default is None:
        return layout(attribute.prefix, indent=4)
    return layout(attribute.prefix + " = ", attribute.default, indent=4)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared jinja2 environment (templates are compiled once per process)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("codegen", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["statement"] = _statement
    env.filters["attribute"] = _attribute
    return env


def _with_noqa(template: str, **context: object) -> str:
    text = environment().get_template(template).render(noqa=False, **context)
    if any(too_long(line) for line in text.splitlines()):
        # A literal longer than a line (a long picklist value or label) cannot be split.
        text = environment().get_template(template).render(noqa=True, **context)
    return text


def render_object(plan: ObjectPlan) -> str:
    """The source of one object module."""
    return _with_noqa("object.py.jinja2", plan=plan, names=plan.names)


def render_package(package: PackagePlan) -> str:
    """The source of the package ``__init__.py`` (lazy loading of object modules)."""
    typing_imports = [
        ImportFrom(f".{entry.module}", (f"{name} as {name}",)).render(indent=4)
        for entry in sorted(package.objects, key=lambda entry: natural_key(entry.module))
        for name in sorted(
            (entry.names.read, entry.names.create, entry.names.update), key=natural_key
        )
    ]
    objects = Dict(tuple((lit(o.api_name), lit(o.module)) for o in package.objects))
    exports = Dict(tuple((lit(name), lit(module)) for name, module in package.exports))
    return _with_noqa(
        "package.py.jinja2",
        package=package,
        typing_imports=typing_imports,
        objects=objects if objects.items else Code("{}"),
        exports=exports if exports.items else Code("{}"),
    )


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key close to the natural order ruff's isort uses for module names."""
    key: list[tuple[int, int, str]] = []
    run = ""
    for char in text.lower():
        if char.isdigit():
            run += char
            continue
        if run:
            key.append((0, int(run), run))
            run = ""
        key.append((1, ord(char), char))
    if run:
        key.append((0, int(run), run))
    return tuple(key)
