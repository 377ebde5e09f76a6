"""Authored parts of the demo org: Task, Invoice__c, Opportunity record types, UI API picklists,
seed records. Used by ``build_demo_org.py``; the shipped JSON is what counts.

Field objects carry the 57 keys real v48–v59 describes have, with values following the rules seen
in the real payloads (tests/fixtures/real/describe/; SOAP API Developer Guide:
DescribeSObjectResult). Fields Task shares with Event are copied from the real Event describe and
adjusted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sfschema.describe.picklists import encode_valid_for
from sfschema.emulator.picklists import master_picklist_values
from sfschema.emulator.users import DEMO_USER
from sfschema.ids import MASTER_RECORD_TYPE_ID, make_id

VERSION = "59.0"
HOST = "https://demo.my.salesforce.com"
DATA = f"/services/data/v{VERSION}"
INVOICE_PREFIX = "a0I"
NEW_BUSINESS_RT = make_id("012", 5001)
RENEWAL_RT = make_id("012", 5002)


@dataclass
class Built:
    sobjects: dict[str, dict[str, Any]]
    global_describe: dict[str, Any]
    picklists: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# -- fields ------------------------------------------------------------------------------------

SOAP_TYPES = {
    "id": "tns:ID", "reference": "tns:ID", "string": "xsd:string", "picklist": "xsd:string",
    "multipicklist": "xsd:string", "textarea": "xsd:string", "phone": "xsd:string",
    "url": "xsd:string", "email": "xsd:string", "combobox": "xsd:string",
    "double": "xsd:double", "currency": "xsd:double", "percent": "xsd:double", "int": "xsd:int",
    "boolean": "xsd:boolean", "date": "xsd:date", "datetime": "xsd:dateTime",
}  # fmt: skip
TEXT_TYPES = frozenset(
    {"string", "picklist", "multipicklist", "textarea", "phone", "url", "email", "combobox"}
)
NOT_GROUPABLE = frozenset({"datetime", "currency", "percent", "double", "combobox"})


def make_field(name: str, type_: str, label: str, **overrides: Any) -> dict[str, Any]:
    """A describe field with all 57 keys, defaults following the type (as in real payloads)."""
    length = overrides.pop("length", 18 if type_ in ("id", "reference") else 0)
    long_text = type_ == "textarea" and length > 255
    shown: dict[str, Any] = {
        "aggregatable": type_ not in ("boolean",) and not long_text,
        "aiPredictionField": False,
        "autoNumber": False,
        "byteLength": length * 3 if type_ in TEXT_TYPES else length,
        "calculated": False,
        "calculatedFormula": None,
        "cascadeDelete": False,
        "caseSensitive": False,
        "compoundFieldName": None,
        "controllerName": None,
        "createable": True,
        "custom": name.endswith("__c"),
        "defaultValue": None,
        "defaultValueFormula": None,
        "defaultedOnCreate": False,
        "dependentPicklist": False,
        "deprecatedAndHidden": False,
        "digits": 0,
        "displayLocationInDecimal": False,
        "encrypted": False,
        "externalId": False,
        "extraTypeInfo": "plaintextarea" if type_ == "textarea" else None,
        "filterable": not long_text,
        "filteredLookupInfo": None,
        "formulaTreatNullNumberAsZero": False,
        "groupable": type_ not in NOT_GROUPABLE and not long_text,
        "highScaleNumber": False,
        "htmlFormatted": False,
        "idLookup": False,
        "inlineHelpText": None,
        "label": label,
        "length": length,
        "mask": None,
        "maskType": None,
        "name": name,
        "nameField": False,
        "namePointing": False,
        "nillable": type_ != "boolean",
        "permissionable": name.endswith("__c"),
        "picklistValues": [],
        "polymorphicForeignKey": False,
        "precision": 0,
        "queryByDistance": False,
        "referenceTargetField": None,
        "referenceTo": [],
        "relationshipName": None,
        "relationshipOrder": None,
        "restrictedDelete": False,
        "restrictedPicklist": False,
        "scale": 0,
        "searchPrefilterable": type_ == "reference",
        "soapType": SOAP_TYPES[type_],
        "sortable": not long_text,
        "type": type_,
        "unique": False,
        "updateable": True,
        "writeRequiresMasterRead": False,
    }
    if type_ == "boolean":
        shown["defaultValue"] = False
        shown["defaultedOnCreate"] = True
    unknown = set(overrides) - set(shown)
    if unknown:
        raise KeyError(f"{name}: unknown describe keys {sorted(unknown)}")
    shown.update(overrides)
    return shown


def entry(value: str, default: bool = False, valid_for: str | None = None) -> dict[str, Any]:
    return {
        "active": True,
        "defaultValue": default,
        "label": value,
        "validFor": valid_for,
        "value": value,
    }


def entries(*values: str, default: str | None = None) -> list[dict[str, Any]]:
    return [entry(value, value == default) for value in values]


def copied(fields: dict[str, dict[str, Any]], source: str, **overrides: Any) -> dict[str, Any]:
    shown = copy.deepcopy(fields[source])
    shown.update(overrides)
    return shown


SYSTEM_FIELDS = ("CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById")


def child(
    child_object: str, field_name: str, relationship: str | None, **kw: Any
) -> dict[str, Any]:
    return {
        "cascadeDelete": kw.get("cascade", False),
        "childSObject": child_object,
        "deprecatedAndHidden": False,
        "field": field_name,
        "junctionIdListNames": [],
        "junctionReferenceTo": [],
        "relationshipName": relationship,
        "restrictedDelete": kw.get("restricted", False),
    }


def object_urls(name: str, prefix: str) -> dict[str, str]:
    return {
        "compactLayouts": f"{DATA}/sobjects/{name}/describe/compactLayouts",
        "rowTemplate": f"{DATA}/sobjects/{name}/{{ID}}",
        "uiDetailTemplate": f"{HOST}/{{ID}}",
        "uiEditTemplate": f"{HOST}/{{ID}}/e",
        "describe": f"{DATA}/sobjects/{name}/describe",
        "uiNewRecord": f"{HOST}/{prefix}/e",
        "quickActions": f"{DATA}/sobjects/{name}/quickActions",
        "layouts": f"{DATA}/sobjects/{name}/describe/layouts",
        "sobject": f"{DATA}/sobjects/{name}",
    }


def record_type(name: str, rt_id: str, obj: str, default: bool = False) -> dict[str, Any]:
    return {
        "active": True,
        "available": True,
        "defaultRecordTypeMapping": default,
        "developerName": name.replace(" ", "_"),
        "master": rt_id == MASTER_RECORD_TYPE_ID,
        "name": name,
        "recordTypeId": rt_id,
        "urls": {"layout": f"{DATA}/sobjects/{obj}/describe/layouts/{rt_id}"},
    }


# -- Task --------------------------------------------------------------------------------------


def task(event: dict[str, Any]) -> dict[str, Any]:
    """Task, shaped like the real Task describe (fields in describe order)."""
    ev = {raw["name"]: raw for raw in event["fields"]}
    picklist = {"length": 40, "restrictedPicklist": False}
    fields = [
        copied(ev, "Id", label="Activity ID"),
        copied(ev, "WhoId"),
        copied(ev, "WhatId"),
        copied(
            ev,
            "Subject",
            picklistValues=entries("Call", "Email", "Send Letter", "Send Quote", "Other"),
        ),
        copied(ev, "ActivityDate", label="Due Date Only"),
        make_field(
            "Status", "picklist", "Status", **picklist, nillable=False, defaultedOnCreate=True,
            picklistValues=entries(
                "Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred",
                default="Not Started",
            ),
        ),
        make_field(
            "Priority", "picklist", "Priority", **picklist, nillable=False,
            defaultedOnCreate=True,
            picklistValues=entries("High", "Normal", "Low", default="Normal"),
        ),
        make_field(
            "IsHighPriority", "boolean", "High Priority", createable=False, updateable=False
        ),
        copied(ev, "OwnerId", referenceTo=["Group", "User"]),
        copied(ev, "Description"),
        copied(ev, "IsDeleted"),
        copied(ev, "AccountId"),
        make_field("IsClosed", "boolean", "Closed", createable=False, updateable=False),
        *(copied(ev, name) for name in SYSTEM_FIELDS),
        copied(ev, "SystemModstamp"),
        copied(ev, "IsArchived"),
        make_field("CallDurationInSeconds", "int", "Call Duration", digits=8),
        make_field(
            "CallType", "picklist", "Call Type", length=40, restrictedPicklist=True,
            picklistValues=entries("Internal", "Inbound", "Outbound"),
        ),
        make_field("CallDisposition", "string", "Call Result", length=255),
        make_field("CallObject", "string", "Call Object Identifier", length=255),
        copied(ev, "ReminderDateTime"),
        copied(ev, "IsReminderSet"),
        copied(ev, "RecurrenceActivityId", referenceTo=["Task"]),
        copied(ev, "IsRecurrence"),
        make_field("RecurrenceStartDateOnly", "date", "Recurrence Start"),
        copied(ev, "RecurrenceEndDateOnly"),
        copied(ev, "RecurrenceTimeZoneSidKey"),
        copied(ev, "RecurrenceType"),
        copied(ev, "RecurrenceInterval"),
        copied(ev, "RecurrenceDayOfWeekMask"),
        copied(ev, "RecurrenceDayOfMonth"),
        copied(ev, "RecurrenceInstance"),
        copied(ev, "RecurrenceMonthOfYear"),
        make_field(
            "RecurrenceRegeneratedType", "picklist", "Repeat This Task", length=40,
            restrictedPicklist=True,
            picklistValues=entries(
                "RecurrenceRegenerateAfterDueDate", "RecurrenceRegenerateAfterToday",
                "RecurrenceRegenerated",
            ),
        ),
        copied(
            ev, "EventSubtype", name="TaskSubtype", label="Task Subtype",
            picklistValues=entries("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"),
        ),
        make_field("CompletedDateTime", "datetime", "Completed Date/Time", createable=False,
                   updateable=False),
    ]  # fmt: skip
    shown = copy.deepcopy(event)
    shown.update(
        {
            "childRelationships": [child("Task", "RecurrenceActivityId", "RecurringTasks")],
            "fields": fields,
            "keyPrefix": "00T",
            "label": "Task",
            "labelPlural": "Tasks",
            "name": "Task",
            "recordTypeInfos": [record_type("Master", MASTER_RECORD_TYPE_ID, "Task", True)],
            "supportedScopes": [
                {"label": "My delegated tasks", "name": "delegated"},
                {"label": "All tasks", "name": "everything"},
                {"label": "My tasks", "name": "mine"},
                {"label": "Filter by scope", "name": "scopingRule"},
                {"label": "My team's tasks", "name": "team"},
            ],
            "urls": object_urls("Task", "00T"),
        }
    )
    return shown


# -- Invoice__c --------------------------------------------------------------------------------

REGIONS = ("Americas", "EMEA", "APAC")
COUNTRIES = {
    "United States": ("Americas",),
    "Canada": ("Americas",),
    "Brazil": ("Americas",),
    "Germany": ("EMEA",),
    "France": ("EMEA",),
    "United Kingdom": ("EMEA",),
    "Japan": ("APAC",),
    "Australia": ("APAC",),
    "Singapore": ("APAC",),
    "Other": REGIONS,
}
PAYMENT_METHODS = {"Pending": ("false",), "Card": ("true",), "Wire": ("true",)}
INVOICE_FORMULA = "Amount__c * (1 + BLANKVALUE(Tax_Rate__c, 0) / 100)"


def dependent_entries(
    mapping: dict[str, tuple[str, ...]], controller: tuple[str, ...]
) -> list[Any]:
    """Dependent picklist entries with validFor bitsets over the controller's value order."""
    return [
        entry(
            value,
            valid_for=encode_valid_for([controller.index(c) for c in allowed], len(controller)),
        )
        for value, allowed in mapping.items()
    ]


def invoice(event: dict[str, Any]) -> dict[str, Any]:
    """Invoice__c: a custom object with an autonumber Name, a formula, a restricted picklist,
    a dependent picklist over a picklist and another over a checkbox."""
    ev = {raw["name"]: raw for raw in event["fields"]}
    custom = {"permissionable": True}
    fields = [
        copied(ev, "Id", label="Record ID"),
        copied(ev, "OwnerId", label="Owner ID", referenceTo=["Group", "User"]),
        copied(ev, "IsDeleted"),
        make_field(
            "Name", "string", "Invoice Number", length=80, autoNumber=True, createable=False,
            updateable=False, nameField=True, nillable=False, defaultedOnCreate=True,
            idLookup=True,
        ),
        *(copied(ev, name) for name in SYSTEM_FIELDS),
        copied(ev, "SystemModstamp"),
        make_field("LastActivityDate", "date", "Last Activity", createable=False, updateable=False),
        make_field(
            "Account__c", "reference", "Account", **custom, referenceTo=["Account"],
            relationshipName="Account__r", nillable=False, restrictedDelete=True,
        ),
        make_field(
            "Opportunity__c", "reference", "Opportunity", **custom, referenceTo=["Opportunity"],
            relationshipName="Opportunity__r",
        ),
        make_field("Amount__c", "currency", "Amount", **custom, precision=16, scale=2),
        make_field("Tax_Rate__c", "percent", "Tax Rate", **custom, precision=5, scale=2),
        make_field(
            "Total__c", "currency", "Total", calculated=True, calculatedFormula=INVOICE_FORMULA,
            createable=False, updateable=False, formulaTreatNullNumberAsZero=True, precision=18,
            scale=2,
        ),
        make_field(
            "Status__c", "picklist", "Status", **custom, length=255, restrictedPicklist=True,
            defaultedOnCreate=True, defaultValue=None,
            picklistValues=entries("Draft", "Sent", "Paid", "Void", default="Draft"),
        ),
        make_field(
            "Region__c", "picklist", "Region", **custom, length=255,
            picklistValues=entries(*REGIONS),
        ),
        make_field(
            "Country__c", "picklist", "Country", **custom, length=255, controllerName="Region__c",
            dependentPicklist=True, picklistValues=dependent_entries(COUNTRIES, REGIONS),
        ),
        make_field("Due_Date__c", "date", "Due Date", **custom),
        make_field("Paid__c", "boolean", "Paid", **custom),
        make_field(
            "Payment_Method__c", "picklist", "Payment Method", **custom, length=255,
            controllerName="Paid__c", dependentPicklist=True, restrictedPicklist=True,
            picklistValues=dependent_entries(PAYMENT_METHODS, ("false", "true")),
        ),
        make_field("Billing_Email__c", "email", "Billing Email", **custom, length=80),
        make_field(
            "Invoice_Key__c", "string", "Invoice Key", **custom, length=40, externalId=True,
            unique=True, idLookup=True,
        ),
        make_field("Internal_Notes__c", "textarea", "Internal Notes", **custom, length=32000),
    ]  # fmt: skip
    shown = copy.deepcopy(event)
    shown.update(
        {
            "childRelationships": [
                child("Task", "WhatId", "Tasks"),
            ],
            "compactLayoutable": True,
            "custom": True,
            "deepCloneable": False,
            "feedEnabled": False,
            "fields": fields,
            "keyPrefix": INVOICE_PREFIX,
            "label": "Invoice",
            "labelPlural": "Invoices",
            "mergeable": False,
            "mruEnabled": True,
            "name": "Invoice__c",
            "recordTypeInfos": [record_type("Master", MASTER_RECORD_TYPE_ID, "Invoice__c", True)],
            "supportedScopes": [
                {"label": "All invoices", "name": "everything"},
                {"label": "My invoices", "name": "mine"},
                {"label": "Filter by scope", "name": "scopingRule"},
                {"label": "My team's invoices", "name": "team"},
            ],
            "triggerable": True,
            "urls": object_urls("Invoice__c", INVOICE_PREFIX),
        }
    )
    return shown


# -- Opportunity record types ------------------------------------------------------------------

RECORD_TYPE_STAGES = {
    NEW_BUSINESS_RT: (
        "Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
        "Negotiation/Review", "Closed Won", "Closed Lost",
    ),
    RENEWAL_RT: ("Perception Analysis", "Negotiation/Review", "Closed Won", "Closed Lost"),
}  # fmt: skip
RECORD_TYPE_TYPES = {
    NEW_BUSINESS_RT: ("New Customer",),
    RENEWAL_RT: (
        "Existing Customer - Upgrade",
        "Existing Customer - Replacement",
        "Existing Customer - Downgrade",
    ),
}
RECORD_TYPE_NAMES = {NEW_BUSINESS_RT: "New Business", RENEWAL_RT: "Renewal"}


def add_record_types(opportunity: dict[str, Any], account: dict[str, Any]) -> None:
    """Master + New Business (the default) + Renewal, alphabetical like real payloads.

    The RecordTypeId field is the real one of Account, placed after AccountId.
    """
    master = record_type("Master", MASTER_RECORD_TYPE_ID, "Opportunity")
    new_business = record_type("New Business", NEW_BUSINESS_RT, "Opportunity", default=True)
    renewal = record_type("Renewal", RENEWAL_RT, "Opportunity")
    opportunity["recordTypeInfos"] = [master, new_business, renewal]
    fields = opportunity["fields"]
    if not any(raw["name"] == "RecordTypeId" for raw in fields):
        rt_field = copied({raw["name"]: raw for raw in account["fields"]}, "RecordTypeId")
        after = next(i for i, raw in enumerate(fields) if raw["name"] == "AccountId")
        fields.insert(after + 1, rt_field)


def record_type_picklists(opportunity: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """UI API picklist-values payloads of the two record types (subsets of the master lists)."""
    built = {}
    for rt_id in (NEW_BUSINESS_RT, RENEWAL_RT):
        payload = master_picklist_values(opportunity, rt_id, VERSION)
        subsets = {"StageName": RECORD_TYPE_STAGES[rt_id], "Type": RECORD_TYPE_TYPES[rt_id]}
        for name, allowed in subsets.items():
            spec = payload["picklistFieldValues"][name]
            spec["values"] = [v for v in spec["values"] if v["value"] in allowed]
            spec["eTag"] = f"rt-{rt_id[:15]}-{name}-{len(allowed)}"
        payload["eTag"] = f"rt-{rt_id[:15]}"
        built[("Opportunity", rt_id)] = payload
    return built


# -- global describe ---------------------------------------------------------------------------

GLOBAL_KEYS = (
    "activateable", "associateEntityType", "associateParentEntity", "createable", "custom",
    "customSetting", "deepCloneable", "deletable", "deprecatedAndHidden", "feedEnabled",
    "hasSubtypes", "isInterface", "isSubtype", "keyPrefix", "label", "labelPlural", "layoutable",
    "mergeable", "mruEnabled", "name", "queryable", "replicateable", "retrieveable", "searchable",
    "triggerable", "undeletable", "updateable",
)  # fmt: skip
GLOBAL_URL_KEYS = (
    "compactLayouts", "rowTemplate", "approvalLayouts", "listviews", "describe", "quickActions",
    "layouts", "sobject",
)  # fmt: skip


def global_entry(describe: dict[str, Any]) -> dict[str, Any]:
    """A global-describe row for an object, made from its describe (same keys as real rows)."""
    row = {key: describe.get(key) for key in GLOBAL_KEYS}
    row["urls"] = {k: v for k, v in describe["urls"].items() if k in GLOBAL_URL_KEYS}
    return row


def build_global(
    real_global: dict[str, Any], sobjects: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Real global rows for the objects we ship, plus rows made for authored objects."""
    real_rows = {row["name"]: row for row in real_global["sobjects"]}
    rows = []
    for name in sorted(sobjects):
        made = global_entry(sobjects[name])
        real = real_rows.get(name)
        # Upstream appended Event and Lead rows by hand (keyPrefix null, flags that contradict
        # their describes): a real row is kept only when it agrees with the shipped describe.
        agrees = real is not None and all(real.get(k) == made[k] for k in GLOBAL_KEYS)
        rows.append(real if agrees else made)
    return {
        "encoding": real_global["encoding"],
        "maxBatchSize": real_global["maxBatchSize"],
        "sobjects": rows,
    }


# -- seed records ------------------------------------------------------------------------------

OWNER = DEMO_USER.user_id
STAMP = "2024-01-15T09:30:00.000+0000"


def audit() -> dict[str, Any]:
    return {
        "OwnerId": OWNER,
        "CreatedDate": STAMP,
        "CreatedById": OWNER,
        "LastModifiedDate": STAMP,
        "LastModifiedById": OWNER,
        "SystemModstamp": STAMP,
        "IsDeleted": False,
    }


def seed_records() -> dict[str, list[dict[str, Any]]]:
    """A small, consistent data set: every reference points at a seeded record or the owner."""
    acc = [make_id("001", n) for n in (1, 2, 3)]
    con = [make_id("003", n) for n in (1, 2, 3)]
    opp = [make_id("006", n) for n in (1, 2, 3)]
    close = date(2024, 6, 30)
    accounts = [
        {"Id": acc[0], "Name": "Acme Corporation", "Industry": "Manufacturing",
         "BillingCity": "Chicago", "BillingCountry": "United States", "Phone": "+1 312 555 0100"},
        {"Id": acc[1], "Name": "Globex GmbH", "Industry": "Technology", "BillingCity": "Berlin",
         "BillingCountry": "Germany", "Phone": "+49 30 5550 100"},
        {"Id": acc[2], "Name": "Initech Pty Ltd", "Industry": "Consulting",
         "BillingCity": "Sydney", "BillingCountry": "Australia", "Phone": "+61 2 5550 0100"},
    ]  # fmt: skip
    contacts = [
        {"Id": con[0], "AccountId": acc[0], "FirstName": "Ada", "LastName": "Lovelace",
         "Email": "ada@acme.example", "Title": "CTO"},
        {"Id": con[1], "AccountId": acc[1], "FirstName": "Grace", "LastName": "Hopper",
         "Email": "grace@globex.example", "Title": "VP Engineering"},
        {"Id": con[2], "AccountId": acc[2], "FirstName": "Alan", "LastName": "Turing",
         "Email": "alan@initech.example", "Title": "Head of Research"},
    ]  # fmt: skip
    opportunities = [
        {"Id": opp[0], "AccountId": acc[0], "Name": "Acme - New Line", "StageName": "Prospecting",
         "CloseDate": close.isoformat(), "Amount": 120000.0, "RecordTypeId": NEW_BUSINESS_RT,
         "Type": "New Customer", "IsClosed": False, "IsWon": False},
        {"Id": opp[1], "AccountId": acc[1], "Name": "Globex - Renewal 2024",
         "StageName": "Negotiation/Review", "CloseDate": (close + timedelta(days=30)).isoformat(),
         "Amount": 48000.0, "RecordTypeId": RENEWAL_RT, "Type": "Existing Customer - Upgrade",
         "IsClosed": False, "IsWon": False},
        {"Id": opp[2], "AccountId": acc[2], "Name": "Initech - Pilot", "StageName": "Closed Won",
         "CloseDate": (close - timedelta(days=60)).isoformat(), "Amount": 15000.0,
         "RecordTypeId": NEW_BUSINESS_RT, "Type": "New Customer", "IsClosed": True,
         "IsWon": True},
    ]  # fmt: skip
    leads = [
        {"Id": make_id("00Q", 1), "FirstName": "Katherine", "LastName": "Johnson",
         "Company": "Orbital Dynamics", "Status": "Open - Not Contacted",
         "Email": "katherine@orbital.example"},
    ]  # fmt: skip
    cases = [
        {"Id": make_id("500", 1), "AccountId": acc[0], "ContactId": con[0],
         "Subject": "Invoice shows the wrong tax rate", "Status": "New", "Origin": "Email",
         "Priority": "Medium"},
    ]  # fmt: skip
    tasks = [
        {"Id": make_id("00T", 1), "WhatId": opp[0], "WhoId": con[0], "AccountId": acc[0],
         "Subject": "Call", "Status": "Not Started", "Priority": "High",
         "ActivityDate": "2024-02-01", "TaskSubtype": "Call", "IsClosed": False},
        {"Id": make_id("00T", 2), "WhatId": opp[1], "WhoId": con[1], "AccountId": acc[1],
         "Subject": "Send Quote", "Status": "Completed", "Priority": "Normal",
         "ActivityDate": "2024-01-20", "TaskSubtype": "Task", "IsClosed": True},
    ]  # fmt: skip
    invoices = [
        {"Id": make_id(INVOICE_PREFIX, 1), "Name": "INV-0001", "Account__c": acc[0],
         "Opportunity__c": opp[2], "Amount__c": 15000.0, "Tax_Rate__c": 10.0, "Total__c": 16500.0,
         "Status__c": "Paid", "Region__c": "Americas", "Country__c": "United States",
         "Paid__c": True, "Payment_Method__c": "Wire", "Invoice_Key__c": "ACME-2024-001"},
        {"Id": make_id(INVOICE_PREFIX, 2), "Name": "INV-0002", "Account__c": acc[1],
         "Opportunity__c": None, "Amount__c": 2400.0, "Tax_Rate__c": 19.0, "Total__c": 2856.0,
         "Status__c": "Draft", "Region__c": "EMEA", "Country__c": "Germany", "Paid__c": False,
         "Payment_Method__c": "Pending", "Invoice_Key__c": "GLOBEX-2024-001"},
    ]  # fmt: skip
    tables = {
        "Account": accounts,
        "Case": cases,
        "Contact": contacts,
        "Invoice__c": invoices,
        "Lead": leads,
        "Opportunity": opportunities,
        "Task": tasks,
    }
    return {name: [{**row, **audit()} for row in rows] for name, rows in tables.items()}


# -- everything --------------------------------------------------------------------------------


def add_children(parent: dict[str, Any], *rows: dict[str, Any]) -> None:
    """Add child relationships to a real describe (sorted by child object like real ones)."""
    known = {(c["childSObject"], c["field"]) for c in parent["childRelationships"]}
    fresh = [row for row in rows if (row["childSObject"], row["field"]) not in known]
    merged = parent["childRelationships"] + fresh
    parent["childRelationships"] = sorted(merged, key=lambda c: (c["childSObject"], c["field"]))


def build(describes: dict[str, dict[str, Any]], real_global: dict[str, Any]) -> Built:
    """Every file of the demo org, from the (URL-normalised) real payloads."""
    sobjects = copy.deepcopy(describes)
    sobjects["Task"] = task(sobjects["Event"])
    sobjects["Invoice__c"] = invoice(sobjects["Event"])
    what = next(raw for raw in sobjects["Task"]["fields"] if raw["name"] == "WhatId")
    what["referenceTo"] = sorted({*what["referenceTo"], "Invoice__c"})
    add_record_types(sobjects["Opportunity"], sobjects["Account"])
    add_children(
        sobjects["Account"], child("Invoice__c", "Account__c", "Invoices__r", restricted=True)
    )
    add_children(sobjects["Opportunity"], child("Invoice__c", "Opportunity__c", "Invoices__r"))
    return Built(
        sobjects=sobjects,
        global_describe=build_global(real_global, sobjects),
        picklists=record_type_picklists(sobjects["Opportunity"]),
        records=seed_records(),
    )
