"""``sfschema generate``: typed pydantic models of an org, from a snapshot (never the network)."""

from __future__ import annotations

from pathlib import Path

import click

from sfschema.cli.common import split_names


@click.command()
@click.option(
    "--snapshot",
    type=click.Path(path_type=Path),
    required=True,
    help="Snapshot directory to read (a folder with sobjects/*.json is enough).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Package directory to write, e.g. generated/myorg.",
)
@click.option(
    "--objects",
    default=None,
    help="Comma-separated object names to (re)generate; other modules already in --out are kept "
    "(default: every object, and modules of objects gone from the snapshot are removed).",
)
@click.option("--check", is_flag=True, help="Write nothing; print a diff and exit 1 if stale.")
@click.option("--org-name", default=None, help="Org name for file headers (default: --out's name).")
def generate(
    snapshot: Path, out: Path, objects: str | None, check: bool, org_name: str | None
) -> int:
    """Generate one module per object (<Object>, <Object>Create, <Object>Update, META).

    With --objects only the named objects' modules and the package __init__ are written; the
    other generated modules in --out stay (and stay listed) while their object is in the
    snapshot. Without it --out is regenerated whole.

    \b
    Regenerate the committed demo models with:
    sfschema generate --snapshot sfschema/emulator/demo_org --out generated/demo
    """
    from codegen.output import (
        added_files,
        check_out_dir,
        diff,
        package_files,
        stale_files,
        write,
    )
    from codegen.plan import source_of
    from sfschema.schema import OrgSchema

    check_out_dir(out)
    schema = OrgSchema.from_snapshot(snapshot)
    source = source_of(schema, snapshot, org_name or out.resolve().name)
    named = split_names(objects)
    files = added_files(schema, source, out, named) if named else package_files(schema, source)
    if check:
        changes = diff(out, files)
        if changes:
            click.echo(changes, nl=False)
            stale = stale_files(out, files)
            click.echo(
                f"{out}: {len(stale)} file(s) out of date; run without --check to regenerate",
                err=True,
            )
            return 1
        click.echo(f"{out}: up to date ({len(files)} files)")
        return 0
    if not out.resolve().name.isidentifier():
        click.echo(
            f"note: {out.resolve().name!r} is not a Python package name; "
            "use a name like my_org to import the models",
            err=True,
        )
    touched = write(out, files)
    click.echo(f"{out}: {len(touched)} file(s) written or removed, {len(files)} in the package")
    return 0
