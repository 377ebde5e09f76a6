"""The one table of Salesforce error codes, their message wording and the wire error array.

Every part of sfschema that speaks Salesforce's errors uses this module: the run-time types and
the validator (to say what Salesforce *would* answer), the emulator (to answer it), and the
describe fetcher and client (to read what Salesforce *did* answer). Rules may differ between the
validator and the emulator (a differential test checks them against each other); their codes and
words come from here.

Sources: "Status Codes and Error Responses" and "StatusCode enum" (REST API Developer Guide,
SOAP API Developer Guide: Core Data Types), "Composite" and "sObject Collections" resources.

This module is a leaf: it imports nothing from sfschema.

>>> parse_error_array([{"message": "bad", "errorCode": "INVALID_FIELD", "fields": ["X"]}], 400)
[WireError(error_code='INVALID_FIELD', message='bad', status=400, fields=('X',))]
>>> error_array([WireError(MALFORMED_ID, "Account ID: id value of incorrect type: 1", 400)])
[{'message': 'Account ID: id value of incorrect type: 1', 'errorCode': 'MALFORMED_ID'}]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# -- record (DML) errors --------------------------------------------------------------------------
MALFORMED_ID = "MALFORMED_ID"
FIELD_INTEGRITY_EXCEPTION = "FIELD_INTEGRITY_EXCEPTION"
INVALID_TYPE_ON_FIELD_IN_RECORD = "INVALID_TYPE_ON_FIELD_IN_RECORD"
NUMBER_OUTSIDE_VALID_RANGE = "NUMBER_OUTSIDE_VALID_RANGE"
STRING_TOO_LONG = "STRING_TOO_LONG"
INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
REQUIRED_FIELD_MISSING = "REQUIRED_FIELD_MISSING"
INVALID_FIELD = "INVALID_FIELD"
INVALID_FIELD_FOR_INSERT_UPDATE = "INVALID_FIELD_FOR_INSERT_UPDATE"
INVALID_CROSS_REFERENCE_KEY = "INVALID_CROSS_REFERENCE_KEY"
JSON_PARSER_ERROR = "JSON_PARSER_ERROR"
ENTITY_IS_DELETED = "ENTITY_IS_DELETED"
DUPLICATE_VALUE = "DUPLICATE_VALUE"
DUPLICATE_EXTERNAL_ID = "DUPLICATE_EXTERNAL_ID"
UNABLE_TO_LOCK_ROW = "UNABLE_TO_LOCK_ROW"
INSUFFICIENT_ACCESS_OR_READONLY = "INSUFFICIENT_ACCESS_OR_READONLY"
INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY = "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"
CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY = "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY"
ALL_OR_NONE_OPERATION_ROLLED_BACK = "ALL_OR_NONE_OPERATION_ROLLED_BACK"
INVALID_ID_FIELD = "INVALID_ID_FIELD"
INVALID_INPUT = "INVALID_INPUT"
MISSING_ARGUMENT = "MISSING_ARGUMENT"

# -- query errors ---------------------------------------------------------------------------------
MALFORMED_QUERY = "MALFORMED_QUERY"
INVALID_TYPE = "INVALID_TYPE"
INVALID_QUERY_FILTER_OPERATOR = "INVALID_QUERY_FILTER_OPERATOR"
INVALID_QUERY_LOCATOR = "INVALID_QUERY_LOCATOR"

# -- request, session and limit errors ------------------------------------------------------------
INVALID_SESSION_ID = "INVALID_SESSION_ID"
INVALID_LOGIN = "INVALID_LOGIN"
NOT_FOUND = "NOT_FOUND"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
REQUEST_LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED"
LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
EXCEEDED_ID_LIMIT = "EXCEEDED_ID_LIMIT"
PROCESSING_HALTED = "PROCESSING_HALTED"
BATCH_PROCESSING_HALTED = "BATCH_PROCESSING_HALTED"
PRECONDITION_FAILED = "PRECONDITION_FAILED"
REQUEST_ENTITY_TOO_LARGE = "REQUEST_ENTITY_TOO_LARGE"
UNKNOWN_EXCEPTION = "UNKNOWN_EXCEPTION"
SERVER_UNAVAILABLE = "SERVER_UNAVAILABLE"
#: Not Salesforce's: what the emulator answers (501) for a resource it does not serve.
EMULATOR_NOT_IMPLEMENTED = "EMULATOR_NOT_IMPLEMENTED"
#: Not Salesforce's: an error body that is not an error array (HTML, empty, …).
UNKNOWN_ERROR = "UNKNOWN_ERROR"

#: The codes a record (field values) can be refused with; the validator prevents these.
RECORD_CODES: frozenset[str] = frozenset(
    {
        MALFORMED_ID,
        FIELD_INTEGRITY_EXCEPTION,
        INVALID_TYPE_ON_FIELD_IN_RECORD,
        NUMBER_OUTSIDE_VALID_RANGE,
        STRING_TOO_LONG,
        INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST,
        REQUIRED_FIELD_MISSING,
        INVALID_FIELD,
        INVALID_FIELD_FOR_INSERT_UPDATE,
        INVALID_CROSS_REFERENCE_KEY,
        JSON_PARSER_ERROR,
    }
)

#: Record errors worth sending again unchanged (the row was not written).
RETRYABLE_RECORD_CODES: frozenset[str] = frozenset({UNABLE_TO_LOCK_ROW})

# -- message wording (Salesforce's) ----------------------------------------------------------------
NOT_FOUND_MESSAGE = "The requested resource does not exist"
SESSION_EXPIRED_MESSAGE = "Session expired or invalid"
REQUEST_LIMIT_MESSAGE = "TotalRequests Limit exceeded."
PROCESSING_HALTED_MESSAGE = (
    "The transaction was rolled back since another operation in the same transaction failed."
)
#: A collection item not written because another item failed and allOrNone was true.
ROLLED_BACK_MESSAGE = (
    "Record rolled back because not all records were valid and the request was using AllOrNone "
    "header"
)
#: UNCERTAIN wording of the record count ("or 200 records" is seen for a batch of 200).
UNABLE_TO_LOCK_ROW_MESSAGE = "unable to obtain exclusive access to this record or {count} records"
ENTITY_IS_DELETED_MESSAGE = "entity is deleted"
INVALID_QUERY_LOCATOR_MESSAGE = "invalid query locator"
#: UNCERTAIN wording (the status is documented: "Status Codes and Error Responses", 500).
UNKNOWN_EXCEPTION_MESSAGE = (
    "An unexpected error occurred. Please include this ErrorId if you contact support: {error_id}"
)
#: UNCERTAIN wording: a body over the size Salesforce accepts ("Insert or Update Blob Data": a
#: non-multipart message is limited to 50 MB), status 413.
REQUEST_TOO_LARGE_MESSAGE = "The request body is larger than the {limit}-byte limit"
#: UNCERTAIN wording: If-Unmodified-Since older than the resource ("Conditional Request
#: Headers": 412 Precondition Failed).
PRECONDITION_FAILED_MESSAGE = "The requested resource has been modified since {since}"
#: UNCERTAIN wording: If-Unmodified-Since that is not an HTTP date ("Conditional Request
#: Headers": an invalid value is a 400).
INVALID_CONDITIONAL_HEADER_MESSAGE = "Invalid {header} header: {value}"
#: An access token in the URL (it would land in access logs): only the Authorization header
#: carries one.
TOKEN_IN_URL_MESSAGE = (
    "Session expired or invalid: send the access token in the Authorization header, never in "
    "the URL"
)
#: 503 (server busy or read-only mode; "Status Codes and Error Responses"). UNCERTAIN wording.
SERVER_UNAVAILABLE_MESSAGE = "Server is temporarily unavailable. Please try again later."


def required_fields_missing(*names: str) -> str:
    """REQUIRED_FIELD_MISSING: ``Required fields are missing: [A, B]``."""
    return f"Required fields are missing: [{', '.join(names)}]"


def no_such_column(field: str, object_name: str) -> str:
    """INVALID_FIELD for a record write (sObject type, as DML words it)."""
    return f"No such column '{field}' on sobject of type {object_name}"


def not_writable(field: str) -> str:
    """INVALID_FIELD_FOR_INSERT_UPDATE: a field the operation cannot set."""
    return (
        f"Unable to create/update fields: {field}. Please check the security settings of "
        "this field and verify that it is read/write for your profile or permission set."
    )


def sobject_not_supported(object_name: str) -> str:
    """INVALID_TYPE in a query: the object is unknown or invisible to the user."""
    return (
        f"sObject type '{object_name}' is not supported. If you are attempting to use a custom "
        "object, be sure to append the '__c' after the entity name. Please reference your WSDL "
        "or the describe call for the appropriate names."
    )


#: INVALID_CROSS_REFERENCE_KEY for an id that names no record the user can see.
INVALID_CROSS_REFERENCE_MESSAGE = "invalid cross reference id"
#: A record id in a URL that is not an id of the object (sObject Rows; UNCERTAIN wording).
MALFORMED_ID_IN_URL_MESSAGE = "malformed id {value}"
#: The object-level permission the user lacks (create / edit / delete; UNCERTAIN wording).
INSUFFICIENT_ACCESS_MESSAGE = "insufficient access rights on object id"
ENTITY_NOT_INSERTABLE_MESSAGE = "entity type cannot be inserted: {object_name}"
ENTITY_NOT_UPDATEABLE_MESSAGE = "entity type cannot be updated: {object_name}"
ENTITY_NOT_DELETABLE_MESSAGE = "entity type cannot be deleted: {object_name}"
#: Upsert by an external id field the object does not have (or the user cannot see).
EXTERNAL_ID_NOT_FOUND_MESSAGE = (
    "Provided external ID field does not exist or is not accessible: {field}"
)
#: sObject Collections: more records than a call takes (EXCEEDED_ID_LIMIT; UNCERTAIN wording).
TOO_MANY_RECORDS_MESSAGE = (
    "record limit reached. cannot submit more than {limit} records into this call"
)
#: A create that names an Id (INVALID_FIELD), an update without one (MISSING_ARGUMENT).
ID_ON_INSERT_MESSAGE = "cannot specify Id in an insert call"
ID_MISSING_MESSAGE = "Id not specified in an update call"
DUPLICATE_FIELD_MESSAGE = "Duplicate field: {field}"


def value_not_of_required_type(label: str, value: str) -> str:
    """INVALID_TYPE_ON_FIELD_IN_RECORD: a JSON value of the wrong type for the field."""
    return f"{label}: value not of required type: {value}"


def value_outside_valid_range(label: str, value: str) -> str:
    """NUMBER_OUTSIDE_VALID_RANGE: too many digits left of the point (or in an integer)."""
    return f"{label}: value outside of valid range on numeric field: {value}"


def data_value_too_large(label: str, value: str, length: int) -> str:
    """STRING_TOO_LONG: more characters than the field's length."""
    return f"{label}: data value too large: {value} (max length={length})"


def bad_restricted_picklist_value(label: str, value: str) -> str:
    """INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: a value outside a restricted picklist."""
    return f"{label}: bad value for restricted picklist field: {value}"


def id_value_of_incorrect_type(label: str, value: str) -> str:
    """MALFORMED_ID (not an id) or FIELD_INTEGRITY_EXCEPTION (an id of another object)."""
    return f"{label}: id value of incorrect type: {value}"


def id_not_valid_for_user(label: str, value: str) -> str:
    """INVALID_CROSS_REFERENCE_KEY for a record type the user cannot use."""
    return f"{label}: this ID value isn't valid for the user: {value}"


def dependent_value_not_valid(
    label: str, value: str, controller: str, controller_value: str
) -> str:
    """FIELD_INTEGRITY_EXCEPTION: a dependent picklist value its controller does not allow."""
    return (
        f"field integrity exception: {label}: {value} is not valid when {controller} is "
        f"{controller_value}"
    )


def no_such_column_on_entity(field: str, entity: str) -> str:
    """INVALID_FIELD in a query: the field is unknown or invisible to the user (FLS)."""
    return (
        f"No such column '{field}' on entity '{entity}'. If you are attempting to use a custom "
        "field, be sure to append the '__c' after the custom field name. Please reference your "
        "WSDL or the describe call for the appropriate names."
    )


def relationship_not_understood(name: str) -> str:
    """INVALID_FIELD in a query: a parent path names no relationship of the entity."""
    return (
        f"Didn't understand relationship '{name}' in field path. If you are attempting to use a "
        "custom relationship, be sure to append the '__r' after the custom relationship name. "
        "Please reference your WSDL or the describe call for the appropriate names."
    )


def child_relationship_not_understood(name: str) -> str:
    """INVALID_TYPE in a query: a subquery's FROM names no child relationship of the entity."""
    return (
        f"Didn't understand relationship '{name}' in FROM part of query call. If you are "
        "attempting to use a custom relationship, be sure to append the '__r' after the custom "
        "relationship name. Please reference your WSDL or the describe call for the appropriate "
        "names."
    )


#: MALFORMED_QUERY for FIELDS(ALL) or FIELDS(CUSTOM) without LIMIT 200 (SOQL reference, FIELDS()).
FIELDS_UNBOUNDED_MESSAGE = (
    "The SOQL FIELDS function is not supported with an unbounded set of fields in this API."
)


def query_error(text: str, pos: int | None, message: str) -> str:
    """A SOQL error message with the position text Salesforce puts before it.

    Salesforce shows the query line, a caret under the offending character and its 1-based row
    and column, then the reason (as in ``select count() from XYZZY``, "Status Codes and Error
    Responses"). UNCERTAIN: for a long line Salesforce shows only part of it; the whole line is
    shown here.

    >>> print(query_error("select Id from XYZZY", 15, "sObject type 'XYZZY' is not supported."))
    <BLANKLINE>
    select Id from XYZZY
                   ^
    ERROR at Row:1:Column:16
    sObject type 'XYZZY' is not supported.
    """
    if pos is None or not 0 <= pos <= len(text):
        return message
    row = text.count("\n", 0, pos) + 1
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end]
    column = pos - start + 1
    return f"\n{line}\n{' ' * (column - 1)}^\nERROR at Row:{row}:Column:{column}\n{message}"


# -- the wire error array ------------------------------------------------------------------------
@dataclass(frozen=True)
class WireError:
    """One entry of Salesforce's error array, with the HTTP status it came with."""

    error_code: str
    message: str
    status: int | None = None
    fields: tuple[str, ...] | None = None

    def entry(self) -> dict[str, Any]:
        """The JSON entry: ``{"message", "errorCode"[, "fields"]}`` (fields only when known)."""
        out: dict[str, Any] = {"message": self.message, "errorCode": self.error_code}
        if self.fields is not None:
            out["fields"] = list(self.fields)
        return out


def error_array(errors: Sequence[WireError]) -> list[dict[str, Any]]:
    """Salesforce's error array for a REST answer."""
    return [error.entry() for error in errors]


def parse_error_array(body: Any, status: int | None = None) -> list[WireError]:
    """The errors of a REST error body (an array of ``{message, errorCode, fields}``).

    Also reads collection item errors (``statusCode`` instead of ``errorCode``) and OAuth errors
    (``{"error", "error_description"}``). Anything else is one UNKNOWN_ERROR naming the status.
    """
    items = body if isinstance(body, list) else [body]
    errors: list[WireError] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        code = item.get("errorCode", item.get("statusCode", item.get("error")))
        if not isinstance(code, str) or not code:
            continue
        message = item.get("message", item.get("error_description", ""))
        fields = item.get("fields")
        errors.append(
            WireError(
                code,
                str(message),
                status,
                tuple(str(f) for f in fields) if isinstance(fields, list) else None,
            )
        )
    if not errors:
        errors.append(
            WireError(UNKNOWN_ERROR, f"HTTP {status}: not a Salesforce error body", status)
        )
    return errors
