"""Options and loaders shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from sfschema.client.session import Connection
    from sfschema.schema import OrgSchema

F = TypeVar("F", bound=Callable[..., Any])


def org_options(func: F) -> F:
    """``--org demo`` / ``--snapshot DIR``: where the schema comes from."""
    func = click.option(
        "--snapshot",
        type=click.Path(path_type=Path),
        default=None,
        help="Read the schema from a snapshot directory (no network).",
    )(func)
    func = click.option(
        "--org",
        default=None,
        help="'demo' for the built-in demo org; default: SF_* environment, else demo.",
    )(func)
    return func


def load_schema(
    org: str | None, snapshot: Path | None, objects: list[str] | None = None
) -> OrgSchema:
    """A schema from a snapshot directory, or fetched (and cached) from the org."""
    from sfschema.schema import OrgSchema  # the describe models load only for commands using them

    if snapshot is not None:
        if org is not None:
            raise click.UsageError("give --org or --snapshot, not both")
        return OrgSchema.from_snapshot(snapshot)
    from sfschema.describe.cache import DescribeCache

    return OrgSchema.from_cache(DescribeCache(open_connection(org).transport), objects)


def open_connection(org: str | None) -> Connection:
    """Connect as ``--org`` says; when falling back to the demo org, say so on stderr."""
    from sfschema.client.session import FALLBACK_LABEL, connect

    connection = connect(org)
    if connection.label == FALLBACK_LABEL:
        click.echo("sfschema: no SF_* credentials set; using the built-in demo org", err=True)
    return connection


def split_names(value: str | None) -> list[str] | None:
    """'A,B' → ['A', 'B']; None stays None."""
    if value is None:
        return None
    names = [part.strip() for part in value.split(",") if part.strip()]
    if not names:
        raise click.BadParameter("give at least one object name")
    return names


def parse_params(values: tuple[str, ...]) -> dict[str, Any]:
    """``--param NAME=VALUE`` options as command-line values (typed by the field they meet)."""
    from sfschema.soql.params import ParamText

    params: dict[str, Any] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: write NAME=VALUE", param_hint="--param")
        params[name.strip()] = ParamText(value)
    return params
