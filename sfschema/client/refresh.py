"""Ways to get a new session when Salesforce answers 401 INVALID_SESSION_ID.

Sources: "OAuth 2.0 Refresh Token Flow for Renewed Sessions", "OAuth 2.0 Username-Password
Flow" (Salesforce Help); simple-salesforce's ``SalesforceLogin`` for the SOAP login.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import requests
from simple_salesforce.login import SalesforceLogin

from sfschema.client.errors import api_error
from sfschema.errors import AuthenticationError


@dataclass(frozen=True)
class OAuthRefresh:
    """``grant_type=refresh_token`` at the token endpoint (login host or My Domain)."""

    token_url: str
    client_id: str
    refresh_token: str
    client_secret: str | None = None

    def __call__(self, session: requests.Session) -> tuple[str, str]:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token,
            "client_id": self.client_id,
            "format": "json",
        }
        if self.client_secret:
            form["client_secret"] = self.client_secret
        response = session.post(self.token_url, data=form, timeout=60)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or not isinstance(body, dict):
            error = api_error(response.status_code, body, "refreshing the session")
            raise AuthenticationError(
                error.error_code,
                f"{error.message} (get a new refresh token, e.g. log in again)",
                response.status_code,
            )
        return str(body["access_token"]), str(body.get("instance_url") or "")


@dataclass(frozen=True)
class PasswordLogin:
    """The username-password login again (simple-salesforce's SOAP login)."""

    username: str
    password: str
    security_token: str = ""
    domain: str | None = None
    version: str = "59.0"

    def __call__(self, session: requests.Session) -> tuple[str, str]:
        token, instance = SalesforceLogin(
            username=self.username,
            password=self.password,
            security_token=self.security_token,
            domain=self.domain,
            sf_version=self.version,
            session=session,
        )
        return str(token), f"https://{instance}"


def refresher_from_env(
    environ: Mapping[str, str] | None = None,
) -> OAuthRefresh | PasswordLogin | None:
    """``SF_REFRESH_TOKEN`` + ``SF_CLIENT_ID`` (+ ``SF_CLIENT_SECRET``, token URL from
    ``SF_TOKEN_URL`` or ``SF_INSTANCE_URL``), else ``SF_USERNAME``/``SF_PASSWORD``; else None."""
    env = os.environ if environ is None else environ
    if env.get("SF_REFRESH_TOKEN") and env.get("SF_CLIENT_ID"):
        base = env.get("SF_INSTANCE_URL") or "https://login.salesforce.com"
        return OAuthRefresh(
            token_url=env.get("SF_TOKEN_URL") or base.rstrip("/") + "/services/oauth2/token",
            client_id=env["SF_CLIENT_ID"],
            refresh_token=env["SF_REFRESH_TOKEN"],
            client_secret=env.get("SF_CLIENT_SECRET") or None,
        )
    if env.get("SF_USERNAME") and env.get("SF_PASSWORD"):
        return PasswordLogin(
            username=env["SF_USERNAME"],
            password=env["SF_PASSWORD"],
            security_token=env.get("SF_SECURITY_TOKEN", ""),
            domain=env.get("SF_DOMAIN") or None,
            version=env.get("SF_API_VERSION", "59.0"),
        )
    return None
