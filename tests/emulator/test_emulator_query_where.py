"""WHERE end to end: operators, null semantics, LIKE, semi-joins, multi-select, date literals."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simple_salesforce import Salesforce

from sfschema import ids
from sfschema.demo import demo_org_dir
from sfschema.emulator import Emulator
from sfschema.soql import DATE_LITERALS, date_range, render
from sfschema.soql.ast import (
    And,
    Comparison,
    Field,
    From,
    Literal,
    Not,
    Or,
    Query,
    SelectExpr,
    ValueList,
)
from sfschema.soql.literals import LikePattern
from tests.emulator.conftest import client

ACME, GLOBEX, INITECH = "001000000000001AAA", "001000000000002AAA", "001000000000003AAA"


def ids_of(sf: Salesforce, soql: str, key: str = "Id") -> list[Any]:
    return [row[key] for row in sf.query_all(soql)["records"]]


@pytest.fixture
def sf(sf_emulator: Emulator) -> Salesforce:
    return client(sf_emulator)


def test_text_compares_without_case_and_ids_in_either_length(sf: Salesforce) -> None:
    assert ids_of(sf, "SELECT Id FROM Account WHERE Name = 'GLOBEX gmbh'") == [GLOBEX]
    assert ids_of(sf, "SELECT Id FROM Account WHERE Id = '001000000000003'") == [INITECH]
    assert ids_of(sf, "SELECT Id FROM Account WHERE Name > 'b' AND Name <= 'globex gmbh'") == [
        GLOBEX
    ]
    assert ids_of(sf, "SELECT Id FROM Account WHERE NOT (Name < 'h' OR Industry = 'x')") == [
        INITECH
    ]


def test_like_wildcards_and_escapes(sf: Salesforce, sf_emulator: Emulator) -> None:
    odd, plain = ids.make_id("001", 900), ids.make_id("001", 901)
    sf_emulator.org.records.put("Account", {"Id": odd, "Name": "100%_Sure"})
    sf_emulator.org.records.put("Account", {"Id": plain, "Name": "100xxsure"})
    assert ids_of(sf, "SELECT Id FROM Account WHERE Name LIKE 'a%'") == [ACME]
    assert ids_of(sf, "SELECT Id FROM Account WHERE Name LIKE '%GMB_'") == [GLOBEX]
    assert ids_of(sf, "SELECT Id FROM Account WHERE Name LIKE '100%sure'") == [odd, plain]
    assert ids_of(sf, r"SELECT Id FROM Account WHERE Name LIKE '100\%\_s%'") == [odd]
    assert ids_of(sf, "SELECT Id FROM Account WHERE NOT Name LIKE '%X%'") == [ACME, INITECH, odd]


def test_null_is_a_value(sf: Salesforce) -> None:
    inv1, inv2 = "a0I000000000001EAA", "a0I000000000002EAA"
    soql = "SELECT Id FROM Invoice__c WHERE "
    assert ids_of(sf, soql + "Opportunity__c = null") == [inv2]
    assert ids_of(sf, soql + "Opportunity__c != null") == [inv1]
    assert ids_of(sf, soql + "Opportunity__c != '006000000000003AAA'") == [inv2]
    assert ids_of(sf, soql + "Opportunity__c NOT IN ('006000000000003AAA')") == [inv2]
    assert ids_of(sf, soql + "Opportunity__c IN ('006000000000003AAA', null)") == [inv1, inv2]
    assert ids_of(sf, soql + "Due_Date__c < 2030-01-01") == []
    assert ids_of(sf, soql + "Amount__c >= 2400 AND Amount__c < 15000.5") == [inv1, inv2]


def test_a_checkbox_is_never_null(sf: Salesforce, sf_emulator: Emulator) -> None:
    unset = ids.make_id("a0I", 300)
    sf_emulator.org.records.put("Invoice__c", {"Id": unset, "Name": "INV-0300"})
    soql = "SELECT Name, Paid__c FROM Invoice__c WHERE "
    assert sf.query(soql + "Paid__c = false ORDER BY Name")["records"] == [
        {
            "attributes": {
                "type": "Invoice__c",
                "url": "/services/data/v59.0/sobjects/Invoice__c/a0I000000000002EAA",
            },
            "Name": "INV-0002",
            "Paid__c": False,
        },
        {
            "attributes": {
                "type": "Invoice__c",
                "url": f"/services/data/v59.0/sobjects/Invoice__c/{unset}",
            },
            "Name": "INV-0300",
            "Paid__c": False,
        },
    ]
    assert ids_of(sf, soql + "Paid__c = null") == []


def test_semi_join_and_anti_join(sf: Salesforce) -> None:
    won = "(SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Won')"
    assert ids_of(sf, f"SELECT Id FROM Account WHERE Id IN {won}") == [INITECH]
    assert ids_of(sf, f"SELECT Id FROM Account WHERE Id NOT IN {won} ORDER BY Name") == [
        ACME,
        GLOBEX,
    ]
    assert ids_of(
        sf,
        "SELECT Name FROM Contact WHERE AccountId IN (SELECT Account__c FROM Invoice__c "
        "WHERE Paid__c = true)",
        "Name",
    ) == ["Ada Lovelace"]


def _with_tags(tmp_path: Path) -> Emulator:
    """The demo org with a multi-select picklist Tags__c on Invoice__c."""
    root = tmp_path / "org"
    shutil.copytree(demo_org_dir(), root)
    path = root / "sobjects" / "Invoice__c.json"
    describe = json.loads(path.read_text())
    template = next(f for f in describe["fields"] if f["name"] == "Region__c")
    values = [{**template["picklistValues"][0], "value": v, "label": v} for v in "ABCD"]
    describe["fields"].append(
        {
            **template,
            "name": "Tags__c",
            "label": "Tags",
            "type": "multipicklist",
            "picklistValues": values,
            "restrictedPicklist": False,
            "sortable": False,
        }
    )
    path.write_text(json.dumps(describe))
    emu = Emulator.from_snapshot(root)
    for number, tags in enumerate(["A;B", "B;C", "a;b;c", None, "D"]):
        emu.org.records.put(
            "Invoice__c",
            {"Id": ids.make_id("a0I", 100 + number), "Name": f"T{number}", "Tags__c": tags},
        )
    return emu


def test_includes_and_excludes_on_multi_select(tmp_path: Path) -> None:
    sf = client(_with_tags(tmp_path))
    soql = "SELECT Name FROM Invoice__c WHERE Tags__c "
    assert ids_of(sf, soql + "INCLUDES ('A;B')", "Name") == ["T0", "T2"]
    assert ids_of(sf, soql + "INCLUDES ('A;B', 'D')", "Name") == ["T0", "T2", "T4"]
    assert ids_of(sf, soql + "EXCLUDES ('B')", "Name") == ["INV-0001", "INV-0002", "T3", "T4"]
    assert ids_of(sf, soql + "= 'b;a'", "Name") == ["T0"]
    assert ids_of(sf, soql + "= null", "Name") == ["INV-0001", "INV-0002", "T3"]


# -- date literals ---------------------------------------------------------------------------


@pytest.fixture
def dated(sf_emulator: Emulator) -> Emulator:
    """Tasks with an ActivityDate on every day from 1,200 days before 2024-03-14 to 1,200 after."""
    first = date(2024, 3, 14) - timedelta(days=1200)
    for offset in range(2401):
        sf_emulator.org.records.put(
            "Task",
            {
                "Id": ids.make_id("00T", 10_000 + offset),
                "Subject": "dated",
                "ActivityDate": (first + timedelta(days=offset)).isoformat(),
            },
        )
    sf_emulator.clock.set(datetime(2024, 3, 15, 2, 0, tzinfo=UTC))  # 19:00 on the 14th in LA
    sf_emulator.settings.time_zone = "America/Los_Angeles"
    sf_emulator.settings.fiscal_year_start_month = 2
    return sf_emulator


def test_every_date_literal_of_the_canonical_table(dated: Emulator) -> None:
    sf = client(dated)
    window = {date(2024, 3, 14) + timedelta(days=d) for d in range(-1200, 1201)}
    for spec in DATE_LITERALS:
        n = 2 if spec.takes_n else None
        text = spec.name if n is None else f"{spec.name}:{n}"
        start, end = date_range(spec.name, n, today=date(2024, 3, 14), fiscal_year_start_month=2)
        got = ids_of(
            sf,
            f"SELECT ActivityDate FROM Task WHERE Subject = 'dated' AND ActivityDate = {text}",
            "ActivityDate",
        )
        assert sorted(got) == sorted(d.isoformat() for d in window if start <= d < end), text


def test_date_literal_ranges_by_hand(dated: Emulator) -> None:
    sf = client(dated)

    def days(condition: str) -> list[str]:
        got = ids_of(
            sf,
            f"SELECT ActivityDate FROM Task WHERE Subject = 'dated' AND {condition} "
            "ORDER BY ActivityDate",
            "ActivityDate",
        )
        return [got[0], got[-1], str(len(got))] if got else []

    assert days("ActivityDate = TODAY") == ["2024-03-14", "2024-03-14", "1"]  # the user's day
    assert days("ActivityDate = THIS_FISCAL_QUARTER") == ["2024-02-01", "2024-04-30", "90"]
    assert days("ActivityDate = LAST_N_DAYS:3") == ["2024-03-11", "2024-03-14", "4"]
    assert days("ActivityDate = THIS_WEEK") == ["2024-03-10", "2024-03-16", "7"]
    assert days("ActivityDate > NEXT_MONTH AND ActivityDate < 2024-05-03") == [
        "2024-05-01",
        "2024-05-02",
        "2",
    ]
    assert days("ActivityDate <= YESTERDAY AND ActivityDate >= LAST_N_DAYS:2") == [
        "2024-03-12",
        "2024-03-13",
        "2",
    ]
    assert days("ActivityDate != TODAY AND ActivityDate = THIS_WEEK")[2] == "6"


def test_datetime_fields_use_midnight_in_the_user_time_zone(dated: Emulator) -> None:
    stamps = [
        "2024-03-14T06:59:59.000+0000",
        "2024-03-14T07:00:00.000+0000",
        "2024-03-15T06:59:59.000+0000",
        "2024-03-15T07:00:00.000+0000",
    ]
    for number, stamp in enumerate(stamps):
        dated.org.records.put(
            "Task",
            {"Id": ids.make_id("00T", 90_000 + number), "Subject": "stamped", "CreatedDate": stamp},
        )
    sf = client(dated)
    soql = "SELECT CreatedDate FROM Task WHERE Subject = 'stamped' AND CreatedDate "
    assert ids_of(sf, soql + "= TODAY", "CreatedDate") == stamps[1:3]
    assert ids_of(sf, soql + "< TODAY", "CreatedDate") == stamps[:1]
    assert ids_of(sf, soql + "> 2024-03-15T06:59:59Z", "CreatedDate") == stamps[3:]
    assert ids_of(sf, soql + ">= 2024-03-15T00:00:00-07:00", "CreatedDate") == stamps[3:]


# -- the evaluator against a plain Python reference -----------------------------------------

NAMES = st.one_of(st.none(), st.text(alphabet="abAB ", max_size=4))
EMPLOYEES = st.one_of(st.none(), st.integers(-3, 3))
INDUSTRIES = st.sampled_from([None, "Energy", "Banking", "Retail"])
RECORDS = st.lists(st.tuples(NAMES, EMPLOYEES, INDUSTRIES), max_size=12)
OPS = ["=", "!=", "<", "<=", ">", ">="]


def _leaf() -> st.SearchStrategy[tuple[Comparison, Any]]:
    numbers = st.tuples(st.sampled_from(OPS), st.one_of(st.none(), st.integers(-3, 3))).map(
        lambda t: (
            Comparison(Field(("NumberOfEmployees",)), t[0], Literal(t[1])),
            ("num", t[0], t[1]),
        )
    )
    likes = st.text(alphabet="ab%_", max_size=4).map(
        lambda p: (Comparison(Field(("Name",)), "LIKE", Literal(LikePattern(p))), ("like", p))
    )
    names = st.tuples(st.sampled_from(["=", "!="]), st.text(alphabet="abAB ", max_size=3)).map(
        lambda t: (Comparison(Field(("Name",)), t[0], Literal(t[1])), ("text", t[0], t[1]))
    )
    sets = st.tuples(
        st.sampled_from(["IN", "NOT IN"]),
        st.lists(st.sampled_from([None, "Energy", "Banking", "Retail"]), min_size=1, max_size=3),
    ).map(
        lambda t: (
            Comparison(Field(("Industry",)), t[0], ValueList(tuple(Literal(v) for v in t[1]))),
            ("set", t[0], t[1]),
        )
    )
    return st.one_of(numbers, likes, names, sets)


CONDITIONS = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        inner.map(lambda c: (Not(c[0]), ("not", c[1]))),
        st.lists(inner, min_size=2, max_size=3).map(
            lambda cs: (And(tuple(c[0] for c in cs)), ("and", [c[1] for c in cs]))
        ),
        st.lists(inner, min_size=2, max_size=3).map(
            lambda cs: (Or(tuple(c[0] for c in cs)), ("or", [c[1] for c in cs]))
        ),
    ),
    max_leaves=5,
)


def _like_regex(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def _reference(spec: Any, row: dict[str, Any]) -> bool:
    """SOQL's WHERE written plainly: null is a value for = != IN; never < > or LIKE."""
    kind = spec[0]
    if kind == "not":
        return not _reference(spec[1], row)
    if kind == "and":
        return all(_reference(s, row) for s in spec[1])
    if kind == "or":
        return any(_reference(s, row) for s in spec[1])
    if kind == "like":
        name = row.get("Name")
        return name is not None and _like_regex(spec[1]).fullmatch(name) is not None
    if kind == "set":
        found = row.get("Industry") in spec[2]
        return found if spec[1] == "IN" else not found
    if kind == "text":
        name = row.get("Name")
        same = name is not None and name.lower() == spec[2].lower()
        return same if spec[1] == "=" else not same
    op, wanted, value = spec[1], spec[2], row.get("NumberOfEmployees")
    if op in ("=", "!="):
        same = value == wanted if wanted is not None or value is None else False
        return same if op == "=" else not same
    if value is None or wanted is None:
        return False
    return {"<": value < wanted, "<=": value <= wanted, ">": value > wanted, ">=": value >= wanted}[
        op
    ]


@settings(max_examples=60, deadline=None)
@given(records=RECORDS, condition=CONDITIONS)
def test_where_agrees_with_a_plain_reference(records: list[Any], condition: Any) -> None:
    emu = Emulator.demo()
    for number, (name, employees, industry) in enumerate(records):
        emu.org.records.put(
            "Account",
            {
                "Id": ids.make_id("001", 500 + number),
                "Name": name,
                "NumberOfEmployees": employees,
                "Industry": industry,
            },
        )
    node, spec = condition
    query = Query((SelectExpr(Field(("Id",))),), From(("Account",)), where=node)
    expected = [row["Id"] for row in emu.org.records.all("Account") if _reference(spec, row)]
    assert ids_of(client(emu), render(query)) == expected


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["2024-01-31", "2024-01-31T09:30:00.000+0000", "001000000000001AAA", "x;y"]),
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "Name": ODD_VALUES,
                "NumberOfEmployees": ODD_VALUES,
                "CreatedDate": ODD_VALUES,
                "OwnerId": ODD_VALUES,
                "LastActivityDate": ODD_VALUES,
                "IsPartner": ODD_VALUES,
            }
        ),
        max_size=6,
    )
)
def test_stored_values_of_any_type_never_break_a_query(rows: list[dict[str, Any]]) -> None:
    """Records written by hand may hold any JSON value in any field: filters and sorts skip
    what is not of the field's type instead of failing."""
    emu = Emulator.demo()
    for number, row in enumerate(rows):
        emu.org.records.put("Account", {"Id": ids.make_id("001", 700 + number), **row})
    soql = (
        "SELECT Id, Name, NumberOfEmployees, CreatedDate, OwnerId, LastActivityDate, IsPartner "
        "FROM Account WHERE NumberOfEmployees > 1 OR Name LIKE 'a%' OR CreatedDate < TODAY "
        "OR LastActivityDate = LAST_N_DAYS:9 OR OwnerId != null OR IsPartner = true "
        "ORDER BY NumberOfEmployees, Name DESC, CreatedDate, OwnerId, LastActivityDate, IsPartner"
    )
    result = client(emu).query(soql)
    assert result["totalSize"] == len(result["records"]) >= 3
