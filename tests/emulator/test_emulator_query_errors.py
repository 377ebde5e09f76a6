"""Query errors: Salesforce's codes, the position text in the message, the status, the charge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sfschema.emulator import Emulator
from sfschema.emulator.users import READONLY_USER
from tests.emulator.conftest import bearer, client

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "payloads"
COLUMN_TAIL = (
    "If you are attempting to use a custom field, be sure to append the '__c' after the custom "
    "field name. Please reference your WSDL or the describe call for the appropriate names."
)
RELATIONSHIP_TAIL = (
    "If you are attempting to use a custom relationship, be sure to append the '__r' after the "
    "custom relationship name. Please reference your WSDL or the describe call for the "
    "appropriate names."
)


def get(emu: Emulator, path: str, token: str | None = None, **params: str) -> tuple[int, Any]:
    reply = emu.session().get(
        f"{emu.instance_url}/services/data/v59.0/{path}",
        params=params or None,
        headers=bearer(token or emu.access_token),
    )
    return reply.status_code, reply.json()


def error(code: str, message: str) -> tuple[int, Any]:
    return 400, [{"message": message, "errorCode": code}]


def test_unknown_object_matches_a_recorded_salesforce_answer(sf_emulator: Emulator) -> None:
    recorded = json.loads((REAL / "composite-count-and-invalid-type-error.json").read_text())
    sub = recorded["compositeResponse"][1]
    assert get(sf_emulator, "query", q="select count() from XYZZY") == (
        sub["httpStatusCode"],
        sub["body"],
    )


@pytest.mark.parametrize(
    ("soql", "code", "message"),
    [
        (
            "SELECT Id, Nme FROM Account",
            "INVALID_FIELD",
            "\nSELECT Id, Nme FROM Account\n           ^\nERROR at Row:1:Column:12\n"
            f"No such column 'Nme' on entity 'Account'. {COLUMN_TAIL}",
        ),
        (
            "SELECT Id\nFROM Contact\nWHERE Foo.Name = 'x'",
            "INVALID_FIELD",
            "\nWHERE Foo.Name = 'x'\n      ^\nERROR at Row:3:Column:7\n"
            f"Didn't understand relationship 'Foo' in field path. {RELATIONSHIP_TAIL}",
        ),
        (
            "SELECT Id, (SELECT Id FROM Foos) FROM Account",
            "INVALID_TYPE",
            "\nSELECT Id, (SELECT Id FROM Foos) FROM Account\n"
            "                           ^\nERROR at Row:1:Column:28\n"
            f"Didn't understand relationship 'Foos' in FROM part of query call. "
            f"{RELATIONSHIP_TAIL}",
        ),
        (
            "SELECT Id FRM Account",
            "MALFORMED_QUERY",
            "\nSELECT Id FRM Account\n              ^\nERROR at Row:1:Column:15\n"
            "unexpected 'Account'; expected ')', ',', FOR, FROM, GROUP, HAVING, LIMIT, OFFSET, "
            "ORDER, UPDATE, …",
        ),
        (
            "SELECT FIELDS(ALL) FROM Account",
            "MALFORMED_QUERY",
            "\nSELECT FIELDS(ALL) FROM Account\n       ^\nERROR at Row:1:Column:8\n"
            "The SOQL FIELDS function is not supported with an unbounded set of fields in this "
            "API.",
        ),
        (
            "SELECT Id FROM Account WHERE Description = 'x'",
            "INVALID_FIELD",
            "\nSELECT Id FROM Account WHERE Description = 'x'\n"
            "                             ^\nERROR at Row:1:Column:30\n"
            "field 'Description' can not be filtered in a query call",
        ),
        (
            "SELECT Id FROM Account OFFSET 2001",
            "NUMBER_OUTSIDE_VALID_RANGE",
            "\nSELECT Id FROM Account OFFSET 2001\n^\nERROR at Row:1:Column:1\n"
            "OFFSET 2001 is more than Salesforce allows (2000)",
        ),
        (
            "SELECT Name, COUNT(Id) FROM Account",
            "MALFORMED_QUERY",
            "\nSELECT Name, COUNT(Id) FROM Account\n       ^\nERROR at Row:1:Column:8\n"
            "Field must be grouped or aggregated: Name",
        ),
    ],
)
def test_query_errors(sf_emulator: Emulator, soql: str, code: str, message: str) -> None:
    assert get(sf_emulator, "query", q=soql) == error(code, message)
    assert sf_emulator.api_calls == 1


@pytest.mark.parametrize(
    ("soql", "construct"),
    [
        ("SELECT FORMAT(Amount) FROM Opportunity", "FORMAT() in SELECT"),
        ("SELECT toLabel(Account.Industry) FROM Opportunity", "toLabel() of a parent's field"),
        ("SELECT Id FROM Account USING SCOPE mine", "USING SCOPE mine"),
        ("SELECT Id FROM Account FOR VIEW", "FOR VIEW"),
        ("SELECT Id, (SELECT Id FROM Contacts USING SCOPE mine) FROM Account", "USING SCOPE mine"),
        ("SELECT Id, (SELECT COUNT() FROM Contacts) FROM Account", "COUNT() in a subquery"),
        (
            "SELECT Id, (SELECT MAX(LastName) FROM Contacts) FROM Account",
            "GROUP BY or aggregate functions in a subquery",
        ),
        ("SELECT Id FROM Opportunity WHERE Amount > USD100", "the currency literal USD100"),
        (
            "SELECT FISCAL_YEAR(CloseDate) FROM Opportunity GROUP BY FISCAL_YEAR(CloseDate)",
            "FISCAL_YEAR() in GROUP BY",
        ),
        (
            "SELECT Id FROM Opportunity WHERE CALENDAR_YEAR(toLabel(StageName)) = 1",
            "CALENDAR_YEAR() of toLabel()",
        ),
        ("SELECT Type, COUNT(Id) FROM Opportunity GROUP BY ROLLUP(Type)", "GROUP BY ROLLUP"),
        (
            "SELECT Owner.Name FROM Case",
            "the relationship Owner to 0050000000000G9AAI: its object is not in the org's snapshot",
        ),
        (
            "SELECT Name, Owner.Name FROM Account",
            "the relationship Owner: User is not in the org's snapshot",
        ),
    ],
)
def test_what_the_evaluator_lacks_is_refused_by_name(
    sf_emulator: Emulator, soql: str, construct: str
) -> None:
    status, body = get(sf_emulator, "query", q=soql)
    assert (status, [entry["errorCode"] for entry in body]) == (400, ["MALFORMED_QUERY"])
    assert body[0]["message"].endswith(
        f"The sfschema emulator does not evaluate {construct}; remove it or test this query "
        "against a real org"
    )


def test_fields_hidden_by_field_level_security_behave_as_absent(sf_emulator: Emulator) -> None:
    token = sf_emulator.token_for(READONLY_USER)
    assert get(sf_emulator, "query", token, q="SELECT Amount FROM Opportunity") == error(
        "INVALID_FIELD",
        "\nSELECT Amount FROM Opportunity\n       ^\nERROR at Row:1:Column:8\n"
        f"No such column 'Amount' on entity 'Opportunity'. {COLUMN_TAIL}",
    )
    status, body = get(sf_emulator, "query", token, q="SELECT FIELDS(STANDARD) FROM Opportunity")
    assert status == 200 and "Amount" not in body["records"][0]
    assert "StageName" in body["records"][0]


def test_unknown_locator_and_missing_q(sf_emulator: Emulator) -> None:
    assert get(sf_emulator, "query/01g000000000001AAA-2000") == error(
        "INVALID_QUERY_LOCATOR", "invalid query locator"
    )
    assert get(sf_emulator, "query/nonsense") == error(
        "INVALID_QUERY_LOCATOR", "invalid query locator"
    )
    assert get(sf_emulator, "query") == error(
        "MALFORMED_QUERY", "A query needs the parameter q: GET …/query?q=SELECT+…"
    )
    assert sf_emulator.api_calls == 3


def test_explain_is_an_uncharged_emulator_gap(sf_emulator: Emulator) -> None:
    assert get(sf_emulator, "query", explain="SELECT Id FROM Account") == (
        501,
        [
            {
                "message": "The sfschema emulator does not implement query plans (explain=) yet",
                "errorCode": "EMULATOR_NOT_IMPLEMENTED",
            }
        ],
    )
    assert sf_emulator.api_calls == 0


def test_simple_salesforce_raises_its_malformed_request(sf_emulator: Emulator) -> None:
    sf: Salesforce = client(sf_emulator)
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.query("SELECT Id FROM Account WHERE Name = 1")
    assert caught.value.content == [
        {
            "message": "\nSELECT Id FROM Account WHERE Name = 1\n"
            "                                    ^\nERROR at Row:1:Column:37\n"
            "value of filter criterion for field 'Name' must be of type string and should be "
            "enclosed in quotes (got number)",
            "errorCode": "INVALID_FIELD",
        }
    ]


def test_query_subrequests_in_composite_match_a_recorded_answer(sf_emulator: Emulator) -> None:
    recorded = json.loads((REAL / "composite-count-and-invalid-type-error.json").read_text())
    reply = sf_emulator.session().post(
        f"{sf_emulator.instance_url}/services/data/v59.0/composite",
        json={
            "compositeRequest": [
                {
                    "method": "GET",
                    "referenceId": "refAccount",
                    "url": "/services/data/v59.0/query?q=select+count()+from+Account",
                },
                {
                    "method": "GET",
                    "referenceId": "refXYZZY",
                    "url": "/services/data/v59.0/query?q=select+count()+from+XYZZY",
                },
            ]
        },
        headers=bearer(sf_emulator.access_token),
    )
    expected = recorded["compositeResponse"]
    expected[0]["body"]["totalSize"] = 3  # the recorded org had 17 Accounts; the demo org has 3
    assert (reply.status_code, reply.json()) == (200, {"compositeResponse": expected})
    assert sf_emulator.api_calls == 1


def test_a_date_literal_past_year_9999_is_refused(sf_emulator: Emulator) -> None:
    soql = "SELECT Id FROM Task WHERE ActivityDate = LAST_N_DAYS:999999999"
    assert get(sf_emulator, "query", q=soql) == error(
        "MALFORMED_QUERY",
        f"\n{soql}\n{' ' * 41}^\nERROR at Row:1:Column:42\n"
        "LAST_N_DAYS:999999999 reaches past the dates Python can hold (years 1-9999)",
    )


CORPUS = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "real" / "soql" / "corpus.json").read_text()
)
QUERY_CODES = {
    "MALFORMED_QUERY",
    "INVALID_FIELD",
    "INVALID_TYPE",
    "INVALID_QUERY_FILTER_OPERATOR",
    "NUMBER_OUTSIDE_VALID_RANGE",
}


def test_every_corpus_query_gets_a_salesforce_answer(sf_emulator: Emulator) -> None:
    """438 queries from public parser suites: 200, or 400 with one error of a query code; the
    ones the suites mark invalid are never answered 200."""
    answered: dict[int, int] = {}
    for case in CORPUS:
        status, body = get(sf_emulator, "query", q=case["soql"])
        answered[status] = answered.get(status, 0) + 1
        if status == 200:
            assert case["valid"] is not False, case["soql"]
            assert set(body) >= {"totalSize", "done", "records"}
        else:
            assert status == 400, case["soql"]
            assert len(body) == 1 and body[0]["errorCode"] in QUERY_CODES, case["soql"]
            assert set(body[0]) == {"message", "errorCode"}
    assert sorted(answered) == [200, 400]
    assert sum(answered.values()) == len(CORPUS) == 438


DEMO_FIELDS = {
    name: [f["name"] for f in Emulator.demo().org.raw_describe(name)["fields"]]
    for name in ("Account", "Contact", "Opportunity", "Task", "Invoice__c")
}


@st.composite
def demo_queries(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(DEMO_FIELDS)))
    fields = draw(st.lists(st.sampled_from(DEMO_FIELDS[name]), min_size=1, max_size=6, unique=True))
    text = f"SELECT {', '.join(fields)} FROM {name}"
    if draw(st.booleans()):
        text += f" WHERE {draw(st.sampled_from(DEMO_FIELDS[name]))} != null"
    if draw(st.booleans()):
        order = draw(st.sampled_from(DEMO_FIELDS[name]))
        text += f" ORDER BY {order} {draw(st.sampled_from(['ASC', 'DESC NULLS FIRST', '']))}"
    return text + f" LIMIT {draw(st.integers(1, 300))}"


@settings(max_examples=60, deadline=None)
@given(soql=demo_queries())
def test_any_field_of_the_demo_org_gets_an_answer(soql: str) -> None:
    """Every field of every demo object, selected, filtered and sorted: 200, or 400 with one
    query error (a field that cannot be filtered or sorted), never a failure."""
    emu = Emulator.demo()
    status, body = get(emu, "query", q=soql)
    if status == 200:
        assert body["totalSize"] == len(body["records"])
    else:
        assert (status, len(body), body[0]["errorCode"]) in {
            (400, 1, code) for code in QUERY_CODES
        }, (soql, body)
