"""Key prefixes of standard objects: the same in every org.

Codegen checks an id's key prefix against a reference field's targets only when every target's
prefix is known to the snapshot (Task.WhatId points to ~80 objects; a small snapshot knows a few
of them). This table closes the gap without guessing: an id whose prefix belongs to a standard
object that is NOT among the field's targets is certainly wrong (a Contact id in Task.WhatId).
Custom objects get per-org prefixes and are not listed.

Source: salesforce-facts §10 (prefixes seen in real describes and public prefix lists).
"""

from __future__ import annotations

STANDARD_KEY_PREFIXES: dict[str, str] = {
    "001": "Account",
    "002": "Note",
    "003": "Contact",
    "005": "User",
    "006": "Opportunity",
    "00D": "Organization",
    "00E": "UserRole",
    "00G": "Group",
    "00K": "OpportunityContactRole",
    "00P": "Attachment",
    "00Q": "Lead",
    "00T": "Task",
    "00U": "Event",
    "00X": "EmailTemplate",
    "00e": "Profile",
    "00k": "OpportunityLineItem",
    "00v": "CampaignMember",
    "012": "RecordType",
    "01p": "ApexClass",
    "01s": "Pricebook2",
    "01t": "Product2",
    "01u": "PricebookEntry",
    "500": "Case",
    "701": "Campaign",
    "707": "AsyncApexJob",
    "800": "Contract",
    "801": "Order",
    "802": "OrderItem",
}


def standard_object_for_prefix(prefix: str) -> str | None:
    """The standard object whose ids start with ``prefix`` (None when not a standard prefix).

    >>> standard_object_for_prefix("003"), standard_object_for_prefix("a0I")
    ('Contact', None)
    """
    return STANDARD_KEY_PREFIXES.get(prefix)
