"""The in-process transport: what requests sends is what the WSGI app sees, and back."""

from __future__ import annotations

import json
from typing import Any

import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.wrappers import Request, Response

from sfschema.emulator import Emulator
from sfschema.emulator.adapter import WsgiAdapter

INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


@Request.application  # type: ignore[arg-type]
def echo(request: Request) -> Response:
    return Response(
        json.dumps(
            {
                "method": request.method,
                "host": request.host,
                "path": request.path,
                "args": request.args.to_dict(flat=False),
                "json": request.get_json(silent=True),
                "header": request.headers.get("X-Probe"),
            }
        ),
        status=203,
        headers={"X-Echo": "yes"},
        content_type="application/json",
    )


def session() -> requests.Session:
    s = requests.Session()
    s.mount("https://echo.test/", WsgiAdapter(echo))
    return s


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
QUERY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]),
    # "." and ".." segments are resolved by requests itself (RFC 3986), before any transport.
    st.lists(
        st.text("abcXYZ019_-.~ é", min_size=1, max_size=8).filter(lambda s: s not in (".", "..")),
        min_size=1,
        max_size=4,
    ),
    st.dictionaries(st.text("abcq", min_size=1, max_size=3), QUERY_TEXT, max_size=3),
    JSON,
    st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=20),
)
def test_requests_round_trip(
    method: str, segments: list[str], params: dict[str, str], body: Any, probe: str
) -> None:
    path = "/" + "/".join(requests.utils.quote(seg, safe="") for seg in segments)
    reply = session().request(
        method, f"https://echo.test{path}", params=params, json=body, headers={"X-Probe": probe}
    )
    assert reply.status_code == 203 and reply.headers["X-Echo"] == "yes"
    assert reply.json() == {
        "method": method,
        "host": "echo.test",
        "path": "/" + "/".join(segments),
        "args": {key: [value] for key, value in params.items()},
        "json": body,
        "header": probe,
    }


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=120))
def test_made_up_tokens_never_authenticate(token: str) -> None:
    emu = Emulator.demo()
    reply = emu.session().get(
        f"{emu.instance_url}/services/data/v59.0/sobjects/",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (reply.status_code, reply.json()) == (401, INVALID_SESSION)
    assert emu.api_calls == 0
