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
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, writable=True),
    default=None,
    help="Keep records in this directory across restarts (plain JSON files). "
    "Without it every start is a fresh copy of the seed records.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of injected faults.")
@click.option(
    "--lock-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Fraction of record writes that fail with UNABLE_TO_LOCK_ROW.",
)
@click.option(
    "--locked-id",
    "locked_ids",
    multiple=True,
    help="A record id whose writes fail with UNABLE_TO_LOCK_ROW (repeatable).",
)
@click.option(
    "--expire-session-after",
    type=click.IntRange(0),
    default=None,
    help="Expire every access token after this many REST requests (401 INVALID_SESSION_ID).",
)
@click.option(
    "--unavailable-on",
    type=click.IntRange(1),
    multiple=True,
    help="Answer this REST request number 503 (repeatable; requests count from 1).",
)
@click.option(
    "--timeout-on",
    type=click.IntRange(1),
    multiple=True,
    help="Process this REST request number but answer only after --timeout-seconds.",
)
@click.option("--timeout-seconds", type=click.FloatRange(0.0), default=30.0, show_default=True)
@click.option(
    "--request-limit",
    type=click.IntRange(0),
    default=None,
    help="REQUEST_LIMIT_EXCEEDED once this many API calls were charged.",
)
def serve(
    org: str,
    port: int,
    as_json: bool,
    state_dir: str | None,
    seed: int,
    lock_rate: float,
    locked_ids: tuple[str, ...],
    expire_session_after: int | None,
    unavailable_on: tuple[int, ...],
    timeout_on: tuple[int, ...],
    timeout_seconds: float,
    request_limit: int | None,
) -> None:
    """Serve the org over HTTPS until stopped (Ctrl-C)."""
    from sfschema.emulator import Emulator
    from sfschema.emulator.faults import Faults
    from sfschema.emulator.serve import serve as serve_https

    faults = Faults(
        seed=seed,
        locked_ids=set(locked_ids),
        lock_rate=lock_rate,
        expire_session_after=expire_session_after,
        unavailable_on=set(unavailable_on),
        timeout_on=set(timeout_on),
        timeout_seconds=timeout_seconds,
        request_limit=request_limit,
    )
    if org == "demo":
        emu = Emulator.demo(state_dir=state_dir, faults=faults)
    else:
        emu = Emulator.from_snapshot(org, state_dir=state_dir, faults=faults)
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
