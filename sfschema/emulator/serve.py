"""The emulator's WSGI app over HTTPS on the loopback interface (trustme certificate)."""

from __future__ import annotations

import ssl
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trustme
from werkzeug.serving import BaseWSGIServer, make_server

from sfschema.emulator.emulator import Emulator
from sfschema.emulator.users import DEMO_USER

HOST = "127.0.0.1"


@dataclass
class ServedEmulator:
    """A running HTTPS server and what a client needs to reach it."""

    emulator: Emulator
    server: BaseWSGIServer
    ca_bundle: Path
    _tempdir: tempfile.TemporaryDirectory[str]
    _started: bool = False

    @property
    def instance_url(self) -> str:
        return self.emulator.instance_url

    def connection_info(self) -> dict[str, Any]:
        """Everything a client needs, as printed by ``sfschema emulator serve --json``."""
        return {
            "instance_url": self.instance_url,
            "ca_bundle": str(self.ca_bundle),
            "access_token": self.emulator.access_token,
            "username": DEMO_USER.username,
            "password": DEMO_USER.password,
            "security_token": DEMO_USER.security_token,
        }

    def serve_forever(self) -> None:
        self._started = True
        self.server.serve_forever()

    def start_in_thread(self) -> threading.Thread:
        """Serve in a daemon thread (for tests and benchmarks); stop with ``close()``."""
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._started = True
        thread.start()
        return thread

    def close(self) -> None:
        """Stop serving and remove the CA bundle."""
        if self._started:  # shutdown() waits for a loop that never ran otherwise
            self.server.shutdown()
        self.server.server_close()
        self._tempdir.cleanup()


def serve(emulator: Emulator, port: int = 0) -> ServedEmulator:
    """Bind the emulator's app over HTTPS on 127.0.0.1 (port 0 = a free port).

    The emulator's instance URL becomes ``https://127.0.0.1:<port>``, so the URLs it hands out
    (login responses, identity) point at the server. Call ``serve_forever`` or
    ``start_in_thread``. Every describe of the snapshot is read first: a broken file stops the
    start with a SnapshotError naming it, instead of 500 answers later.
    """
    emulator.org.check()
    authority = trustme.CA()
    certificate = authority.issue_cert(HOST, "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    tempdir = tempfile.TemporaryDirectory(prefix="sfschema-emulator-")
    ca_bundle = Path(tempdir.name) / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_bundle))
    server = make_server(HOST, port, emulator.wsgi_app, threaded=True, ssl_context=context)
    emulator.set_instance_url(f"https://{HOST}:{server.server_port}")
    return ServedEmulator(emulator, server, ca_bundle, tempdir)
