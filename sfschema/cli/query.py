"""``sfschema query``: stream a query's rows as a table, JSON, JSON lines or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

import click

from sfschema.cli.common import parse_params
from sfschema.client import Client
from sfschema.client.session import FALLBACK_LABEL
from sfschema.errors import SfschemaError
from sfschema.soql.ast import Field, Query, SelectExpr

TABLE_SAMPLE = 100  # rows read before a table's column widths are fixed
TABLE_CELL = 40  # widest table cell; longer values end with "…"


def connect(org: str | None) -> Client:
    """``Client.connect``; falling back to the demo org is said on stderr."""
    client = Client.connect(org)
    if client.label == FALLBACK_LABEL:
        click.echo("sfschema: no SF_* credentials set; using the built-in demo org", err=True)
    return client


def org_option(func: Any) -> Any:
    return click.option(
        "--org",
        default=None,
        help="'demo' for the built-in demo org, 'env' for SF_* variables; default: SF_* if set, "
        "else demo.",
    )(func)


@click.command("query")
@click.argument("soql")
@click.option("--param", "param_values", multiple=True, metavar="NAME=VALUE", help="Bind :NAME.")
@org_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    default="table",
    show_default=True,
)
@click.option("--all-rows", is_flag=True, help="Include deleted and archived rows (queryAll).")
@click.option("--batch-size", type=int, default=None, help="Rows a page (200-2000).")
@click.option("--max-records", type=int, default=None, help="Stop after N rows.")
@click.option("--chain-pages", is_flag=True, help="Fetch up to five pages per API call.")
def query_command(
    soql: str,
    param_values: tuple[str, ...],
    org: str | None,
    output_format: str,
    all_rows: bool,
    batch_size: int | None,
    max_records: int | None,
    chain_pages: bool,
) -> None:
    """Run SOQL against the org (checked first) and stream its rows.

    SOQL is the query text, or '-' for stdin. Rows go to stdout as they arrive; one line on
    stderr says rows, pages and API calls.
    """
    text = sys.stdin.read() if soql == "-" else soql
    params = parse_params(param_values)
    client = connect(org)
    result = client.query(
        text,
        include_deleted=all_rows,
        batch_size=batch_size,
        max_records=max_records,
        chain_pages=chain_pages,
        **params,
    )
    out = sys.stdout
    writers: dict[str, Callable[[Iterable[Any], Query, IO[str]], None]] = {
        "table": write_table,
        "json": write_json,
        "jsonl": write_jsonl,
        "csv": write_csv,
    }
    writers[output_format](result, result.query, out)
    line = f"{result.rows} row(s), {result.pages} page(s), {result.api_calls} API call(s)"
    if result.truncated:
        line += f"; stopped at --max-records {max_records} of {result.total_size}"
    click.echo(line, err=True)


# -- output ----------------------------------------------------------------------------------------


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _dumps(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False, default=_default)


def write_jsonl(rows: Iterable[Any], query: Query, out: IO[str]) -> None:
    for row in rows:
        out.write(_dumps(row) + "\n")


def write_json(rows: Iterable[Any], query: Query, out: IO[str]) -> None:
    out.write("[")
    first = True
    for row in rows:
        out.write(("\n  " if first else ",\n  ") + _dumps(row))
        first = False
    out.write("\n]\n" if not first else "]\n")


def flatten(row: Any, prefix: str = "") -> dict[str, Any]:
    """Parent paths as ``Account.Name`` keys; child lists stay lists."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = prefix + key
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def columns(query: Query, first: dict[str, Any] | None) -> list[str]:
    """Column names from the SELECT list (parent paths dotted), else from the first row."""
    names: list[str] = []
    for item in query.select:
        if isinstance(item, SelectExpr) and isinstance(item.expr, Field) and item.alias is None:
            names.append(".".join(item.expr.path))
        elif first is not None:
            return list(first)
        else:
            return names
    return names


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return _dumps(value)
    return str(value)


class _Rows:
    """Flattened rows and their columns, the first row read ahead to name them."""

    def __init__(self, rows: Iterable[Any], query: Query) -> None:
        self._rows = iter(rows)
        head = next(self._rows, None)
        self._head = None if head is None else flatten(_as_dict(head))
        self.columns = columns(query, self._head)
        self._lookup = {name.lower(): name for name in self.columns}

    def __iter__(self) -> Iterator[list[str]]:
        if self._head is None:
            return
        yield self._cells(self._head)
        for row in self._rows:
            yield self._cells(flatten(_as_dict(row)))

    def _cells(self, flat: dict[str, Any]) -> list[str]:
        by_lower = {key.lower(): value for key, value in flat.items()}
        return [_cell(by_lower.get(name.lower())) for name in self.columns]


def _as_dict(row: Any) -> dict[str, Any]:
    if isinstance(row, dict):
        return row
    dump = getattr(row, "model_dump", None)
    if dump is None:
        raise SfschemaError(f"cannot write a {type(row).__name__} row")
    data: dict[str, Any] = dump(by_alias=True)
    return data


def write_csv(rows: Iterable[Any], query: Query, out: IO[str]) -> None:
    table = _Rows(rows, query)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for cells in table:
        writer.writerow(cells)


def write_table(rows: Iterable[Any], query: Query, out: IO[str]) -> None:
    """Columns as wide as the first rows need (at most TABLE_CELL), then streamed."""
    table = _Rows(rows, query)
    body = iter(table)
    sample = [cells for _, cells in zip(range(TABLE_SAMPLE), body, strict=False)]
    widths = [
        min(TABLE_CELL, max([len(name)] + [len(cells[i]) for cells in sample]))
        for i, name in enumerate(table.columns)
    ]

    def line(cells: list[str]) -> str:
        shown = [
            (c if len(c) <= w else c[: w - 1] + "…").ljust(w)
            for c, w in zip(cells, widths, strict=True)
        ]
        return "  ".join(shown).rstrip() + "\n"

    out.write(line(table.columns))
    out.write(line(["-" * w for w in widths]))
    for cells in sample:
        out.write(line(cells))
    for cells in body:
        out.write(line(cells))
