"""Emulated users and what they may see and change (object permissions + field-level security).

Describe reflects the running user (SOAP API Developer Guide: DescribeSObjectResult, ``fields``):
``fields`` holds only the fields the user can see, and a field's ``createable``/``updateable`` is
the field's nature AND the object permission AND field-level edit access. Object-level flags follow
the user's object permissions.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sfschema import ids


@dataclass(frozen=True)
class ObjectAccess:
    """Object permissions of a profile on one object."""

    read: bool = True
    create: bool = True
    edit: bool = True
    delete: bool = True

    def allows_everything(self) -> bool:
        return self.read and self.create and self.edit and self.delete


FULL_ACCESS = ObjectAccess()
READ_ONLY = ObjectAccess(read=True, create=False, edit=False, delete=False)


@dataclass(frozen=True)
class User:
    """A user of the emulated org, with credentials and permissions.

    ``hidden_fields`` and ``read_only_fields`` hold ``"Object.Field"`` names; ``objects`` maps an
    object name to its ObjectAccess, others get ``default_access``.
    """

    username: str
    password: str
    security_token: str
    user_id: str
    display_name: str
    profile: str
    default_access: ObjectAccess = FULL_ACCESS
    objects: tuple[tuple[str, ObjectAccess], ...] = ()
    hidden_fields: frozenset[str] = field(default_factory=frozenset)
    read_only_fields: frozenset[str] = field(default_factory=frozenset)

    def access(self, object_name: str) -> ObjectAccess:
        """The user's object permissions on an object."""
        for name, access in self.objects:
            if name.lower() == object_name.lower():
                return access
        return self.default_access

    def can_see_field(self, object_name: str, field_name: str) -> bool:
        return f"{object_name}.{field_name}" not in self.hidden_fields

    def sees_describe_unchanged(self, object_name: str) -> bool:
        """True when this user's describe of the object is the stored payload as is."""
        prefix = f"{object_name}."
        return self.access(object_name).allows_everything() and not any(
            name.startswith(prefix) for name in self.hidden_fields | self.read_only_fields
        )


DEMO_USER = User(
    username="demo@sfschema.example",
    password="demo-password-1",
    security_token="DEMOSECURITYTOKEN0001",
    user_id=ids.make_id("005", 1001),
    display_name="Demo Admin",
    profile="System Administrator",
)

READONLY_USER = User(
    username="readonly@sfschema.example",
    password="readonly-password-1",
    security_token="READONLYSECURITYTOKEN1",
    user_id=ids.make_id("005", 1002),
    display_name="Read Only Analyst",
    profile="Read Only",
    default_access=READ_ONLY,
    hidden_fields=frozenset(
        {"Opportunity.Amount", "Account.AnnualRevenue", "Invoice__c.Internal_Notes__c"}
    ),
)

DEFAULT_USERS: tuple[User, ...] = (DEMO_USER, READONLY_USER)


def describe_for_user(payload: dict[str, Any], user: User) -> dict[str, Any]:
    """The describe payload as this user receives it (FLS and object permissions applied)."""
    name = str(payload.get("name", ""))
    if user.sees_describe_unchanged(name):
        return payload
    access = user.access(name)
    shown = copy.deepcopy(payload)
    apply_object_access(shown, access)
    fields = []
    for raw in shown.get("fields") or []:
        field_name = str(raw.get("name", ""))
        if not user.can_see_field(name, field_name):
            continue
        locked = f"{name}.{field_name}" in user.read_only_fields
        if "createable" in raw:
            raw["createable"] = bool(raw["createable"]) and access.create and not locked
        if "updateable" in raw:
            raw["updateable"] = bool(raw["updateable"]) and access.edit and not locked
        fields.append(raw)
    shown["fields"] = fields
    return shown


def apply_object_access(entry: dict[str, Any], access: ObjectAccess) -> None:
    """Combine object-level flags of a describe or global row with the user's permissions."""
    rules = {
        "createable": access.create,
        "updateable": access.edit,
        "deletable": access.delete,
        "undeletable": access.delete,
        "mergeable": access.edit and access.delete,
        "queryable": access.read,
        "retrieveable": access.read,
        "searchable": access.read,
    }
    for key, allowed in rules.items():
        if key in entry:
            entry[key] = bool(entry[key]) and allowed
