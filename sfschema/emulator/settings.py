"""Behaviours of the emulator Salesforce's documentation does not pin down, as one settings object.

Each field marked UNCERTAIN is a best guess the Salesforce documentation does not settle; tests and
users can change it on ``Emulator.settings`` (or pass their own ``EmulatorSettings``) when a real
org is seen to behave otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sfschema.describe.fetch import COMPOSITE_LIMIT
from sfschema.salesforce_errors import (
    EXTERNAL_ID_NOT_FOUND_MESSAGE,
    INSUFFICIENT_ACCESS_OR_READONLY,
    INVALID_INPUT,
    LIMIT_EXCEEDED,
    NOT_FOUND,
)

#: /composite: at most this many of its subrequests may be sObject Collections or query/queryAll
#: ("Composite", REST API Developer Guide). One constant, used by the composite handler.
MAX_COMPOSITE_COLLECTION_OR_QUERY = 5
#: sObject Collections create / update / delete / upsert take at most this many records.
MAX_COLLECTION_RECORDS = 200


@dataclass
class EmulatorSettings:
    """Tunable org behaviour (defaults = Salesforce as far as its documentation goes)."""

    #: Oldest and newest REST API versions served; the newest is ``Emulator.api_version``.
    min_api_version: int = 31
    max_api_version: int = 59
    #: Daily API allowance reported by ``Sforce-Limit-Info`` and ``/limits`` (Developer Edition).
    daily_api_max: int = 15000
    #: Subrequest caps of /composite and /composite/batch.
    max_composite_subrequests: int = COMPOSITE_LIMIT
    max_batch_subrequests: int = 25
    #: UNCERTAIN: describe answers If-None-Match with 304 (seen in practice, not documented).
    describe_etags: bool = True
    #: UNCERTAIN: a 304 describe answer still counts as an API call.
    count_not_modified: bool = True
    #: UNCERTAIN: exact text of BATCH_PROCESSING_HALTED (REST API Developer Guide: Composite Batch).
    batch_halted_message: str = "Batch processing halted per request"
    #: UNCERTAIN: exact top-level error for more than the allowed number of subrequests.
    too_many_subrequests_code: str = LIMIT_EXCEEDED
    too_many_subrequests_message: str = (
        "Maximum number of subrequests exceeded: {count}. The limit is {limit}."
    )
    #: UNCERTAIN: PROCESSING_HALTED text for a subrequest whose @{reference} has no value (its
    #: subrequest failed or did not run, or the path is not in its answer).
    unresolved_reference_message: str = (
        "Invalid reference specified. No value for {expression} found in the earlier answers."
    )
    #: UNCERTAIN: exact error for a forbidden subrequest header (Accept/Authorization/Content-Type).
    forbidden_header_code: str = INVALID_INPUT
    forbidden_header_message: str = "The header '{header}' is not allowed in a subrequest."
    #: The username-password OAuth flow issues no refresh token in Salesforce.
    password_grant_issues_refresh_token: bool = False
    #: A login must append the security token to the password (untrusted IP address).
    require_security_token: bool = True
    #: The org's fiscal year starts on the first day of this month (Setup → Fiscal Year; standard
    #: fiscal years only). FISCAL date literals (THIS_FISCAL_QUARTER …) follow it.
    fiscal_year_start_month: int = 1
    #: The IANA time zone of the calling user: date literals (TODAY, LAST_N_DAYS:n …) and date
    #: fields' "today" are computed in it, as Salesforce does for the running user.
    time_zone: str = "UTC"
    #: Largest request body read, in bytes ("Insert or Update Blob Data": a non-multipart
    #: message is limited to 50 MB); a larger one is answered 413 REQUEST_ENTITY_TOO_LARGE
    #: (UNCERTAIN: code and wording) without reading more than this plus one byte.
    max_request_body_bytes: int = 50 * 1024 * 1024
    #: UNCERTAIN: the error for a write the user's object permissions forbid (describe shows
    #: the permission, "DescribeSObjectResult"; the exact REST answer is not documented).
    object_permission_code: str = INSUFFICIENT_ACCESS_OR_READONLY
    object_permission_status: int = 400
    #: Upsert by a field that is not an external id (or is invisible): restforce's recorded
    #: fixture ``upsert_error_response.json``.
    external_id_not_found_code: str = NOT_FOUND
    external_id_not_found_message: str = EXTERNAL_ID_NOT_FOUND_MESSAGE
    #: UNCERTAIN: HTTP status of ENTITY_IS_DELETED on a single-record write.
    entity_is_deleted_status: int = 404
    #: UNCERTAIN ("Insert or Update (Upsert) a Record Using an External ID" shows both): an
    #: upsert that updates answers 200 with a body from this API
    #: version on (204 No Content before it).
    upsert_update_body_from_version: int = 46
    #: Auto-number fields' displayFormat ("Object.Field" → e.g. ``INV-{0000}``): describe does not
    #: carry it, so the org says it here; others count as ``{00000000}``.
    auto_number_formats: dict[str, str] = field(
        default_factory=lambda: {"Invoice__c.Name": "INV-{0000}", "Case.CaseNumber": "{00000000}"}
    )
    #: UNCERTAIN: status and body of the identity endpoints for a bad token.
    identity_bad_token_status: int = 403
    identity_bad_token_body: str = "Bad_OAuth_Token"
