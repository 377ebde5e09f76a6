"""schema_for: only the describes a query reaches, fetched round by round over the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cachetools import TTLCache

from sfschema.client.session import connect_emulator
from sfschema.describe.cache import DescribeCache
from sfschema.emulator import Emulator
from sfschema.schema import OrgSchema
from sfschema.soql import check, parse
from sfschema.soql.org_schema import schema_for

QUERIES = [  # (query, the diagnostic codes it gets)
    # Contact and the semi-join's Opportunity first, then Account (a parent) and Case (a child).
    (
        "SELECT Id, Account.Name, (SELECT Subject FROM Cases) FROM Contact "
        "WHERE AccountId IN (SELECT AccountId FROM Opportunity)",
        [],
    ),
    (
        "SELECT Id, Nme, Account.Nam, Owner.Name FROM Contact ORDER BY Account.Name",
        ["INVALID_FIELD", "INVALID_FIELD", "NOT_CHECKED"],  # the demo org has no User
    ),
    (
        "SELECT Id, TYPEOF What WHEN Account THEN Name WHEN Opportunity THEN StageNam END "
        "FROM Task",
        ["INVALID_FIELD"],
    ),
    ("SELECT Id FROM Opportunty", ["INVALID_TYPE"]),
    (
        "SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > :n",
        ["MALFORMED_QUERY"],
    ),
    (
        "SELECT Id, (SELECT Id FROM Contactz) FROM Account WHERE Invoice__c = 'x'",
        ["INVALID_TYPE", "INVALID_FIELD"],
    ),
]


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Emulator, DescribeCache]:
    emulator = Emulator.demo()
    memory: TTLCache[Any, Any] = TTLCache(maxsize=100, ttl=600)
    cache = DescribeCache(connect_emulator(emulator).transport, tmp_path, memory=memory)
    emulator.reset_counter()
    return emulator, cache


@pytest.mark.parametrize(("text", "codes"), QUERIES)
def test_the_diagnostics_equal_those_against_the_whole_org(
    demo: tuple[Emulator, DescribeCache], text: str, codes: list[str]
) -> None:
    _, cache = demo
    query = parse(text, params=True)
    diagnostics = check(query, schema_for(query, cache, "demo"))
    assert diagnostics == check(query, OrgSchema.demo())
    assert [d.code for d in diagnostics] == codes


def test_only_the_objects_the_query_reaches_in_one_sync_per_level(
    demo: tuple[Emulator, DescribeCache],
) -> None:
    emulator, cache = demo
    query = parse(QUERIES[0][0])
    schema = schema_for(query, cache, "the demo org")
    assert (schema.object_names, schema.source) == (
        ["Account", "Case", "Contact", "Opportunity"],
        "the demo org",
    )
    # The global describe, then one batch for Contact and Opportunity and one for Account and
    # Case: three calls, whatever else the org holds.
    assert emulator.api_calls == 3
    again = schema_for(query, cache, "the demo org")  # all fresh in the cache: free
    assert (again.object_names, emulator.api_calls) == (schema.object_names, 3)


def test_an_object_the_org_lacks_costs_one_global_describe_at_most(
    demo: tuple[Emulator, DescribeCache],
) -> None:
    emulator, cache = demo
    typo = parse("SELECT Id FROM Opportunty")
    assert schema_for(typo, cache, "demo").object_names == []
    assert emulator.api_calls == 1  # the global describe, fetched now: not asked again
    assert [(d.code, d.suggestion) for d in check(typo, schema_for(typo, cache, "demo"))] == [
        ("INVALID_TYPE", "Opportunity")  # close matches from the org's whole object list
    ]
    # The cached global describe may predate the object: asked once more, then settled.
    assert emulator.api_calls == 2
