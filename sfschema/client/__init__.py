"""Talking to Salesforce: the only package that imports simple_salesforce.

``Client`` checks every query and write against the org's schema before it is sent, streams
query pages, writes 1,000 records per API call and retries only what cannot be written twice.
"""

from sfschema.client.core import Client
from sfschema.client.errors import ApiBudgetExceeded, RequestLimitExceeded
from sfschema.client.query import QueryResult
from sfschema.client.refresh import OAuthRefresh, PasswordLogin
from sfschema.client.wire import ApiUsageWarning, OutcomeUnknown, RetryPolicy
from sfschema.client.write import WriteResult
from sfschema.errors import AuthenticationError, SalesforceApiError
from sfschema.salesforce_errors import WireError

__all__ = [
    "ApiBudgetExceeded",
    "ApiUsageWarning",
    "AuthenticationError",
    "Client",
    "OAuthRefresh",
    "OutcomeUnknown",
    "PasswordLogin",
    "QueryResult",
    "RequestLimitExceeded",
    "RetryPolicy",
    "SalesforceApiError",
    "WireError",
    "WriteResult",
]
