"""``sfschema soql check`` and ``sfschema soql format``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from sfschema.cli import cli
from sfschema.errors import SoqlSyntaxError
from sfschema.schema import OrgSchema
from sfschema.soql.check import Diagnostic, check
from sfschema.soql.compiler import render
from sfschema.soql.params import ParamText, bind, placeholders
from sfschema.soql.parser import parse


@cli.group()
def soql() -> None:
    """Check SOQL against an org's schema, or lay it out for reading."""


def _read(query: str) -> str:
    return sys.stdin.read() if query == "-" else query


def _schema(org: str | None, snapshot: Path | None) -> OrgSchema | None:
    if snapshot is not None and org is not None:
        raise click.UsageError("give --org or --snapshot, not both")
    if snapshot is not None:
        return OrgSchema.from_snapshot(snapshot)
    if org == "demo":
        return OrgSchema.demo()
    if org is not None:
        from sfschema.cli.common import load_schema

        return load_schema(org, None)
    return None


def _params(values: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: write NAME=VALUE", param_hint="--param")
        params[name.strip()] = ParamText(value)
    return params


def _caret(text: str, diagnostic: Diagnostic) -> list[str]:
    if diagnostic.line is None or diagnostic.column is None:
        return []
    line = text.splitlines()[diagnostic.line - 1] if text.splitlines() else ""
    return ["  " + line, "  " + " " * (diagnostic.column - 1) + "^"]


@soql.command("check")
@click.argument("query")
@click.option("--snapshot", type=click.Path(path_type=Path), help="A snapshot directory.")
@click.option("--org", default=None, help="'demo' for the built-in demo org (no network).")
@click.option("--param", "param_values", multiple=True, metavar="NAME=VALUE", help="Bind :NAME.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def check_command(
    ctx: click.Context,
    query: str,
    snapshot: Path | None,
    org: str | None,
    param_values: tuple[str, ...],
    as_json: bool,
) -> None:
    """Check QUERY (or '-' for stdin); exit 0 without errors (warnings allowed), 1 with."""
    text = _read(query)
    schema = _schema(org, snapshot)
    params = _params(param_values)
    names: list[str] = []
    bound_text: str | None = None
    try:
        tree = parse(text, params=True)
    except SoqlSyntaxError as exc:
        diagnostics = check(text, schema)
        assert diagnostics and diagnostics[0].code == exc.code
    else:
        names = placeholders(tree)
        if params or not names:
            tree = bind(tree, params, schema)
            if names:  # positions must point into the text that is shown: the bound one
                bound_text = render(tree)
                tree = parse(bound_text)
        diagnostics = check(tree, schema, text=text if bound_text is None else bound_text)
    errors = [d for d in diagnostics if d.is_error]
    warnings = [d for d in diagnostics if not d.is_error]
    source = None if schema is None else schema.source
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": not errors,
                    "soql": bound_text if bound_text is not None else text,
                    "schema": source,
                    "placeholders": names,
                    "errors": len(errors),
                    "warnings": len(warnings),
                    "diagnostics": [d.to_json() for d in diagnostics],
                },
                indent=2,
            )
        )
    else:
        shown = bound_text if bound_text is not None else text
        if bound_text is not None:
            click.echo(f"bound: {bound_text}")
        for diagnostic in diagnostics:
            where = (
                f" at {diagnostic.line}:{diagnostic.column}" if diagnostic.line is not None else ""
            )
            click.echo(f"{diagnostic.severity} {diagnostic.code}{where}: {diagnostic.message}")
            for line in _caret(shown, diagnostic):
                click.echo(line)
            if diagnostic.suggestion:
                click.echo(f"  suggestion: {diagnostic.suggestion}")
        if names and bound_text is None and not errors:
            click.echo("placeholders not bound: " + ", ".join(":" + n for n in names))
        against = f"against {source}" if source else "without a schema (give --snapshot or --org)"
        verdict = "OK" if not errors else "FAILED"
        click.echo(f"{verdict}: {len(errors)} error(s), {len(warnings)} warning(s), {against}")
    ctx.exit(1 if errors else 0)


@soql.command("format")
@click.argument("query")
@click.option("--oneline", is_flag=True, help="One line instead of one clause a line.")
def format_command(query: str, oneline: bool) -> None:
    """Print QUERY (or '-' for stdin) laid out canonically; parse errors exit 2."""
    tree = parse(_read(query), params=True)
    click.echo(render(tree, pretty=not oneline))
