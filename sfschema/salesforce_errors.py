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

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_CEILING, ROUND_FLOOR, Context, Decimal
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
#: Not Salesforce's: a write was sent but its answer never came (timeout, 5xx on a create).
OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN"

#: Not Salesforce's: a workflow action sent a 15-character id as its 18-character form (warning).
ID_NORMALISED = "ID_NORMALISED"

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
        CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY,
    }
)

# -- sfschema's own codes: data-quality checks Salesforce does not make ---------------------------
#: An open picklist value that is not among the known values (warning; error when strict).
UNKNOWN_PICKLIST_VALUE = "UNKNOWN_PICKLIST_VALUE"
#: An open picklist value outside the record type's subset (warning; error when strict).
PICKLIST_VALUE_NOT_IN_RECORD_TYPE = "PICKLIST_VALUE_NOT_IN_RECORD_TYPE"
#: A dependent picklist sent without its controlling field: the pair cannot be checked.
DEPENDENT_PICKLIST_UNCHECKED = "DEPENDENT_PICKLIST_UNCHECKED"
#: ``record_type_id`` was given but the payload's own RecordTypeId differs (the payload wins).
RECORD_TYPE_OVERRIDDEN = "RECORD_TYPE_OVERRIDDEN"
#: A number with more significant digits than a JSON number (a float) carries: the payload holds
#: the nearest float, which is not the value given (warning).
PRECISION_LOSS = "PRECISION_LOSS"
#: A number with more decimal places than the field's scale: Salesforce accepts it and stores it
#: rounded to the scale ("DescribeSObjectResult", Field ``scale``), so the stored value is not the
#: value given (warning).
SCALE_ROUNDED = "SCALE_ROUNDED"
#: A relationship set by external id whose target object is not in the schema: its external id
#: fields are unknown, so the key cannot be checked (warning).
EXTERNAL_ID_UNCHECKED = "EXTERNAL_ID_UNCHECKED"

SFSCHEMA_CODES: frozenset[str] = frozenset(
    {
        UNKNOWN_PICKLIST_VALUE,
        PICKLIST_VALUE_NOT_IN_RECORD_TYPE,
        DEPENDENT_PICKLIST_UNCHECKED,
        RECORD_TYPE_OVERRIDDEN,
        PRECISION_LOSS,
        SCALE_ROUNDED,
        EXTERNAL_ID_UNCHECKED,
    }
)

#: Record errors worth sending again unchanged (the row was not written).
RETRYABLE_RECORD_CODES: frozenset[str] = frozenset({UNABLE_TO_LOCK_ROW})

# -- message wording (Salesforce's) ---------------------------------------------------------------
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


def outcome_unknown(reason: str) -> str:
    """OUTCOME_UNKNOWN (sfschema's): why a create may or may not have been written."""
    return (
        f"{reason}: Salesforce may or may not have created this record, so it was not sent "
        "again (that could create it twice); upsert by an external id field to retry safely"
    )


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


# -- record messages ------------------------------------------------------------------------------
# Field-level write errors start with the field LABEL and list the API name in ``fields``
# ("Billing City: data value too large: … (max length=40)"). The run-time types' messages leave
# the value out (it is the pydantic error's input); the validator's reports quote it.
# UNCERTAIN: INVALID_TYPE_ON_FIELD_IN_RECORD and FIELD_INTEGRITY_EXCEPTION wording across field
# types (reports of real responses differ).


def incorrect_id(label: str) -> str:
    """MALFORMED_ID / FIELD_INTEGRITY_EXCEPTION of a run-time id type (no value)."""
    return f"{label}: id value of incorrect type"


def not_of_required_type(label: str, expected: str) -> str:
    """INVALID_TYPE_ON_FIELD_IN_RECORD of a run-time type, naming what it expects."""
    return f"{label}: value not of required type (expected {expected})"


def outside_valid_range(label: str, digits: int) -> str:
    """NUMBER_OUTSIDE_VALID_RANGE of a run-time number type (``digits`` left of the point)."""
    return f"{label}: value outside of valid range on numeric field (max {digits} digits)"


def data_value_too_large_max(label: str, max_length: int) -> str:
    """STRING_TOO_LONG of a run-time text type (no value)."""
    return f"{label}: data value too large (max length={max_length})"


def bad_restricted_picklist(label: str, value: str | None = None) -> str:
    """INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, with the bad value(s) when given."""
    if value is not None:
        return bad_restricted_picklist_value(label, value)
    return f"{label}: bad value for restricted picklist field"


def duplicate_field(name: str) -> str:
    """JSON_PARSER_ERROR for a field named twice in one record."""
    return DUPLICATE_FIELD_MESSAGE.format(field=name)


def not_a_json_object(type_name: str) -> str:
    """JSON_PARSER_ERROR (sfschema's words) for field values that are not a JSON object."""
    return f"field values must be a JSON object (field name → value), got {type_name}"


#: ``entity_cannot_be``'s message per operation.
_ENTITY_MESSAGES = {
    "create": ENTITY_NOT_INSERTABLE_MESSAGE,
    "update": ENTITY_NOT_UPDATEABLE_MESSAGE,
    "delete": ENTITY_NOT_DELETABLE_MESSAGE,
}


def entity_cannot_be(operation: str, object_label: str) -> str:
    """CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY for an object the user cannot create, update or
    delete (the describe's ``createable`` / ``updateable`` / ``deletable`` are false). Seen in real
    responses quoted by public projects: ``entity type cannot be inserted: Contact``,
    ``entity type cannot be updated: Call Center`` (the object's label)."""
    return _ENTITY_MESSAGES[operation].format(object_name=object_label)


# -- relationships set by external id ({"Account__r": {"Key__c": "X-1"}}) -------------------------
# Sources: "Insert or Update (Upsert) a Record Using an External ID" and "Relating Records by Using
# an External ID" (REST API / Apex Developer Guides) for the form; the INVALID_FIELD wordings are
# real responses quoted by public projects. Those marked UNCERTAIN are sfschema's own words for
# cases whose Salesforce wording is not confirmed.


def not_a_nested_sobject(relationship: str) -> str:
    """INVALID_FIELD: a relationship name given a value that is not an object."""
    return f"The value provided for foreign key reference {relationship} is not a nested SObject"


def more_than_one_key(object_name: str) -> str:
    """INVALID_FIELD: a foreign key reference naming more than one field."""
    return (
        f"More than 1 field provided in an external foreign key reference in entity: {object_name}"
    )


def not_an_external_id(field: str, object_name: str) -> str:
    """INVALID_FIELD: the field named in a foreign key reference is not an external id (or
    idLookup) field of the target object."""
    return f"Field name provided, {field} is not an External ID or indexed field for {object_name}"


def no_key_given(relationship: str) -> str:
    """INVALID_FIELD (UNCERTAIN wording): a foreign key reference naming no field."""
    return f"The foreign key reference {relationship} names no external ID field"


def reference_type_needed(relationship: str) -> str:
    """INVALID_FIELD (UNCERTAIN wording): a polymorphic relationship without attributes.type."""
    return (
        f"The foreign key reference {relationship} can point to several object types; "
        'say which with "attributes": {"type": ...}'
    )


def invalid_reference_type(object_name: str, relationship: str) -> str:
    """INVALID_FIELD (UNCERTAIN wording): attributes.type names an object the relationship
    cannot point to."""
    return f"The foreign key reference {relationship} cannot point to sObject type {object_name}"


def id_and_external_id(relationship: str, field: str) -> str:
    """INVALID_FIELD: a record sets a reference both by record id and by external id (UNCERTAIN:
    the wording is the one public reports quote for Apex DML; REST's is assumed the same)."""
    return (
        f"Cannot specify both an external ID reference {relationship} and a salesforce id, {field}"
    )


def foreign_key_not_found(value: str, field: str, object_name: str) -> str:
    """INVALID_FIELD: no live record of the target has this external id value (UNCERTAIN: the
    wording as public reports quote it)."""
    return f"Foreign key external ID: {value} not found for field {field} in entity {object_name}"


def foreign_key_matches_many(value: str) -> str:
    """DUPLICATE_EXTERNAL_ID: several live records of the target have this external id value
    (UNCERTAIN wording)."""
    return f"Foreign key external ID: {value} matched more than one record"


# -- validator reports: message by code -----------------------------------------------------------
#: Salesforce's field-level wording by code: (label, value shown) → message.
_BY_CODE: dict[str, Callable[[str, str], str]] = {
    MALFORMED_ID: id_value_of_incorrect_type,
    FIELD_INTEGRITY_EXCEPTION: id_value_of_incorrect_type,
    INVALID_TYPE_ON_FIELD_IN_RECORD: value_not_of_required_type,
    NUMBER_OUTSIDE_VALID_RANGE: value_outside_valid_range,
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: bad_restricted_picklist_value,
    INVALID_CROSS_REFERENCE_KEY: id_not_valid_for_user,
}
#: sfschema's own codes (warnings): their wording, with the field label and the value shown.
_SFSCHEMA_TEMPLATES: dict[str, str] = {
    UNKNOWN_PICKLIST_VALUE: "{label}: value not in the picklist's known values: {value}",
    PICKLIST_VALUE_NOT_IN_RECORD_TYPE: "{label}: value not available for record type "
    "{record_type}: {value}",
    DEPENDENT_PICKLIST_UNCHECKED: "{label}: depends on {controller}, which is not in the "
    "payload; the value {value} cannot be checked",
    RECORD_TYPE_OVERRIDDEN: "{label}: the payload sets {value}; record_type_id {record_type} is "
    "ignored",
    PRECISION_LOSS: "{label}: {value} has more digits than a JSON number carries; it would be "
    "sent as {sent}",
    SCALE_ROUNDED: "{label}: {value} has more than {scale} decimal places; Salesforce would "
    "store {stored}",
    EXTERNAL_ID_UNCHECKED: "{label}: {object_name} is not in the schema, so {value} cannot be "
    "checked as one of its external ID fields",
}


def record_message(code: str, *, name: str, label: str, value: Any = None, **extra: Any) -> str:
    """The message of ``code`` on the field ``name`` (labelled ``label``) for ``value`` (shown by
    ``echo_value``).

    >>> record_message(STRING_TOO_LONG, name="City", label="Billing City", value="x" * 3, length=2)
    'Billing City: data value too large: xxx (max length=2)'
    """
    if code == REQUIRED_FIELD_MISSING:
        return required_fields_missing(name)
    if code == INVALID_FIELD:
        return no_such_column(name, extra["object_name"])
    if code == INVALID_FIELD_FOR_INSERT_UPDATE:
        return not_writable(name)
    if code == JSON_PARSER_ERROR:
        return str(extra.get("detail", "invalid JSON"))
    shown = echo_value(value)
    if code == STRING_TOO_LONG:
        return data_value_too_large(label, shown, extra["length"])
    template = _SFSCHEMA_TEMPLATES.get(code)
    if template is not None:
        return template.format(label=label, value=shown, **extra)
    return _BY_CODE.get(code, value_not_of_required_type)(label, shown)


# -- values in messages ---------------------------------------------------------------------------
#: Numbers whose plain text is longer than this are shortened (their first and last digits).
SHOWN_DIGITS = 64
#: Digits kept at each end of a shortened number.
_EDGE = 10
#: Ints up to this many bits are written out by ``int.__repr__`` (well under Python's 4,300-digit
#: limit); longer ones are measured without writing them out.
_REPR_BITS = 9_000
#: Other objects' text is cut after this many characters; lists nested deeper are not entered.
_OTHER_TEXT = 1_000
_LIST_DEPTH = 8


def echo_value(value: Any) -> str:
    """A value as Salesforce echoes it in a message: text as is, lists ``;``-joined, booleans
    ``true``/``false``, numbers in plain notation. A number whose plain text would be longer than
    ``SHOWN_DIGITS`` is shortened, so every value is shown in bounded time and memory: an integer
    as its first and last digits with the digit count, a tiny or long fraction in scientific
    notation. Subclasses of int, float, Decimal and str are shown by their value, never by their
    own ``__str__``.

    >>> echo_value(10**70), echo_value(Decimal("-1e-999999999")), echo_value(1e17)
    ('1000000000…0000000000 (71 digits)', '-1E-999999999', '100000000000000000')
    """
    return _echo(value, 0)


def _echo(value: Any, depth: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _int_text(int.__int__(value))
    if isinstance(value, float):
        if math.isfinite(value):
            return _decimal_text(Decimal(float.__repr__(value)))
        return float.__repr__(value)
    if isinstance(value, Decimal):
        number = Decimal(value)
        return _decimal_text(number) if number.is_finite() else Decimal.__str__(number)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, list | tuple):
        if depth >= _LIST_DEPTH:
            return "…"
        return ";".join(_echo(item, depth + 1) for item in value)
    try:
        text = str(value)
    except Exception:
        return f"<{type(value).__name__}>"
    return text if len(text) <= _OTHER_TEXT else text[:_OTHER_TEXT] + "…"


def _int_text(value: int) -> str:
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size.bit_length() <= _REPR_BITS:
        digits = int.__repr__(size)
        if len(digits) <= SHOWN_DIGITS:
            return sign + digits
        return f"{sign}{digits[:_EDGE]}…{digits[-_EDGE:]} ({len(digits)} digits)"
    head, count = _leading_digits(size)
    tail = format(size % 10**_EDGE, f"0{_EDGE}d")
    return f"{sign}{head}…{tail} ({count} digits)"


def _leading_digits(size: int) -> tuple[str, int]:
    """The first ``_EDGE`` digits and the digit count of a large int, from its top 128 bits: no
    conversion of the whole int to decimal (time quadratic in its length). Near a power of ten,
    where the top bits cannot tell, the count is checked against that power."""
    shift = size.bit_length() - 128
    top = size >> shift  # size lies in [top, top + 1) * 2**shift
    ends = []
    for rounding, part in ((ROUND_FLOOR, top), (ROUND_CEILING, top + 1)):
        context = Context(prec=40, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=rounding)
        end = context.multiply(Decimal(part), context.power(Decimal(2), shift))
        ends.append((end.adjusted(), "".join(map(str, end.as_tuple().digits[:_EDGE]))))
    if ends[0] == ends[1]:
        return ends[0][1], ends[0][0] + 1
    low = ends[0][0]
    count = low + 2 if size >= 10 ** (low + 1) else low + 1
    return int.__repr__(size // 10 ** (count - _EDGE)), count


def _decimal_text(number: Decimal) -> str:
    sign, coefficient, exponent = Decimal.as_tuple(number)
    assert isinstance(exponent, int)
    count = len(coefficient)
    plain = count + exponent if exponent >= 0 else max(count, 1 - exponent) + 1
    if plain <= SHOWN_DIGITS:
        return format(number, "f")
    minus = "-" if sign else ""
    digits = "".join(map(str, coefficient)) if count <= 2 * _EDGE else ""
    if exponent >= 0:  # a whole number: its first and last digits
        if not digits:
            digits = "".join(map(str, coefficient[:_EDGE] + coefficient[-_EDGE:]))
        head = (digits + "0" * _EDGE)[:_EDGE]
        tail = ("0" * _EDGE + digits[-_EDGE:] + "0" * min(exponent, _EDGE))[-_EDGE:]
        return f"{minus}{head}…{tail} ({count + exponent} digits)"
    adjusted = number.adjusted()
    if digits:
        mantissa = digits[0] + ("." + digits[1:] if count > 1 else "")
        return f"{minus}{mantissa}E{adjusted:+d}"
    head = "".join(map(str, coefficient[:_EDGE]))
    tail = "".join(map(str, coefficient[-_EDGE:]))
    return f"{minus}{head[0]}.{head[1:]}…{tail}E{adjusted:+d} ({count} significant digits)"


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
