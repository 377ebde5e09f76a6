"""Connections: simple-salesforce sessions as a describe ``Transport``, credentials from the
environment, and the built-in demo org.

Every simple-salesforce exception is translated here (and only here) into a SalesforceApiError.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceError

from sfschema.client.errors import api_error
from sfschema.client.wire import DEFAULT_TIMEOUT, Wire
from sfschema.describe.fetch import Identity, WireResponse
from sfschema.errors import AuthenticationError, SalesforceApiError, SfschemaError

if TYPE_CHECKING:
    from sfschema.emulator import Emulator

DEFAULT_API_VERSION = "59.0"
API_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]")  # 59.0; ASCII digits only (\d takes ٥٩)


class SalesforceTransport:
    """A ``sfschema.describe.fetch.Transport`` over a ``simple_salesforce.Salesforce``.

    Its requests go through a ``Wire`` (the Client's, when it has one): usage read, errors
    translated, the session refreshed, safe retries.
    """

    def __init__(
        self, sf: Salesforce, timeout: float = DEFAULT_TIMEOUT, wire: Wire | None = None
    ) -> None:
        self.sf = sf
        self.wire = wire if wire is not None else Wire(sf, timeout=timeout)
        self._identity: Identity | None = None

    @property
    def api_version(self) -> str:
        return str(self.sf.sf_version)

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> WireResponse:
        return self._call("GET", path, headers=dict(headers or {}))

    def post(self, path: str, body: Any) -> WireResponse:
        return self._call("POST", path, body=body)

    def api_usage(self) -> int | None:
        """Calls used by the org per the last Sforce-Limit-Info seen (304 answers included)."""
        usage = self.wire.api_usage
        return None if usage is None else usage[0]

    def identity(self) -> Identity:
        """Org id and user id of the session, from the OAuth userinfo endpoint (cached)."""
        if self._identity is None:
            info = self.userinfo()
            if "organization_id" not in info:
                raise SalesforceApiError("UNKNOWN_ERROR", "userinfo returned no organization_id")
            self._identity = Identity(
                org_id=str(info["organization_id"]),
                user_id=str(info["user_id"]),
                instance_url=f"https://{self.sf.sf_instance}",
            )
        return self._identity

    def userinfo(self) -> dict[str, Any]:
        """``GET /services/oauth2/userinfo``: who the session is (a refused one names the fix)."""
        try:
            answer = self.wire.request("GET", "/services/oauth2/userinfo", what="userinfo")
        except AuthenticationError as exc:
            raise AuthenticationError(
                "INVALID_SESSION_ID",
                f"https://{self.sf.sf_instance} refused the session ({exc.status}): "
                "set a valid SF_ACCESS_TOKEN, or log in with SF_USERNAME/SF_PASSWORD",
                exc.status,
            ) from exc
        except SalesforceApiError as exc:
            if exc.status in (401, 403):
                raise AuthenticationError(
                    "INVALID_SESSION_ID",
                    f"https://{self.sf.sf_instance} refused the session ({exc.status}): "
                    "set a valid SF_ACCESS_TOKEN, or log in with SF_USERNAME/SF_PASSWORD",
                    exc.status,
                ) from exc
            raise
        if not isinstance(answer.body, dict):
            raise SalesforceApiError("UNKNOWN_ERROR", "userinfo returned no organization_id")
        return answer.body

    def _call(
        self, method: str, path: str, headers: Mapping[str, str] | None = None, body: Any = None
    ) -> WireResponse:
        answer = self.wire.request(method, path, body=body, headers=headers, expected=(304,))
        return WireResponse(answer.status, answer.headers, answer.body)


def translate_error(exc: SalesforceError, what: str) -> SalesforceApiError:
    """One SalesforceApiError from a simple-salesforce exception (``client.errors.api_error``)."""
    return api_error(exc.status, exc.content, what)


@dataclass
class Connection:
    """A live connection and, for the demo org, the emulator behind it."""

    sf: Salesforce
    transport: SalesforceTransport
    emulator: Emulator | None = None
    label: str = ""


def connect_emulator(emulator: Emulator, label: str = "demo") -> Connection:
    """simple-salesforce over an in-process emulator (no sockets)."""
    sf = Salesforce(
        instance_url=emulator.instance_url,
        session_id=emulator.access_token,
        session=emulator.session(),
        version=emulator.api_version,
    )
    return Connection(sf, SalesforceTransport(sf), emulator, label)


def connect_demo() -> Connection:
    """The built-in demo org, served by a fresh in-process emulator."""
    from sfschema.emulator import Emulator

    return connect_emulator(Emulator.demo(), "demo")


def connect_env(environ: Mapping[str, str] | None = None) -> Connection | None:
    """A connection from SF_* environment variables, or None when none are set.

    ``SF_INSTANCE_URL`` + ``SF_ACCESS_TOKEN``, or ``SF_USERNAME`` / ``SF_PASSWORD`` /
    ``SF_SECURITY_TOKEN`` (+ ``SF_DOMAIN=test`` for sandboxes); ``SF_API_VERSION`` optional.
    """
    env = os.environ if environ is None else environ
    version = env.get("SF_API_VERSION") or DEFAULT_API_VERSION
    if not API_VERSION.fullmatch(version):
        raise SfschemaError(
            f"SF_API_VERSION={version!r} is not an API version: write it as 59.0 (ASCII digits, "
            "no leading v)"
        )
    session = requests.Session()
    for first, second in (("SF_INSTANCE_URL", "SF_ACCESS_TOKEN"), ("SF_USERNAME", "SF_PASSWORD")):
        if bool(env.get(first)) != bool(env.get(second)):
            present, missing = (first, second) if env.get(first) else (second, first)
            raise SfschemaError(f"{present} is set but {missing} is not; set both (or neither)")
    if env.get("SF_INSTANCE_URL"):
        check_instance_url(env["SF_INSTANCE_URL"])
    try:
        if env.get("SF_INSTANCE_URL") and env.get("SF_ACCESS_TOKEN"):
            sf = Salesforce(
                instance_url=env["SF_INSTANCE_URL"],
                session_id=env["SF_ACCESS_TOKEN"],
                version=version,
                session=session,
            )
        elif env.get("SF_USERNAME"):
            sf = Salesforce(
                username=env["SF_USERNAME"],
                password=env["SF_PASSWORD"],
                security_token=env.get("SF_SECURITY_TOKEN", ""),
                domain=env.get("SF_DOMAIN") or None,
                version=version,
                session=session,
            )
        else:
            return None
    except SalesforceAuthenticationFailed as exc:
        raise AuthenticationError(
            "INVALID_LOGIN", f"login refused for {env.get('SF_USERNAME')}: {exc.auth_message}"
        ) from exc
    except requests.RequestException as exc:
        raise SfschemaError(f"cannot reach Salesforce: {exc}") from exc
    return Connection(sf, SalesforceTransport(sf), None, env.get("SF_USERNAME", "env"))


_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z", re.ASCII)


def check_instance_url(value: str) -> None:
    """SF_INSTANCE_URL must be ``https://host[:port]`` (simple-salesforce speaks HTTPS only)."""
    fix = "use https://<host>[:port], e.g. https://yourorg.my.salesforce.com"
    shown = repr(value) if len(value) <= 100 else repr(value[:97] + "...")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise SfschemaError(f"SF_INSTANCE_URL {shown} is not a valid URL ({exc}); {fix}") from exc
    if parts.scheme.lower() not in ("https", "http"):
        raise SfschemaError(f"SF_INSTANCE_URL {shown} is not an https:// URL; {fix}")
    if parts.scheme.lower() == "http":
        raise SfschemaError(f"SF_INSTANCE_URL {shown}: Salesforce is served over https only; {fix}")
    host = parts.hostname or ""
    if parts.username is not None or not _HOST.match(host):
        # An IPv6 literal too: simple-salesforce builds its URLs from host:port without brackets.
        raise SfschemaError(f"SF_INSTANCE_URL {shown} has no valid host name or IPv4; {fix}")
    if port == 0:
        raise SfschemaError(f"SF_INSTANCE_URL {shown}: port must be 1-65535; {fix}")


def connect(org: str | None) -> Connection:
    """``--org demo``, else the SF_* environment, else (none set) the demo org.

    ``Connection.label`` says which: "demo (no SF_* credentials set)" in the last case, so a
    command line can tell its user.
    """
    if org == "demo":
        return connect_demo()
    if org not in (None, "env"):
        raise SfschemaError(f"unknown --org {org!r}: use 'demo' or set SF_* environment variables")
    connection = connect_env()
    if connection is None:
        connection = connect_demo()
        connection.label = FALLBACK_LABEL
    return connection


FALLBACK_LABEL = "demo (no SF_* credentials set)"
