"""``sfschema status``: the "verify connection" step — who, where, API usage, cache freshness."""

from __future__ import annotations

import json

import click

from sfschema.cli.query import connect, org_option


@click.command("status")
@org_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status_command(org: str | None, as_json: bool) -> None:
    """Check the session: user, org, instance, API version, API usage and describe cache."""
    status = connect(org).status()
    if as_json:
        click.echo(json.dumps(status, indent=2))
        return
    usage = status["api_usage"]
    used, total = usage["used"], usage["max"]
    share = f" ({100 * used // total}%)" if used is not None and total else ""
    cache = status["describe_cache"]
    age = cache["oldest_check_seconds"]
    kind = "sandbox" if status["sandbox"] else "production"
    lines = [
        f"user:           {status['user']} ({status['user_id']})",
        f"org:            {status['org_id']} ({kind})",
        f"instance:       {status['instance_url']}",
        f"api version:    {status['api_version']}",
        f"api usage:      {used}/{total}{share} calls in the last 24 hours",
        f"describe cache: {cache['objects']} object(s)"
        + (f", oldest checked {age} s ago" if age is not None else "")
        + f" (fresh for {cache['ttl_seconds']:.0f} s) in {cache['directory']}",
    ]
    for line in lines:
        click.echo(line)
