"""``sfschema emulator serve``: the offline org over HTTPS on 127.0.0.1."""

from __future__ import annotations

import json
import signal
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sfschema.emulator.serve import ServedEmulator


@click.group()
def emulator() -> None:
    """The offline Salesforce org emulator."""


@emulator.command()
@click.option(
    "--org",
    "org",
    default="demo",
    show_default=True,
    help="'demo' or a snapshot directory (a folder of sobjects/*.json is enough).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="TCP port; 0 picks a free one.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object, then serve.")
def serve(org: str, port: int, as_json: bool) -> None:
    """Serve the org over HTTPS until stopped (Ctrl-C)."""
    from sfschema.emulator import Emulator
    from sfschema.emulator.serve import serve as serve_https

    emu = Emulator.demo() if org == "demo" else Emulator.from_snapshot(org)
    # SIGTERM (a service manager, `kill`) stops it as cleanly as Ctrl-C: certificates removed.
    # Installed before anything is printed, so a client that read the URL may stop it at once.
    signal.signal(signal.SIGTERM, _interrupt)
    served: ServedEmulator | None = None
    try:
        served = serve_https(emu, port=port)
        _announce(served.connection_info(), org, as_json)
        served.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if served is not None:
            served.close()


def _announce(info: dict[str, Any], org: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(info, sort_keys=True))
        return
    click.echo(f"sfschema emulator: {'demo org' if org == 'demo' else org}")
    click.echo(f"  instance URL:   {info['instance_url']}")
    click.echo(f"  CA bundle:      {info['ca_bundle']}  (requests: verify=<this path>)")
    click.echo(f"  username:       {info['username']}")
    click.echo(f"  password:       {info['password']}")
    click.echo(f"  security token: {info['security_token']}")
    click.echo(f"  access token:   {info['access_token']}")
    click.echo("Serving until Ctrl-C.")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
