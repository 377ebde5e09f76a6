"""Field paths and values against an org's schema: the checker's lookups and type rules.

A path such as ``Contact.Account.Owner.Name`` is resolved through relationship names
(``parent_relationship``) and ``referenceTo``. A polymorphic relationship (several
``referenceTo`` objects) resolves only to the fields of Salesforce's ``Name`` object unless the
query uses TYPEOF. When a path leads to an object the snapshot lacks, nothing is claimed: the
result says which object is missing so the checker can warn instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sfschema import ids
from sfschema import salesforce_errors as errors
from sfschema.soql.ast import Currency, DateLiteral, Literal, Param
from sfschema.soql.literals import LikePattern
from sfschema.suggest import close_matches

if TYPE_CHECKING:
    from sfschema.describe.models import FieldDescribe, SObjectDescribe
    from sfschema.schema import OrgSchema

MAX_PARENT_LEVELS = 5

# Fields of the ``Name`` sObject that polymorphic relationships (What, Who, Owner …) resolve to
# without TYPEOF (SOQL/API reference, "Name" object), with their describe types.
NAME_OBJECT_FIELDS: dict[str, str] = {
    "Id": "id",
    "Alias": "string",
    "Email": "email",
    "FirstName": "string",
    "IsActive": "boolean",
    "LastName": "string",
    "LastReferencedDate": "datetime",
    "LastViewedDate": "datetime",
    "Name": "string",
    "Phone": "phone",
    "ProfileId": "reference",
    "RecordTypeId": "reference",
    "Title": "string",
    "Type": "string",
    "UserRoleId": "reference",
    "Username": "string",
}

_TEXT = frozenset(
    ("string", "picklist", "multipicklist", "combobox", "textarea", "email", "phone", "url")
) | frozenset(("encryptedstring",))
_IDS = frozenset(("id", "reference"))
_NUMBERS = frozenset(("int", "double", "currency", "percent", "long"))


def value_kind(field_type: str) -> str | None:
    """The kind of SOQL literal a field of this describe type compares with (None: unchecked)."""
    if field_type in _TEXT:
        return "text"
    if field_type in _IDS:
        return "id"
    if field_type in _NUMBERS:
        return "number"
    if field_type in ("boolean", "date", "datetime"):
        return field_type
    return None


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about one path or value (the checker adds position and severity)."""

    code: str
    message: str
    suggestion: str | None = None
    warning: bool = False


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a path ended: the field (None when unchecked) and any problem on the way."""

    field: FieldDescribe | None = None
    problem: Problem | None = None
    polymorphic_name_field: bool = False


def _did_you_mean(name: str, candidates: list[str]) -> tuple[str, str | None]:
    matches = close_matches(name, candidates)
    if not matches:
        return "", None
    return " (did you mean " + " or ".join(repr(m) for m in matches) + "?)", matches[0]


def strip_prefix(path: tuple[str, ...], sobject: SObjectDescribe, alias: str | None) -> list[str]:
    """Drop a leading ``alias.`` or ``ObjectName.`` qualifier (``SELECT c.Name FROM Contact c``)."""
    parts = list(path)
    if len(parts) > 1:
        head = parts[0].lower()
        if alias is not None and head == alias.lower():
            return parts[1:]
        if head == sobject.name.lower() and not _relationship(sobject, parts[0]):
            return parts[1:]
    return parts


def _relationship(sobject: SObjectDescribe, name: str) -> FieldDescribe | None:
    lowered = name.lower()
    for candidate in sobject.fields:
        if candidate.relationshipName and candidate.relationshipName.lower() == lowered:
            return candidate
    return None


def depth_problem(dotted: str, hops: int) -> Problem | None:
    """A path following more parent relationships than SOQL allows (None: within the limit).

    The reference says "no more than five levels can be specified in a child-to-parent
    relationship" and counts ``Contact.Account.Owner.FirstName`` (two relationship hops from
    Contact) as three levels. sfschema allows five hops from the queried object
    (``Account.Parent.Parent.Parent.Parent.Name`` from Contact), reading the limit as hops;
    UNCERTAIN: counted the reference's way the limit could be four hops. The message is ours:
    Salesforce's wording is not documented.
    """
    if hops <= MAX_PARENT_LEVELS:
        return None
    return Problem(
        errors.MALFORMED_QUERY,
        f"{dotted}: SOQL follows at most {MAX_PARENT_LEVELS} levels of parent relationships, "
        f"this path has {hops}",
    )


def resolve_path(
    schema: OrgSchema, object_name: str, path: tuple[str, ...], alias: str | None = None
) -> Resolved:
    """Resolve a field path on ``object_name`` (an object the schema has)."""
    sobject = schema.sobject(object_name)
    parts = strip_prefix(path, sobject, alias)
    dotted = ".".join(path)
    too_deep = depth_problem(dotted, len(parts) - 1)
    if too_deep is not None:
        return Resolved(problem=too_deep)
    for index, part in enumerate(parts[:-1]):
        reference = _relationship(sobject, part)
        if reference is None:
            return Resolved(problem=_not_a_relationship(sobject, part))
        targets = reference.referenceTo
        rest = parts[index + 1 :]
        if len(targets) > 1:
            return _polymorphic(reference, rest, dotted)
        if not targets or not schema.has_object(targets[0]):
            missing = targets[0] if targets else f"the target of {reference.name}"
            return Resolved(
                problem=Problem(
                    "NOT_CHECKED", f"{missing} not in snapshot; {dotted} not checked", warning=True
                )
            )
        sobject = schema.sobject(targets[0])
    leaf = sobject.field(parts[-1])
    if leaf is None:
        return Resolved(problem=_no_such_column(sobject, parts[-1]))
    return Resolved(field=leaf)


def _not_a_relationship(sobject: SObjectDescribe, part: str) -> Problem:
    as_field = sobject.field(part)
    best: str | None
    if as_field is not None and as_field.relationshipName:
        best = as_field.relationshipName
        hint = f" (use the relationship name {best!r})"
    else:
        names = [f.relationshipName for f in sobject.fields if f.relationshipName]
        hint, best = _did_you_mean(part, names)
    return Problem(
        errors.INVALID_FIELD,
        f"Didn't understand relationship '{part}' in field path on entity '{sobject.name}'. If "
        "you are attempting to use a custom relationship, be sure to append the '__r' after the "
        "custom relationship name." + hint,
        best,
    )


def _no_such_column(sobject: SObjectDescribe, name: str) -> Problem:
    hint, best = _did_you_mean(name, [f.name for f in sobject.fields])
    if best is None and _relationship(sobject, name) is not None:
        reference = _relationship(sobject, name)
        assert reference is not None
        hint, best = (
            f" ('{name}' is a relationship: select {name}.Name or {reference.name})",
            (reference.name),
        )
    return Problem(
        errors.INVALID_FIELD,
        f"No such column '{name}' on entity '{sobject.name}'. If you are attempting to use a "
        "custom field, be sure to append the '__c' after the custom field name." + hint,
        best,
    )


def _polymorphic(reference: FieldDescribe, rest: list[str], dotted: str) -> Resolved:
    by_lower = {name.lower(): name for name in NAME_OBJECT_FIELDS}
    if len(rest) == 1 and rest[0].lower() in by_lower:
        name = by_lower[rest[0].lower()]
        from sfschema.describe.models import FieldDescribe  # loaded: a schema exists

        pseudo = FieldDescribe(name=name, type=NAME_OBJECT_FIELDS[name])
        return Resolved(field=pseudo, polymorphic_name_field=True)
    targets = ", ".join(reference.referenceTo)
    return Resolved(
        problem=Problem(
            errors.INVALID_FIELD,
            f"{dotted}: {reference.relationshipName} is polymorphic ({targets}); without TYPEOF "
            f"only the Name object's fields ({', '.join(sorted(NAME_OBJECT_FIELDS))}) can follow "
            "it",
            f"TYPEOF {reference.relationshipName} WHEN … THEN … END",
        )
    )


# -- values against field types ------------------------------------------------------------


def _literal_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | Decimal):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str | LikePattern):
        return "text"
    return "other"


def value_problem(field: FieldDescribe, op: str, node: Any) -> Problem | None:
    """Why ``field op node`` would be rejected (or is suspicious), or None."""
    kind = value_kind(field.type)
    if kind is None or isinstance(node, Param):
        return None
    if isinstance(node, DateLiteral):
        if kind in ("date", "datetime"):
            return None
        return _type_problem(field, "a date literal")
    if isinstance(node, Currency):
        if field.type == "currency":
            return None
        return _type_problem(field, "a currency amount")
    if not isinstance(node, Literal):
        return None
    got = _literal_kind(node.value)
    if got == "null":
        return None
    if kind == "id" and got == "text":
        text = node.value.text if isinstance(node.value, LikePattern) else node.value
        if op != "LIKE" and not ids.is_valid(text):
            return Problem(errors.INVALID_QUERY_FILTER_OPERATOR, f"invalid ID field: {text}")
        return None
    if kind == got:
        return _picklist_problem(field, node.value) if kind == "text" else None
    return _type_problem(field, got)


def _type_problem(field: FieldDescribe, got: str) -> Problem:
    wanted = field.type
    if wanted in _IDS or wanted in _TEXT:
        tail = "must be of type string and should be enclosed in quotes"
    else:
        tail = f"must be of type {wanted} and should not be enclosed in quotes"
    return Problem(
        errors.INVALID_FIELD,
        f"value of filter criterion for field '{field.name}' {tail} (got {got})",
    )


def _picklist_problem(field: FieldDescribe, value: Any) -> Problem | None:
    if field.type not in ("picklist", "multipicklist") or not field.restrictedPicklist:
        return None
    if isinstance(value, LikePattern):
        return None
    known = list(field.active_values)
    lowered = {v.lower() for v in known}
    parts = value.split(";") if field.type == "multipicklist" else [value]
    for part in parts:
        if part.lower() not in lowered:
            hint, best = _did_you_mean(part, known)
            return Problem(
                "UNKNOWN_PICKLIST_VALUE",
                f"{part!r} is not a value of the restricted picklist {field.name}; the filter "
                "matches no rows" + (hint or f" (values: {', '.join(known[:10])})"),
                best,
                warning=True,
            )
    return None


def operator_problem(field: FieldDescribe, op: str) -> Problem | None:
    """LIKE only on text other than multi-select picklists; INCLUDES/EXCLUDES only on those."""
    kind = value_kind(field.type)
    if op == "LIKE" and field.type == "multipicklist":
        # UNCERTAIN: the SOQL reference gives no wording; "invalid operator on
        # multipicklist field" is the message users of real orgs report. The errorCode is not
        # documented: INVALID_QUERY_FILTER_OPERATOR, like the other operator errors, is assumed.
        return Problem(
            errors.INVALID_QUERY_FILTER_OPERATOR,
            f"invalid operator on multipicklist field: LIKE does not work on {field.name}; use "
            "INCLUDES or EXCLUDES",
            f"{field.name} INCLUDES (…)",
        )
    if op == "LIKE" and kind is not None and kind != "text":
        return Problem(
            errors.INVALID_QUERY_FILTER_OPERATOR,
            f"LIKE works on text fields; {field.name} is {field.type}",
        )
    if op in ("INCLUDES", "EXCLUDES") and field.type != "multipicklist":
        return Problem(
            errors.INVALID_QUERY_FILTER_OPERATOR,
            f"{op} works on multi-select picklists; {field.name} is {field.type}",
        )
    return None
