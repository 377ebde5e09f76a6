"""The Emulator: one org (state), its WSGI app (wire) and sessions that reach it in process."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from requests import Session

from sfschema.demo import DEMO_INSTANCE_URL, demo_org_dir
from sfschema.emulator.adapter import WsgiAdapter
from sfschema.emulator.clock import Clock
from sfschema.emulator.faults import Faults
from sfschema.emulator.org import Org
from sfschema.emulator.requestlog import RequestLog
from sfschema.emulator.settings import EmulatorSettings
from sfschema.emulator.users import DEFAULT_USERS, DEMO_USER, User
from sfschema.emulator.wire import WireApp

LOGIN_URLS = ("https://login.salesforce.com", "https://test.salesforce.com")
SNAPSHOT_INSTANCE_URL = "https://emulator.my.salesforce.com"


class Emulator:
    """A Salesforce-compatible org served in process (and over HTTPS by ``serve``).

    >>> from simple_salesforce import Salesforce
    >>> emu = Emulator.demo()
    >>> sf = Salesforce(instance_url=emu.instance_url, session_id=emu.access_token,
    ...                 session=emu.session())
    >>> sf.Opportunity.describe()["name"], emu.api_calls
    ('Opportunity', 1)
    """

    def __init__(self, org: Org, instance_url: str) -> None:
        self.org = org
        self.instance_url = instance_url.rstrip("/")
        self.wsgi_app = WireApp(org, self.instance_url)
        self._access_token: str | None = None

    @classmethod
    def demo(
        cls,
        *,
        settings: EmulatorSettings | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        faults: Faults | None = None,
    ) -> Emulator:
        """The built-in demo org: fresh seed records on every call, or those kept in
        ``state_dir`` (plain JSON files, written after every request that changes records)."""
        return cls.from_snapshot(
            demo_org_dir(),
            settings=settings,
            instance_url=DEMO_INSTANCE_URL,
            state_dir=state_dir,
            faults=faults,
        )

    @classmethod
    def from_snapshot(
        cls,
        path: str | os.PathLike[str],
        *,
        settings: EmulatorSettings | None = None,
        instance_url: str | None = None,
        users: Iterable[User] = DEFAULT_USERS,
        org_id: str | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        faults: Faults | None = None,
    ) -> Emulator:
        """An org serving any snapshot directory (a folder of ``sobjects/*.json`` is enough)."""
        org = Org(
            path, settings=settings, users=users, org_id=org_id, state_dir=state_dir, faults=faults
        )
        return cls(org, instance_url or SNAPSHOT_INSTANCE_URL)

    def set_instance_url(self, instance_url: str) -> None:
        """Serve under another base URL (``serve`` uses the loopback HTTPS address)."""
        self.instance_url = instance_url.rstrip("/")
        self.wsgi_app.instance_url = self.instance_url

    # -- identity ------------------------------------------------------------------------------

    @property
    def settings(self) -> EmulatorSettings:
        return self.org.settings

    @property
    def api_version(self) -> str:
        """The newest API version served (``/services/data/`` lists older ones too)."""
        return f"{self.org.settings.max_api_version}.0"

    @property
    def org_id(self) -> str:
        return self.org.org_id

    @property
    def user_id(self) -> str:
        """The demo user's id (the user of ``access_token``)."""
        return DEMO_USER.user_id

    @property
    def access_token(self) -> str:
        """A valid access token for DEMO_USER (a new one after ``expire_tokens``)."""
        token = self._access_token
        if token is None or self.org.tokens.user_for_access_token(token) is None:
            token = self._access_token = self.org.tokens.issue_access_token(DEMO_USER)
        return token

    def token_for(self, user: User) -> str:
        """A fresh access token for another user of the org."""
        if self.org.tokens.user_named(user.username) is None:
            self.org.tokens.add_user(user)
        return self.org.tokens.issue_access_token(user)

    def refresh_token_for(self, user: User = DEMO_USER) -> str:
        """A refresh token (as the web-server OAuth flow would have issued it)."""
        return self.org.tokens.issue_refresh_token(user)

    def expire_tokens(self) -> None:
        """Every access token issued so far becomes invalid (REST answers 401)."""
        self.org.tokens.expire_access_tokens()

    @property
    def clock(self) -> Clock:
        """The org's clock (record timestamps, SOQL date literals): ``emu.clock.set(moment)``."""
        return self.org.clock

    # -- records, faults and the request log ---------------------------------------------------

    def seed(self, object_name: str, rows: Iterable[Mapping[str, Any]]) -> list[str]:
        """Create records as the demo user, through the same rules as the REST API (not
        charged as API calls); their new ids, in order.

        >>> emu = Emulator.demo()
        >>> [new] = emu.seed("Account", [{"Name": "Initech"}])
        >>> new[:3], emu.api_calls
        ('001', 0)
        """
        made = [self.org.writer.create(DEMO_USER, object_name, dict(row)) for row in rows]
        self.org.records.commit()
        return made

    @property
    def faults(self) -> Faults:
        """Injected faults (``emu.faults.lock_rate = 0.1``, ``emu.faults.timeout_on = {3}`` …)."""
        return self.org.faults

    @property
    def requests(self) -> RequestLog:
        """Every HTTP request answered: method, path, status, API calls charged, ids written."""
        return self.wsgi_app.requests

    # -- usage and metadata --------------------------------------------------------------------

    @property
    def api_calls(self) -> int:
        """API calls spent, counted as Salesforce counts them."""
        return self.org.api_calls

    def reset_counter(self) -> None:
        self.org.api_calls = 0

    @property
    def latency(self) -> float:
        """Seconds slept per HTTP request handled (for benchmarks)."""
        return self.wsgi_app.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.wsgi_app.latency = float(seconds)

    def touch(self, object_name: str) -> None:
        """Bump the object's metadata Last-Modified to now (its describe changes date)."""
        self.org.touch(object_name)

    # -- transport -----------------------------------------------------------------------------

    def session(self) -> Session:
        """A requests.Session whose requests to this org and the login hosts stay in process."""
        session = Session()
        adapter = WsgiAdapter(self.wsgi_app)
        for prefix in (self.instance_url, *LOGIN_URLS):
            session.mount(prefix + "/", adapter)
        return session
