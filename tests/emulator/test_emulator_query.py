"""Query shapes end to end: the real simple-salesforce client over the in-process emulator."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce import Salesforce

from sfschema.emulator import Emulator
from sfschema.schema import OrgSchema
from sfschema.soql import check
from tests.emulator.conftest import client

ACME, GLOBEX, INITECH = "001000000000001AAA", "001000000000002AAA", "001000000000003AAA"
ADA, GRACE, ALAN = "003000000000001AAA", "003000000000002AAA", "003000000000003AAA"
OPP1, OPP2, OPP3 = "006000000000001AAA", "006000000000002AAA", "006000000000003AAA"
INV1, INV2 = "a0I000000000001EAA", "a0I000000000002EAA"
TASK1, TASK2 = "00T000000000001EAA", "00T000000000002EAA"


def attrs(kind: str, record_id: str) -> dict[str, Any]:
    return {"type": kind, "url": f"/services/data/v59.0/sobjects/{kind}/{record_id}"}


def done(*records: dict[str, Any], total: int | None = None) -> dict[str, Any]:
    return {
        "totalSize": len(records) if total is None else total,
        "done": True,
        "records": list(records),
    }


@pytest.fixture
def sf(sf_emulator: Emulator) -> Salesforce:
    return client(sf_emulator)


def test_fields_in_select_order_with_describe_casing(sf: Salesforce, sf_emulator: Emulator) -> None:
    assert sf.query("select industry, NAME, id from account order by name") == done(
        {
            "attributes": attrs("Account", ACME),
            "Industry": "Manufacturing",
            "Name": "Acme Corporation",
            "Id": ACME,
        },
        {
            "attributes": attrs("Account", GLOBEX),
            "Industry": "Technology",
            "Name": "Globex GmbH",
            "Id": GLOBEX,
        },
        {
            "attributes": attrs("Account", INITECH),
            "Industry": "Consulting",
            "Name": "Initech Pty Ltd",
            "Id": INITECH,
        },
    )
    assert sf_emulator.api_calls == 1


def test_values_as_salesforce_writes_them(sf: Salesforce) -> None:
    result = sf.query(
        "SELECT Name, Amount__c, Tax_Rate__c, Paid__c, Due_Date__c, CreatedDate, Opportunity__c "
        "FROM Invoice__c ORDER BY Name"
    )
    assert result == done(
        {
            "attributes": attrs("Invoice__c", INV1),
            "Name": "INV-0001",
            "Amount__c": 15000.0,
            "Tax_Rate__c": 10.0,
            "Paid__c": True,
            "Due_Date__c": None,
            "CreatedDate": "2024-01-15T09:30:00.000+0000",
            "Opportunity__c": OPP3,
        },
        {
            "attributes": attrs("Invoice__c", INV2),
            "Name": "INV-0002",
            "Amount__c": 2400.0,
            "Tax_Rate__c": 19.0,
            "Paid__c": False,
            "Due_Date__c": None,
            "CreatedDate": "2024-01-15T09:30:00.000+0000",
            "Opportunity__c": None,
        },
    )


def test_dates_and_a_person_name(sf: Salesforce) -> None:
    assert sf.query(
        "SELECT Name, CloseDate FROM Opportunity WHERE CloseDate > 2024-06-01 ORDER BY CloseDate"
    ) == done(
        {
            "attributes": attrs("Opportunity", OPP1),
            "Name": "Acme - New Line",
            "CloseDate": "2024-06-30",
        },
        {
            "attributes": attrs("Opportunity", OPP2),
            "Name": "Globex - Renewal 2024",
            "CloseDate": "2024-07-30",
        },
    )
    assert sf.query("SELECT Name FROM Contact WHERE Id = '003000000000002'") == done(
        {"attributes": attrs("Contact", GRACE), "Name": "Grace Hopper"}
    )


def test_parent_paths_nest_and_an_empty_lookup_is_null(sf: Salesforce) -> None:
    result = sf.query(
        "SELECT Name, Opportunity__r.Name, Account__r.Name, Opportunity__r.Account.Industry "
        "FROM Invoice__c ORDER BY Name"
    )
    assert result == done(
        {
            "attributes": attrs("Invoice__c", INV1),
            "Name": "INV-0001",
            "Opportunity__r": {
                "attributes": attrs("Opportunity", OPP3),
                "Name": "Initech - Pilot",
                "Account": {"attributes": attrs("Account", INITECH), "Industry": "Consulting"},
            },
            "Account__r": {"attributes": attrs("Account", ACME), "Name": "Acme Corporation"},
        },
        {
            "attributes": attrs("Invoice__c", INV2),
            "Name": "INV-0002",
            "Opportunity__r": None,
            "Account__r": {"attributes": attrs("Account", GLOBEX), "Name": "Globex GmbH"},
        },
    )


def test_polymorphic_name_fields_and_typeof(sf: Salesforce, sf_emulator: Emulator) -> None:
    assert sf.query("SELECT Subject, What.Name, What.Type FROM Task ORDER BY Subject") == done(
        {
            "attributes": attrs("Task", TASK1),
            "Subject": "Call",
            "What": {
                "attributes": attrs("Opportunity", OPP1),
                "Name": "Acme - New Line",
                "Type": "Opportunity",
            },
        },
        {
            "attributes": attrs("Task", TASK2),
            "Subject": "Send Quote",
            "What": {
                "attributes": attrs("Opportunity", OPP2),
                "Name": "Globex - Renewal 2024",
                "Type": "Opportunity",
            },
        },
    )
    case = "500000000000001AAA"
    sf_emulator.org.records.put(
        "Task", {"Id": "00T000000000009EAA", "Subject": "About a case", "WhatId": case}
    )
    sf_emulator.org.records.put(
        "Case", {**(sf_emulator.org.records.get("Case", case) or {}), "CaseNumber": "00001001"}
    )
    assert sf.query("SELECT What.Name, What.Type FROM Task WHERE Subject = 'About a case'") == (
        done(
            {
                "attributes": attrs("Task", "00T000000000009EAA"),
                "What": {"attributes": attrs("Case", case), "Name": "00001001", "Type": "Case"},
            }
        )
    )  # the Name object's Name is the record's name field
    typeof = (
        "SELECT Subject, TYPEOF Who WHEN Contact THEN Email, Account.Name WHEN Lead THEN Company "
        "ELSE Name END FROM Task WHERE Subject = 'Call'"
    )
    assert sf.query(typeof) == done(
        {
            "attributes": attrs("Task", TASK1),
            "Subject": "Call",
            "Who": {
                "attributes": attrs("Contact", ADA),
                "Email": "ada@acme.example",
                "Account": {"attributes": attrs("Account", ACME), "Name": "Acme Corporation"},
            },
        },
    )


def test_child_subquery_and_an_empty_one_is_null(sf: Salesforce) -> None:
    result = sf.query(
        "SELECT Name, (SELECT Name, Status__c FROM Invoices__r ORDER BY Name) FROM Account "
        "ORDER BY Name"
    )
    assert result == done(
        {
            "attributes": attrs("Account", ACME),
            "Name": "Acme Corporation",
            "Invoices__r": done(
                {"attributes": attrs("Invoice__c", INV1), "Name": "INV-0001", "Status__c": "Paid"}
            ),
        },
        {
            "attributes": attrs("Account", GLOBEX),
            "Name": "Globex GmbH",
            "Invoices__r": done(
                {"attributes": attrs("Invoice__c", INV2), "Name": "INV-0002", "Status__c": "Draft"}
            ),
        },
        {"attributes": attrs("Account", INITECH), "Name": "Initech Pty Ltd", "Invoices__r": None},
    )


def test_count_is_only_in_total_size(sf: Salesforce) -> None:
    assert sf.query("SELECT COUNT() FROM Contact") == done(total=3)
    assert sf.query("SELECT COUNT() FROM Opportunity WHERE StageName != 'Closed Won'") == done(
        total=2
    )


def test_aggregates_group_by_having(sf: Salesforce) -> None:
    result = sf.query(
        "SELECT Type, COUNT(Id), SUM(Amount) total, MAX(CloseDate), AVG(Amount) FROM Opportunity "
        "GROUP BY Type HAVING COUNT(Id) >= 1 ORDER BY Type"
    )
    aggregate = {"type": "AggregateResult"}
    assert result == done(
        {
            "attributes": aggregate,
            "Type": "Existing Customer - Upgrade",
            "expr0": 1,
            "total": 48000.0,
            "expr1": "2024-07-30",
            "expr2": 48000.0,
        },
        {
            "attributes": aggregate,
            "Type": "New Customer",
            "expr0": 2,
            "total": 135000.0,
            "expr1": "2024-06-30",
            "expr2": 67500.0,
        },
    )
    assert sf.query(
        "SELECT Type FROM Opportunity GROUP BY Type HAVING SUM(Amount) > 100000"
    ) == done({"attributes": aggregate, "Type": "New Customer"})
    assert sf.query(
        "SELECT COUNT(Id) n, COUNT_DISTINCT(Type) kinds, MIN(Name) FROM Opportunity "
        "WHERE Amount > 1000000"
    ) == done({"attributes": aggregate, "n": 0, "kinds": 0, "expr0": None})


def test_order_by_nulls_limit_offset(sf: Salesforce) -> None:
    def names(soql: str) -> list[str]:
        return [row["Name"] for row in sf.query(soql)["records"]]

    assert names("SELECT Name FROM Invoice__c ORDER BY Opportunity__c") == ["INV-0002", "INV-0001"]
    assert names("SELECT Name FROM Invoice__c ORDER BY Opportunity__c DESC") == [
        "INV-0001",
        "INV-0002",
    ]
    assert names("SELECT Name FROM Invoice__c ORDER BY Opportunity__c NULLS LAST") == [
        "INV-0001",
        "INV-0002",
    ]
    assert names("SELECT Name FROM Account ORDER BY Name DESC LIMIT 2 OFFSET 1") == [
        "Globex GmbH",
        "Acme Corporation",
    ]


def test_fields_standard_custom_and_all(sf: Salesforce) -> None:
    custom = sf.query("SELECT FIELDS(CUSTOM) FROM Invoice__c WHERE Name = 'INV-0002' LIMIT 200")
    assert custom == done(
        {
            "attributes": attrs("Invoice__c", INV2),
            "Account__c": GLOBEX,
            "Opportunity__c": None,
            "Amount__c": 2400.0,
            "Tax_Rate__c": 19.0,
            "Total__c": 2856.0,
            "Status__c": "Draft",
            "Region__c": "EMEA",
            "Country__c": "Germany",
            "Due_Date__c": None,
            "Paid__c": False,
            "Payment_Method__c": "Pending",
            "Billing_Email__c": None,
            "Invoice_Key__c": "GLOBEX-2024-001",
            "Internal_Notes__c": None,
        }
    )
    by_id = sf.query(f"SELECT FIELDS(CUSTOM) FROM Invoice__c WHERE Id IN ('{INV2}')")
    assert by_id == custom  # at most 200 Ids bound the rows as LIMIT 200 does
    standard = sf.query("SELECT FIELDS(STANDARD) FROM Invoice__c WHERE Name = 'INV-0002'")
    assert list(standard["records"][0]) == [
        "attributes",
        "Id",
        "OwnerId",
        "IsDeleted",
        "Name",
        "CreatedDate",
        "CreatedById",
        "LastModifiedDate",
        "LastModifiedById",
        "SystemModstamp",
        "LastActivityDate",
    ]
    everything = sf.query("SELECT FIELDS(ALL) FROM Account WHERE Name = 'Acme Corporation' LIMIT 1")
    record = everything["records"][0]
    assert record["BillingAddress"] == {
        "city": "Chicago",
        "country": "United States",
        "geocodeAccuracy": None,
        "latitude": None,
        "longitude": None,
        "postalCode": None,
        "state": None,
        "street": None,
    }
    assert record["ShippingAddress"] is None
    assert len(record) == 1 + 68


def test_query_all_returns_deleted_rows(sf: Salesforce, sf_emulator: Emulator) -> None:
    gone = sf_emulator.org.records.get("Lead", "00Q000000000001EAA")
    assert gone is not None
    sf_emulator.org.records.put("Lead", {**gone, "IsDeleted": True})
    soql = "SELECT Name, IsDeleted FROM Lead"
    assert sf.query(soql) == done()
    assert sf.query_all(soql, include_deleted=True) == done(
        {
            "attributes": attrs("Lead", "00Q000000000001EAA"),
            "Name": "Katherine Johnson",
            "IsDeleted": True,
        }
    )


def test_a_query_is_one_call_through_restful(sf: Salesforce, sf_emulator: Emulator) -> None:
    body = sf.restful("queryAll", params={"q": "SELECT Id FROM Case"})
    assert body == done(
        {"attributes": attrs("Case", "500000000000001AAA"), "Id": "500000000000001AAA"}
    )
    assert sf_emulator.api_calls == 1


def test_date_functions_in_where_group_by_and_select(sf: Salesforce, sf_emulator: Emulator) -> None:
    aggregate = {"type": "AggregateResult"}
    assert sf.query(
        "SELECT CALENDAR_MONTH(CloseDate), SUM(Amount) FROM Opportunity "
        "GROUP BY CALENDAR_MONTH(CloseDate) ORDER BY CALENDAR_MONTH(CloseDate) DESC"
    ) == done(
        {"attributes": aggregate, "expr0": 7, "expr1": 48000.0},
        {"attributes": aggregate, "expr0": 6, "expr1": 120000.0},
        {"attributes": aggregate, "expr0": 5, "expr1": 15000.0},
    )
    assert sf.query(
        "SELECT Name FROM Opportunity WHERE DAY_IN_WEEK(CloseDate) = 1 AND WEEK_IN_MONTH(CloseDate)"
        " = 5 AND CALENDAR_QUARTER(CloseDate) = 2 AND DAY_IN_YEAR(CloseDate) > 180"
    ) == done({"attributes": attrs("Opportunity", OPP1), "Name": "Acme - New Line"})  # a Sunday
    sf_emulator.settings.fiscal_year_start_month = 4
    sf_emulator.settings.time_zone = "Asia/Tokyo"  # 09:30 UTC is 18:30 in Tokyo
    assert sf.query(
        "SELECT DAY_ONLY(CreatedDate) day, HOUR_IN_DAY(CreatedDate) utc, "
        "HOUR_IN_DAY(convertTimezone(CreatedDate)) tokyo, FISCAL_QUARTER(CloseDate) q, "
        "FISCAL_MONTH(CloseDate) m, COUNT(Id) FROM Opportunity GROUP BY DAY_ONLY(CreatedDate), "
        "HOUR_IN_DAY(CreatedDate), HOUR_IN_DAY(convertTimezone(CreatedDate)), "
        "FISCAL_QUARTER(CloseDate), FISCAL_MONTH(CloseDate) ORDER BY FISCAL_MONTH(CloseDate)"
    ) == done(
        {
            "attributes": aggregate,
            "day": "2024-01-15",
            "utc": 9,
            "tokyo": 18,
            "q": 1,
            "m": 2,
            "expr0": 1,
        },
        {
            "attributes": aggregate,
            "day": "2024-01-15",
            "utc": 9,
            "tokyo": 18,
            "q": 1,
            "m": 3,
            "expr0": 1,
        },
        {
            "attributes": aggregate,
            "day": "2024-01-15",
            "utc": 9,
            "tokyo": 18,
            "q": 2,
            "m": 4,
            "expr0": 1,
        },
    )


def test_the_checker_lets_date_functions_group_datetimes() -> None:
    text = "SELECT DAY_ONLY(CreatedDate), COUNT(Id) FROM Account GROUP BY DAY_ONLY(CreatedDate)"
    assert check(text, OrgSchema.demo()) == []


def test_to_label_reads_picklist_labels(sf: Salesforce, sf_emulator: Emulator) -> None:
    acme = sf_emulator.org.records.get("Account", ACME)
    assert acme is not None
    sf_emulator.org.records.put("Account", {**acme, "CleanStatus": "Matched"})
    assert sf.query(
        "SELECT Name, toLabel(CleanStatus), toLabel(Industry) kind FROM Account "
        "WHERE toLabel(CleanStatus) = 'in sync'"
    ) == done(
        {
            "attributes": attrs("Account", ACME),
            "Name": "Acme Corporation",
            "CleanStatus": "In Sync",
            "kind": "Manufacturing",
        }
    )


def test_a_query_result_feeds_a_composite_reference(sf: Salesforce, sf_emulator: Emulator) -> None:
    base = "/services/data/v59.0"
    answer = sf.restful(
        "composite",
        method="POST",
        json={
            "compositeRequest": [
                {
                    "method": "GET",
                    "referenceId": "found",
                    "url": f"{base}/query?q=SELECT+Id+FROM+Account+WHERE+Name+LIKE+'glob%25'",
                },
                {
                    "method": "GET",
                    "referenceId": "account",
                    "url": f"{base}/sobjects/Account/@{{found.records[0].Id}}?fields=Name",
                },
            ]
        },
    )
    assert [(item["httpStatusCode"], item["body"]) for item in answer["compositeResponse"]] == [
        (200, done({"attributes": attrs("Account", GLOBEX), "Id": GLOBEX})),
        (200, {"attributes": attrs("Account", GLOBEX), "Name": "Globex GmbH"}),
    ]
    assert sf_emulator.api_calls == 1
