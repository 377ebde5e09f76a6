"""Logins and tokens: SOAP login, OAuth token endpoint, identity, expired sessions."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceExpiredSession

from sfschema.emulator import DEMO_USER, READONLY_USER, Emulator
from tests.emulator.conftest import bearer, client

INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
LOGIN_URL = "https://login.salesforce.com"


def password_client(
    emu: Emulator, domain: str | None = None, password: str | None = None
) -> Salesforce:
    return Salesforce(
        username=DEMO_USER.username,
        password=password or DEMO_USER.password,
        security_token=DEMO_USER.security_token,
        session=emu.session(),
        domain=domain,
    )


@pytest.mark.parametrize("domain", [None, "test"])
def test_soap_login_with_username_password_and_token(
    sf_emulator: Emulator, domain: str | None
) -> None:
    sf = password_client(sf_emulator, domain)
    assert sf.sf_instance == "demo.my.salesforce.com"
    assert sf.session_id.startswith(sf_emulator.org_id[:15] + "!")
    assert sf.Account.describe()["name"] == "Account"
    assert sf_emulator.api_calls == 1  # the login itself is free


def test_bad_password_is_salesforce_authentication_failed(sf_emulator: Emulator) -> None:
    with pytest.raises(SalesforceAuthenticationFailed) as raised:
        password_client(sf_emulator, password="wrong")
    assert (raised.value.code, raised.value.auth_message) == (
        "INVALID_LOGIN",
        "Invalid username, password, security token; or user locked out.",
    )


def test_password_without_security_token_is_refused_by_default(sf_emulator: Emulator) -> None:
    with pytest.raises(SalesforceAuthenticationFailed):
        Salesforce(
            username=DEMO_USER.username,
            password=DEMO_USER.password,
            organizationId=sf_emulator.org_id[:15],
            session=sf_emulator.session(),
        )
    sf_emulator.settings.require_security_token = False
    sf = Salesforce(
        username=DEMO_USER.username,
        password=DEMO_USER.password,
        organizationId=sf_emulator.org_id[:15],
        session=sf_emulator.session(),
    )
    assert sf.Lead.describe()["name"] == "Lead"


def test_expired_token_is_401_invalid_session_id(sf_emulator: Emulator) -> None:
    sf = client(sf_emulator)
    sf_emulator.expire_tokens()
    with pytest.raises(SalesforceExpiredSession) as raised:
        sf.Opportunity.describe()
    assert (raised.value.status, raised.value.content) == (401, INVALID_SESSION)
    assert sf_emulator.api_calls == 0
    assert client(sf_emulator).Opportunity.describe()["name"] == "Opportunity"


def test_unknown_and_missing_tokens_are_401(sf_emulator: Emulator) -> None:
    session = sf_emulator.session()
    url = f"{sf_emulator.instance_url}/services/data/v59.0/sobjects/"
    for headers in ({}, bearer("00D000000000001!nope"), {"Authorization": "Basic abc"}):
        reply = session.get(url, headers=headers)
        assert (reply.status_code, reply.json()) == (401, INVALID_SESSION)
        assert reply.headers["Sforce-Limit-Info"] == "api-usage=0/15000"


def test_password_login_client_logs_in_again_after_expiry(sf_emulator: Emulator) -> None:
    sf = password_client(sf_emulator)
    first = sf.session_id
    sf_emulator.expire_tokens()
    assert sf.describe()["sobjects"][0]["name"] == "Account"
    assert sf.session_id != first


def oauth(emu: Emulator, base: str = LOGIN_URL, **form: str) -> tuple[int, dict[str, object]]:
    reply = emu.session().post(f"{base}/services/oauth2/token", data=form)
    return reply.status_code, reply.json()


def test_oauth_password_grant(sf_emulator: Emulator) -> None:
    status, body = oauth(
        sf_emulator,
        grant_type="password",
        client_id="3MVG9-demo",
        client_secret="s3cret",
        username=DEMO_USER.username,
        password=DEMO_USER.password + DEMO_USER.security_token,
    )
    assert status == 200
    assert sorted(body) == [
        "access_token", "id", "instance_url", "issued_at", "signature", "token_type",
    ]  # fmt: skip
    assert body["instance_url"] == "https://demo.my.salesforce.com"
    assert body["id"] == f"{LOGIN_URL}/id/{sf_emulator.org_id}/{DEMO_USER.user_id}"
    assert body["token_type"] == "Bearer"
    assert str(body["access_token"]).startswith(sf_emulator.org_id[:15] + "!")
    assert client(sf_emulator, str(body["access_token"])).Task.describe()["name"] == "Task"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        (
            {"grant_type": "password", "client_id": "c", "username": DEMO_USER.username,
             "password": "bad"},
            {"error": "invalid_grant", "error_description": "authentication failure"},
        ),
        (
            {"grant_type": "password", "username": DEMO_USER.username, "password": "x"},
            {"error": "invalid_client_id", "error_description": "client identifier invalid"},
        ),
        (
            {"grant_type": "refresh_token", "client_id": "c", "refresh_token": "5Aep-unknown"},
            {"error": "invalid_grant", "error_description": "expired access/refresh token"},
        ),
        (
            {"grant_type": "magic", "client_id": "c", "code": "x"},
            {"error": "unsupported_grant_type", "error_description": "grant type not supported"},
        ),
    ],
)  # fmt: skip
def test_oauth_errors(sf_emulator: Emulator, form: dict[str, str], error: dict[str, str]) -> None:
    assert oauth(sf_emulator, **form) == (400, error)


@pytest.mark.parametrize(
    ("grant", "flow"),
    [
        ("urn:ietf:params:oauth:grant-type:jwt-bearer", "JWT bearer"),
        ("client_credentials", "client credentials"),
        ("authorization_code", "web server (authorization code)"),
    ],
)
def test_oauth_grants_the_emulator_lacks_are_501(
    sf_emulator: Emulator, grant: str, flow: str
) -> None:
    """Salesforce has these grants: the emulator says it lacks them (not unsupported_grant_type)."""
    assert oauth(sf_emulator, grant_type=grant, client_id="c", assertion="x.y.z") == (
        501,
        [
            {
                "message": f"The sfschema emulator does not implement the {flow} OAuth flow; "
                "log in with grant_type=password or refresh_token, or use Emulator.access_token",
                "errorCode": "EMULATOR_NOT_IMPLEMENTED",
            }
        ],
    )
    assert sf_emulator.api_calls == 0


def test_oauth_refresh_grant_after_expiry(sf_emulator: Emulator) -> None:
    refresh_token = sf_emulator.refresh_token_for(READONLY_USER)
    old = sf_emulator.token_for(READONLY_USER)
    sf_emulator.expire_tokens()
    status, body = oauth(
        sf_emulator,
        base=sf_emulator.instance_url,
        grant_type="refresh_token",
        client_id="3MVG9-demo",
        refresh_token=refresh_token,
    )
    assert status == 200
    assert sorted(body) == [
        "access_token", "id", "instance_url", "issued_at", "scope", "signature", "token_type",
    ]  # fmt: skip
    assert body["id"] == f"{LOGIN_URL}/id/{sf_emulator.org_id}/{READONLY_USER.user_id}"
    assert body["access_token"] != old
    fresh = client(sf_emulator, str(body["access_token"]))
    assert "Amount" not in {f["name"] for f in fresh.Opportunity.describe()["fields"]}


def test_password_grant_can_issue_refresh_tokens_when_configured(sf_emulator: Emulator) -> None:
    sf_emulator.settings.password_grant_issues_refresh_token = True
    _, body = oauth(
        sf_emulator,
        grant_type="password",
        client_id="c",
        username=DEMO_USER.username,
        password=DEMO_USER.password + DEMO_USER.security_token,
    )
    status, refreshed = oauth(
        sf_emulator,
        grant_type="refresh_token",
        client_id="c",
        refresh_token=str(body["refresh_token"]),
    )
    assert status == 200 and refreshed["id"] == body["id"]


def test_identity_and_userinfo_name_org_and_user(sf_emulator: Emulator) -> None:
    session = sf_emulator.session()
    token = sf_emulator.access_token
    identity = session.get(
        f"{LOGIN_URL}/id/{sf_emulator.org_id}/{sf_emulator.user_id}", headers=bearer(token)
    ).json()
    assert (identity["organization_id"], identity["user_id"], identity["username"]) == (
        sf_emulator.org_id,
        DEMO_USER.user_id,
        DEMO_USER.username,
    )
    assert identity["urls"]["rest"] == "https://demo.my.salesforce.com/services/data/v{version}/"
    info = session.get(
        f"{sf_emulator.instance_url}/services/oauth2/userinfo", headers=bearer(token)
    )
    assert info.json()["sub"] == f"{LOGIN_URL}/id/{sf_emulator.org_id}/{DEMO_USER.user_id}"
    assert (info.json()["organization_id"], info.json()["user_id"]) == (
        sf_emulator.org_id,
        DEMO_USER.user_id,
    )
    assert sf_emulator.api_calls == 0


def test_identity_with_bad_token(sf_emulator: Emulator) -> None:
    reply = sf_emulator.session().get(
        f"{sf_emulator.instance_url}/services/oauth2/userinfo", headers=bearer("nope")
    )
    assert (reply.status_code, reply.text) == (403, "Bad_OAuth_Token")
    other = sf_emulator.session().get(
        f"{LOGIN_URL}/id/{sf_emulator.org_id}/{READONLY_USER.user_id}",
        headers=bearer(sf_emulator.access_token),
    )
    assert (other.status_code, other.text) == (403, "Bad_OAuth_Token")
