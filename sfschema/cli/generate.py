"""``sfschema generate``: typed pydantic models of an org, from a snapshot (never the network)."""

from __future__ import annotations

from pathlib import Path

import click

from sfschema.cli.common import split_names
from sfschema.errors import CodegenError


@click.command()
@click.option(
    "--snapshot",
    type=click.Path(path_type=Path),
    required=True,
    help="Snapshot directory to read (a folder with sobjects/*.json is enough).",
)
@click.option(
    "--out",
    "out_text",
    metavar="PATH",
    required=True,
    help="Package directory to write, e.g. generated/myorg. Only files sfschema generated are "
    "replaced; any other file in the way stops the run.",
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
    snapshot: Path, out_text: str, objects: str | None, check: bool, org_name: str | None
) -> int:
    """Generate one module per object (<Object>, <Object>Create, <Object>Update, META).

    With --objects only the named objects' modules and the package __init__ are written; the
    other generated modules in --out stay (and stay listed) while their object is in the
    snapshot. Without it --out is regenerated whole. Objects are generated one at a time, so
    memory stays that of one object however large the org.

    \b
    Regenerate the committed demo models with:
    sfschema generate --snapshot sfschema/emulator/demo_org --out generated/demo
    """
    from codegen import output
    from codegen.plan import source_of
    from sfschema.schema import OrgSchema

    if not out_text.strip():
        raise CodegenError("--out is empty; give a package directory, e.g. --out generated/myorg")
    out = Path(out_text)
    output.check_out_dir(out)
    schema = OrgSchema.from_snapshot(snapshot)
    source = source_of(schema, org_name or out.resolve().name)
    package = output.package(schema, source, split_names(objects), out)
    if check:
        stale, changes = output.check(out, package)
        if stale:
            click.echo(changes, nl=False)
            click.echo(
                f"{out}: {len(stale)} file(s) out of date; run without --check to regenerate",
                err=True,
            )
            return 1
        click.echo(f"{out}: up to date ({len(package.names)} files)")
        return 0
    if not out.resolve().name.isidentifier():
        click.echo(
            f"note: {out.resolve().name!r} is not a Python package name; "
            "use a name like my_org to import the models",
            err=True,
        )
    touched = output.write(out, package)
    click.echo(
        f"{out}: {len(touched)} file(s) written or removed, {len(package.names)} in the package"
    )
    return 0
