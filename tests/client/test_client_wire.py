"""The Wire: backoff, usage accounting, the 80% warning, session refresh by login, errors."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfschema.client import (
    ApiUsageWarning,
    AuthenticationError,
    Client,
    PasswordLogin,
    RetryPolicy,
    SalesforceApiError,
)
from sfschema.client.errors import api_error
from sfschema.client.session import connect_emulator
from sfschema.emulator import DEMO_USER, Emulator, EmulatorSettings


@given(
    attempt=st.integers(min_value=0, max_value=10_000),
    base=st.floats(min_value=0.001, max_value=10),
    cap=st.floats(min_value=0.001, max_value=100),
    seed=st.integers(),
)
def test_backoff_is_bounded_and_jittered(attempt: int, base: float, cap: float, seed: int) -> None:
    policy = RetryPolicy(base=base, cap=cap, seed=seed)
    delay = policy.delay(attempt)
    ceiling = min(cap, base * 2.0 ** min(attempt, 30))
    assert ceiling / 2 <= delay < ceiling or delay == ceiling / 2


def test_backoff_is_reproducible_under_a_seed() -> None:
    one, two = RetryPolicy(seed=42), RetryPolicy(seed=42)
    assert [one.delay(n) for n in range(6)] == [two.delay(n) for n in range(6)]
    assert [round(RetryPolicy(seed=42).delay(n) / (0.5 * 2**n), 6) <= 1.0 for n in range(4)] == [
        True
    ] * 4


def test_api_calls_follow_the_orgs_count() -> None:
    client = Client.demo()
    client.describe("Account")  # global describe + one /composite
    assert client.api_calls == client.emulator.api_calls == 2  # type: ignore[union-attr]
    list(client.query("SELECT Id FROM Account"))
    assert client.api_calls == 3
    assert client.api_usage == (3, 15000)


def test_eighty_percent_of_the_allowance_warns_once() -> None:
    emu = Emulator.demo(settings=EmulatorSettings(daily_api_max=5))
    client = Client.for_emulator(emu)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            client.query("SELECT Id FROM Account").count()
    usage = [w for w in caught if issubclass(w.category, ApiUsageWarning)]
    assert [str(w.message) for w in usage] == ["the org has used 4 of its 5 daily API calls (80%)"]


def test_an_expired_session_logs_in_again_with_username_and_password() -> None:
    emu = Emulator.demo()
    login = PasswordLogin(DEMO_USER.username, DEMO_USER.password, DEMO_USER.security_token)
    client = Client(connect_emulator(emu).sf, refresher=login, emulator=emu)
    client.describe("Account")
    emu.expire_tokens()
    assert [r["Name"] for r in client.query("SELECT Name FROM Account ORDER BY Name LIMIT 1")] == [
        "Acme Corporation"
    ]
    assert client.wire.refreshes == 1


def test_without_a_way_to_refresh_an_expired_session_is_one_clear_error() -> None:
    emu = Emulator.demo()
    client = Client(connect_emulator(emu).sf, emulator=emu)
    client.describe("Account")
    emu.expire_tokens()
    with pytest.raises(AuthenticationError) as caught:
        client.query("SELECT Id FROM Account").count()
    assert str(caught.value) == (
        "INVALID_SESSION_ID: query (count): Session expired or invalid (give the client a "
        "refresh token or username/password (SF_REFRESH_TOKEN + SF_CLIENT_ID, or "
        "SF_USERNAME/SF_PASSWORD), or a fresh SF_ACCESS_TOKEN)"
    )


def test_a_revoked_refresh_token_is_one_clear_error() -> None:
    emu = Emulator.demo()
    client = Client.for_emulator(emu)
    client.describe("Account")
    emu.org.tokens.revoke_refresh_tokens()
    emu.expire_tokens()
    with pytest.raises(AuthenticationError) as caught:
        client.query("SELECT Id FROM Account").count()
    assert str(caught.value) == (
        "invalid_grant: refreshing the session: expired access/refresh token "
        "(get a new refresh token, e.g. log in again)"
    )


def test_error_arrays_become_one_salesforce_api_error() -> None:
    body = [
        {"message": "bad value", "errorCode": "STRING_TOO_LONG", "fields": ["Name"]},
        {"message": "second", "errorCode": "OTHER"},
    ]
    error = api_error(400, body, "create Account")
    assert (type(error), error.error_code, error.message, error.status, error.fields) == (
        SalesforceApiError,
        "STRING_TOO_LONG",
        "create Account: bad value",
        400,
        ["Name"],
    )
    html = api_error(502, "<html>bad gateway</html>", "query")
    assert (html.error_code, html.message) == (
        "UNKNOWN_ERROR",
        "query: HTTP 502: not a Salesforce error body",
    )
    expired = api_error(
        401, [{"message": "Session expired", "errorCode": "INVALID_SESSION_ID"}], "x"
    )
    assert isinstance(expired, AuthenticationError)
