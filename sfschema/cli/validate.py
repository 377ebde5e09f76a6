"""``sfschema validate``: check field values against the schema before they cost an API call."""

from __future__ import annotations

import contextlib
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from sfschema.cli.common import load_schema, org_options
from sfschema.errors import SfschemaError
from sfschema.schema import OrgSchema
from sfschema.validate import validate_create, validate_update


@click.command()
@click.argument("object_name")
@click.option("--id", "record_id", default=None, help="Validate an update of this record.")
@click.option("--create", "create", is_flag=True, help="Validate a create.")
@click.option(
    "--values",
    "values",
    required=True,
    help="Field values as a JSON object, or @FILE to read them from a file (@- for stdin).",
)
@click.option("--record-type", default=None, help="Record type: name, developer name or id.")
@click.option("--strict", is_flag=True, help="Unknown open-picklist values are errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@org_options
def validate(
    object_name: str,
    record_id: str | None,
    create: bool,
    values: str,
    record_type: str | None,
    strict: bool,
    as_json: bool,
    org: str | None,
    snapshot: Path | None,
) -> int:
    """Check field VALUES for a create or an update of OBJECT_NAME.

    Exit 0 when Salesforce would accept them, 1 with a report of every problem otherwise.

    \b
    sfschema validate Opportunity --org demo --id 006000000000001AAA \\
        --values '{"StageName": "closed won"}'
    """
    if create == (record_id is not None):
        raise click.UsageError("give --id ID (update) or --create, exactly one of them")
    field_values = read_values(values)
    schema = load_schema(org, snapshot, [object_name])
    targets = relationship_targets(schema, object_name, field_values)
    if targets:  # relationships set by external id: their targets' describes say the keys
        # a target the org does not describe: the report says its key was not checked
        with contextlib.suppress(SfschemaError):
            schema = load_schema(org, snapshot, [object_name, *targets])
    if create:
        report = validate_create(schema, object_name, field_values, record_type, strict)
    else:
        assert record_id is not None
        report = validate_update(schema, object_name, record_id, field_values, record_type, strict)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(str(report))
        if report.ok:
            click.echo("payload: " + json.dumps(report.payload, ensure_ascii=False))
    return 0 if report.ok else 1


#: How deep --values may nest: field values (1), a relationship by external id (2) with its
#: ``attributes`` (3), and room for lists of values.
MAX_JSON_DEPTH = 16
#: Ints longer than Python parses (its int-from-text limit) are read as Decimal: a number of any
#: length becomes a report entry, not a ValueError.
_INT_DIGITS = 4_300


def relationship_targets(schema: OrgSchema, object_name: str, field_values: Any) -> list[str]:
    """The objects not in ``schema`` that relationships in ``field_values`` point to
    (``{"Account__r": {"Key__c": "X"}}`` → Account; a polymorphic one by its attributes.type)."""
    if not isinstance(field_values, dict) or schema.find(object_name) is None:
        return []
    wanted: list[str] = []
    for key, value in field_values.items():
        if not isinstance(value, dict) or not isinstance(key, str):
            continue
        reference = schema.parent_relationship(object_name, key)
        if reference is None:
            continue
        attributes = value.get("attributes")
        kind = attributes.get("type") if isinstance(attributes, dict) else None
        targets: tuple[str, ...] = (
            tuple(reference.referenceTo) if len(reference.referenceTo) == 1 else ()
        )
        if isinstance(kind, str):
            targets = tuple(name for name in reference.referenceTo if name.lower() == kind.lower())
        wanted += [name for name in targets if not schema.has_object(name) and name not in wanted]
    return wanted


def read_values(option: str) -> Any:
    """Parse --values: inline JSON, @FILE or @- (stdin); bad input is one clear SfschemaError.

    Numbers with a fraction or an exponent are read as ``Decimal`` (exact), and so are ints too
    long for Python's int parser. JSON nested deeper than ``MAX_JSON_DEPTH`` is refused.
    """
    where = "the inline JSON"
    text = option
    if option.startswith("@"):
        name = option[1:]
        where = "stdin" if name == "-" else name
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise SfschemaError(f"--values: cannot read {where}: {reason}") from exc
    too_deep = SfschemaError(
        f"--values: {where} nests more than {MAX_JSON_DEPTH} levels deep (field values are an "
        "object of values; a relationship by external id adds one level, its attributes one more)"
    )
    try:
        # Decimal, not float: a number keeps every digit it was written with, so the validator
        # sees the value as given (and warns with PRECISION_LOSS / SCALE_ROUNDED) instead of a
        # float that already lost digits before validation.
        values = json.loads(text, parse_float=Decimal, parse_int=_int_or_decimal)
    except json.JSONDecodeError as exc:
        raise SfschemaError(
            f"--values: {where} is not valid JSON: {exc.msg} at line {exc.lineno} column "
            f'{exc.colno} (expected an object such as \'{{"Name": "Acme"}}\')'
        ) from exc
    except RecursionError as exc:  # deeper than the parser goes
        raise too_deep from exc
    if json_depth(values) > MAX_JSON_DEPTH:
        raise too_deep
    return values


def json_depth(value: Any) -> int:
    """The deepest nesting of lists and dicts in parsed JSON (no recursion)."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _int_or_decimal(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= _INT_DIGITS else Decimal(digits)
