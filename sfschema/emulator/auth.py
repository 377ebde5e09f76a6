"""Credentials and tokens of the emulated org: logins, access tokens, refresh tokens."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass

from sfschema.emulator.users import User
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import INVALID_LOGIN

_TOKEN_ALPHABET = string.ascii_letters + string.digits + "._"
INVALID_LOGIN_MESSAGE = "Invalid username, password, security token; or user locked out."


@dataclass
class _Token:
    user: User
    valid: bool = True


class TokenStore:
    """Issues and checks tokens. Access tokens look like Salesforce's: ``<15-char org id>!…``."""

    def __init__(self, org_id15: str, users: Iterable[User]) -> None:
        self._org_id15 = org_id15
        self._users = {user.username.lower(): user for user in users}
        self._access: dict[str, _Token] = {}
        self._refresh: dict[str, _Token] = {}

    @property
    def users(self) -> list[User]:
        """Every user of the org."""
        return list(self._users.values())

    def user_named(self, username: str) -> User | None:
        """A user by username (case-insensitive), or None."""
        return self._users.get(username.strip().lower())

    def add_user(self, user: User) -> None:
        """Make a user known to the org (logins and tokens)."""
        self._users[user.username.lower()] = user

    def check_password(self, username: str, password: str, require_token: bool) -> User:
        """The user for these credentials (password + security token, as an API login sends).

        Raises EmulatorError INVALID_LOGIN (status 500 like the SOAP fault) when they are wrong.
        """
        user = self.user_named(username)
        if user is not None:
            if password == user.password + user.security_token:
                return user
            if not require_token and password == user.password:
                return user
        raise EmulatorError(INVALID_LOGIN, INVALID_LOGIN_MESSAGE, status=500)

    def issue_access_token(self, user: User) -> str:
        """A new access token for the user."""
        token = f"{self._org_id15}!AQ" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(94))
        self._access[token] = _Token(user)
        return token

    def issue_refresh_token(self, user: User) -> str:
        """A new refresh token for the user (valid until revoked)."""
        token = "5Aep" + "".join(
            secrets.choice(string.ascii_letters + string.digits + ".") for _ in range(83)
        )
        self._refresh[token] = _Token(user)
        return token

    def user_for_access_token(self, token: str) -> User | None:
        """The user of a valid access token; None for an unknown, revoked or expired one."""
        found = self._access.get(token)
        return found.user if found is not None and found.valid else None

    def user_for_refresh_token(self, token: str) -> User | None:
        """The user of a valid refresh token, or None."""
        found = self._refresh.get(token)
        return found.user if found is not None and found.valid else None

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working (refresh tokens stay valid)."""
        for token in self._access.values():
            token.valid = False

    def revoke_refresh_tokens(self) -> None:
        """Every refresh token issued so far stops working."""
        for token in self._refresh.values():
            token.valid = False
