"""Authentication endpoints: the SOAP login simple-salesforce posts, the OAuth 2.0 token
endpoint (password and refresh_token grants) and the identity / userinfo endpoints (Salesforce
Help: OAuth 2.0 Username-Password Flow, OAuth 2.0 Refresh Token Flow, Identity URLs).

None of these count as API calls.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
import xml.etree.ElementTree as ElementTree
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request

from sfschema import ids
from sfschema.emulator.formats import sf_datetime, utc_now
from sfschema.emulator.http import Reply, not_found
from sfschema.emulator.users import User
from sfschema.errors import EmulatorError
from sfschema.salesforce_errors import EMULATOR_NOT_IMPLEMENTED

if TYPE_CHECKING:
    from sfschema.emulator.wire import WireApp

XML_TYPE = "text/xml;charset=UTF-8"
# "59.0" or "59" (simple-salesforce sends the former); anything else is an unsupported version.
_SOAP_VERSION = re.compile(r"^([0-9]{1,3})(?:\.[0-9])?$")
# Grants Salesforce has that the emulator does not implement: 501, never unsupported_grant_type.
_UNIMPLEMENTED_GRANTS = {
    "urn:ietf:params:oauth:grant-type:jwt-bearer": "JWT bearer",
    "client_credentials": "client credentials",
    "authorization_code": "web server (authorization code)",
    "urn:ietf:params:oauth:grant-type:saml2-bearer": "SAML bearer",
    "device": "device",
    "urn:ietf:params:oauth:grant-type:token-exchange": "token exchange",
}
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TEST_HOST = "test.salesforce.com"


# -- SOAP login --------------------------------------------------------------------------------


def soap_login(app: WireApp, request: Request, args: dict[str, str]) -> Reply:
    """``POST /services/Soap/u/<version>`` with a partner ``login`` envelope."""
    version = args["version"]
    settings = app.org.settings
    matched = _SOAP_VERSION.match(version)
    major = int(matched[1]) if matched else -1
    if not settings.min_api_version <= major <= settings.max_api_version:
        return _soap_fault("UNSUPPORTED_API_VERSION", f"Unsupported API version: {version}")
    try:
        root = ElementTree.fromstring(request.get_data())
    except ElementTree.ParseError as exc:
        return _soap_fault("INVALID_XML", f"Unable to parse the request body: {exc}", "Client")
    values = {element.tag.rsplit("}", 1)[-1]: (element.text or "") for element in root.iter()}
    if "login" not in values:
        return _soap_fault("INVALID_OPERATION", "Only the login operation is emulated", "Client")
    try:
        user = app.org.tokens.check_password(
            values.get("username", ""), values.get("password", ""), settings.require_security_token
        )
    except EmulatorError as exc:
        return _soap_fault(exc.error_code, exc.message)
    session_id = app.org.tokens.issue_access_token(user)
    org15 = ids.to15(app.org.org_id)
    base = app.instance_url
    fields = {
        "metadataServerUrl": f"{base}/services/Soap/m/{version}/{org15}",
        "passwordExpired": "false",
        "sandbox": "true" if request.host == TEST_HOST else "false",
        "serverUrl": f"{base}/services/Soap/u/{version}/{org15}",
        "sessionId": session_id,
        "userId": user.user_id,
    }
    info = _soap_user_info(app, user)
    result = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    result += "<userInfo>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in info.items())
    result += "</userInfo>"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns="urn:partner.soap.sforce.com" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<soapenv:Body><loginResponse><result>{result}</result></loginResponse>"
        "</soapenv:Body></soapenv:Envelope>"
    )
    return Reply(200, raw=body.encode(), content_type=XML_TYPE)


def _soap_user_info(app: WireApp, user: User) -> dict[str, str]:
    return {
        "currencySymbol": "$",
        "organizationId": app.org.org_id,
        "organizationMultiCurrency": "false",
        "organizationName": "sfschema demo org",
        "profileId": ids.make_id("00e", 1 + (user.profile != "System Administrator")),
        "sessionSecondsValid": "7200",
        "userEmail": user.username,
        "userFullName": user.display_name,
        "userId": user.user_id,
        "userLanguage": "en_US",
        "userLocale": "en_US",
        "userName": user.username,
        "userTimeZone": "America/Los_Angeles",
        "userType": "Standard",
    }


def _soap_fault(code: str, message: str, fault: str = "sf") -> Reply:
    """A login fault: simple-salesforce reads sf:exceptionCode / sf:exceptionMessage."""
    faultcode = f"sf:{code}" if fault == "sf" else f"soapenv:{fault}"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" '
        'xmlns:sf="urn:fault.partner.soap.sforce.com" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<soapenv:Body><soapenv:Fault><faultcode>{faultcode}</faultcode>"
        f"<faultstring>{escape(code)}: {escape(message)}</faultstring>"
        '<detail><sf:LoginFault xsi:type="sf:LoginFault">'
        f"<sf:exceptionCode>{escape(code)}</sf:exceptionCode>"
        f"<sf:exceptionMessage>{escape(message)}</sf:exceptionMessage>"
        "</sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    return Reply(500, raw=body.encode(), content_type=XML_TYPE)


# -- OAuth 2.0 token endpoint ------------------------------------------------------------------


def _oauth_error(error: str, description: str) -> Reply:
    return Reply(400, {"error": error, "error_description": description})


def token(app: WireApp, request: Request, args: dict[str, str]) -> Reply:
    """``POST /services/oauth2/token`` (form-encoded): password and refresh_token grants."""
    form = request.form
    grant = form.get("grant_type", "")
    if grant in _UNIMPLEMENTED_GRANTS:
        raise EmulatorError(
            EMULATOR_NOT_IMPLEMENTED,
            f"The sfschema emulator does not implement the {_UNIMPLEMENTED_GRANTS[grant]} OAuth "
            "flow; log in with grant_type=password or refresh_token, or use "
            "Emulator.access_token",
            501,
        )
    if grant not in ("password", "refresh_token"):
        return _oauth_error("unsupported_grant_type", "grant type not supported")
    if not form.get("client_id"):
        return _oauth_error("invalid_client_id", "client identifier invalid")
    tokens = app.org.tokens
    refresh_token = None
    if grant == "password":
        try:
            user = tokens.check_password(
                form.get("username", ""),
                form.get("password", ""),
                app.org.settings.require_security_token,
            )
        except EmulatorError:
            return _oauth_error("invalid_grant", "authentication failure")
        if app.org.settings.password_grant_issues_refresh_token:
            refresh_token = tokens.issue_refresh_token(user)
    else:
        found = tokens.user_for_refresh_token(form.get("refresh_token", ""))
        if found is None:
            return _oauth_error("invalid_grant", "expired access/refresh token")
        user = found
    identity_url = f"{_login_base(request)}/id/{app.org.org_id}/{user.user_id}"
    issued_at = str(int(time.time() * 1000))
    secret = form.get("client_secret", "").encode()
    signature = hmac.new(secret, (identity_url + issued_at).encode(), hashlib.sha256).digest()
    body: dict[str, Any] = {
        "access_token": tokens.issue_access_token(user),
        "id": identity_url,
        "instance_url": app.instance_url,
        "issued_at": issued_at,
        "signature": base64.b64encode(signature).decode(),
        "token_type": "Bearer",
    }
    if grant == "refresh_token":
        body["scope"] = "api refresh_token"
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    return Reply(200, dict(sorted(body.items())))


def _login_base(request: Request) -> str:
    return f"https://{TEST_HOST}" if request.host == TEST_HOST else "https://login.salesforce.com"


# -- identity ----------------------------------------------------------------------------------


def _bearer_user(app: WireApp, request: Request) -> User | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    token_value = value.strip() if scheme.lower() in ("bearer", "oauth") else ""
    return app.org.tokens.user_for_access_token(token_value) if token_value else None


def _bad_token(app: WireApp) -> Reply:
    settings = app.org.settings
    return Reply(
        settings.identity_bad_token_status,
        raw=settings.identity_bad_token_body.encode(),
        content_type="text/plain;charset=UTF-8",
    )


def _urls(app: WireApp, user: User) -> dict[str, str]:
    base, org = app.instance_url, app.org.org_id
    data = f"{base}/services/data/v{{version}}"
    return {
        "enterprise": f"{base}/services/Soap/c/{{version}}/{org}",
        "metadata": f"{base}/services/Soap/m/{{version}}/{org}",
        "partner": f"{base}/services/Soap/u/{{version}}/{org}",
        "rest": f"{data}/",
        "sobjects": f"{data}/sobjects/",
        "search": f"{data}/search/",
        "query": f"{data}/query/",
        "recent": f"{data}/recent/",
        "tooling_soap": f"{base}/services/Soap/T/{{version}}/{org}",
        "tooling_rest": f"{data}/tooling/",
        "profile": f"{base}/{user.user_id}",
        "custom_domain": base,
    }


def _names(user: User) -> tuple[str, str]:
    first, _, last = user.display_name.partition(" ")
    return first, last


def identity(app: WireApp, request: Request, args: dict[str, str]) -> Reply:
    """``GET /id/<orgId>/<userId>``: who the token belongs to."""
    user = _bearer_user(app, request)
    if user is None:
        return _bad_token(app)
    org_id, user_id = args["org_id"], args["user_id"]
    if not (ids.is_valid(org_id) and ids.is_valid(user_id)):
        raise not_found()
    if not (ids.same_id(org_id, app.org.org_id) and ids.same_id(user_id, user.user_id)):
        return _bad_token(app)
    first, last = _names(user)
    body = {
        "id": f"{_login_base(request)}/id/{app.org.org_id}/{user.user_id}",
        "asserted_user": True,
        "user_id": user.user_id,
        "organization_id": app.org.org_id,
        "username": user.username,
        "nick_name": user.username.split("@", 1)[0],
        "display_name": user.display_name,
        "email": user.username,
        "email_verified": True,
        "first_name": first,
        "last_name": last,
        "timezone": "America/Los_Angeles",
        "active": True,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": -28800000,
        "last_modified_date": sf_datetime(utc_now()),
        "is_app_installed": True,
        "urls": _urls(app, user),
    }
    return Reply(200, body)


def userinfo(app: WireApp, request: Request, args: dict[str, str]) -> Reply:
    """``GET /services/oauth2/userinfo``: the OpenID Connect view of the same facts."""
    user = _bearer_user(app, request)
    if user is None:
        return _bad_token(app)
    first, last = _names(user)
    body = {
        "sub": f"{_login_base(request)}/id/{app.org.org_id}/{user.user_id}",
        "user_id": user.user_id,
        "organization_id": app.org.org_id,
        "preferred_username": user.username,
        "nickname": user.username.split("@", 1)[0],
        "name": user.display_name,
        "email": user.username,
        "email_verified": True,
        "given_name": first,
        "family_name": last,
        "zoneinfo": "America/Los_Angeles",
        "active": True,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": -28800000,
        "updated_at": sf_datetime(utc_now()),
        "is_app_installed": True,
        "urls": _urls(app, user),
    }
    return Reply(200, body)
