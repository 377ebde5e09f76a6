"""The checker's per-query limits: duplicate fields, relationship counts and depths, FIELDS().

Sources: the SOQL and SOSL Reference ("SELECT" / FIELDS(), "Understanding Relationship Query
Limitations", "Using Relationship Queries").
Where the reference gives no message or errorCode, the comment at the rule says so.
"""

from __future__ import annotations

from typing import Any

from sfschema import salesforce_errors as errors
from sfschema.soql.ast import (
    And,
    Comparison,
    Field,
    FieldsSelector,
    Literal,
    Or,
    Query,
    SelectExpr,
    SubQuery,
    TypeOf,
    ValueList,
)
from sfschema.soql.diagnostics import Reporter, Scope
from sfschema.soql.resolve import MAX_PARENT_LEVELS, depth_problem, strip_prefix

MAX_CHILD_TO_PARENT = 55
MAX_PARENT_TO_CHILD = 20
# "the parent is counted as the first level of the query and the child relationships can be up
# to four levels deep from the parent root" (Using Relationship Queries, API 58.0 and later).
MAX_SUBQUERY_DEPTH = 4
MAX_FIELDS_LIMIT = 200
MAX_FIELDS_IDS = 200


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- names -------------------------------------------------------------------------------


def relationship_parts(r: Reporter, path: tuple[str, ...], scope: Scope) -> tuple[str, ...]:
    """The path Salesforce follows: without a leading ``alias.`` or ``Object.`` qualifier.

    With a schema the qualifier is told apart from a relationship of the same name; without
    one, a first name equal to the alias or to the FROM name is taken as the qualifier.
    """
    if r.schema is not None and scope.object is not None:
        return tuple(strip_prefix(path, r.schema.sobject(scope.object), scope.alias))
    if len(path) > 1 and r.queries:
        head = path[0].lower()
        source = r.queries[-1].from_.path[-1].lower()
        if head == source or (scope.alias is not None and head == scope.alias.lower()):
            return path[1:]
    return path


# -- child-to-parent relationships ---------------------------------------------------------


def parent_path(r: Reporter, node: Field, scope: Scope, origin: tuple[Any, ...] = ()) -> None:
    """Depth (without a schema; ``resolve_path`` checks it with one) and the 55 limit."""
    parts = relationship_parts(r, node.path, scope)
    if (r.schema is None or scope.object is None) and len(parts) - 1 > MAX_PARENT_LEVELS:
        problem = depth_problem(node.dotted, len(parts) - 1)
        assert problem is not None
        r.problem(problem, node.pos)
        return
    query = id(r.queries[-1]) if r.queries else None
    for end in range(1, len(parts)):
        count_relationship(
            r, (query, *origin, *(p.lower() for p in parts[:end])), ".".join(parts[:end]), node.pos
        )


def count_relationship(r: Reporter, key: tuple[Any, ...], label: str, pos: int | None) -> None:
    """Count one child-to-parent relationship; the same one used again counts once."""
    if key in r.relationships:
        return
    r.relationships.add(key)
    if len(r.relationships) == MAX_CHILD_TO_PARENT + 1:
        # The limit is documented ("No more than 55 child-to-parent relationships can be
        # specified in a query"); Salesforce's message and errorCode for it are not, so the
        # text is ours and MALFORMED_QUERY an assumption.
        r.error(
            errors.MALFORMED_QUERY,
            f"No more than {MAX_CHILD_TO_PARENT} child-to-parent relationships can be "
            f"specified in a query: {label} is the {_ordinal(len(r.relationships))}",
            pos,
        )


def typeof_relationships(r: Reporter, node: TypeOf) -> None:
    """TYPEOF counts its relationship and each WHEN object ("What, Account, and Opportunity
    count against this limit"). The reference's exception for a query of one record by Id
    is not modelled: such a query may be counted higher than Salesforce counts it."""
    query = id(r.queries[-1]) if r.queries else None
    field = node.field.lower()
    count_relationship(r, (query, "typeof", field), node.field, node.pos)
    for when in node.whens:
        label = f"{node.field} (WHEN {when.object})"
        count_relationship(r, (query, "typeof", field, when.object.lower()), label, node.pos)


# -- parent-to-child subqueries --------------------------------------------------------------


def count_subquery(r: Reporter, item: SubQuery, depth: int) -> None:
    """The 20-subquery limit and the nesting depth (``depth`` of the subquery, 1 = child)."""
    r.subqueries += 1
    if r.subqueries == MAX_PARENT_TO_CHILD + 1:
        # Message as Salesforce words it in Apex ("SOQL statements cannot query more than
        # 20 different child types.", reported in deejay-hub/timeline-lwc#246); the REST
        # errorCode is not documented, MALFORMED_QUERY is an assumption.
        r.error(
            errors.MALFORMED_QUERY,
            f"SOQL statements cannot query more than {MAX_PARENT_TO_CHILD} different child "
            f"types: (SELECT … FROM {item.query.from_.name}) is the "
            f"{_ordinal(r.subqueries)} parent-to-child subquery",
            item.pos,
        )
    if depth == MAX_SUBQUERY_DEPTH + 1:  # reported once, at the first level too deep
        # Documented limit and rule; message and errorCode are not documented.
        r.error(
            errors.MALFORMED_QUERY,
            f"more than {MAX_SUBQUERY_DEPTH + 1} levels of parent-to-child relationships: "
            f"the top query is the first level, so subqueries nest at most "
            f"{MAX_SUBQUERY_DEPTH} deep",
            item.pos,
        )


# -- duplicate fields ----------------------------------------------------------------------


def duplicates(r: Reporter, q: Query, scope: Scope) -> None:
    """``duplicate field selected: Id`` (400 INVALID_FIELD, the SOQL reference's FIELDS()
    example), also when FIELDS(STANDARD | CUSTOM | ALL) selects a listed field again.

    Fields are compared by the path Salesforce follows, ignoring case and qualifiers.
    Aliased fields and functions (``toLabel(Status)``) are not compared: whether Salesforce
    calls those duplicates is not documented.
    """
    seen: dict[str, tuple[tuple[str, ...], str]] = {}  # lower-case path -> (path, as written)
    selectors: list[FieldsSelector] = []
    for item in q.select:
        if isinstance(item, SelectExpr) and isinstance(item.expr, Field) and not item.alias:
            parts = relationship_parts(r, item.expr.path, scope)
            key, text = ".".join(parts).lower(), item.expr.dotted
            by = next((s for s in selectors if covers(r, s.kind, parts, scope)), None)
            if key in seen or by is not None:
                tail = "" if by is None else f" (FIELDS({by.kind}) selects it too)"
                r.error(
                    errors.INVALID_FIELD,
                    f"duplicate field selected: {text}{tail}",
                    item.expr.pos,
                    f"remove {text}",
                )
                continue
            seen[key] = (parts, text)
        elif isinstance(item, FieldsSelector):
            fields_duplicate(r, item, seen, selectors, scope)
            selectors.append(item)


def fields_duplicate(
    r: Reporter,
    item: FieldsSelector,
    seen: dict[str, tuple[tuple[str, ...], str]],
    selectors: list[FieldsSelector],
    scope: Scope,
) -> None:
    """FIELDS(kind) after fields or FIELDS() that select some of the same fields."""
    listed = next((t for parts, t in seen.values() if covers(r, item.kind, parts, scope)), None)
    if listed is not None:
        r.error(
            errors.INVALID_FIELD,
            f"duplicate field selected: {listed} (FIELDS({item.kind}) selects it too)",
            item.pos,
            f"remove {listed}",
        )
        return
    for earlier in selectors:
        common = common_field(r, earlier.kind, item.kind, scope)
        if common is not None:
            narrower = earlier if item.kind == "ALL" else item
            r.error(
                errors.INVALID_FIELD,
                f"duplicate field selected: {common} (FIELDS({earlier.kind}) and "
                f"FIELDS({item.kind}) both select it)",
                item.pos,
                f"remove FIELDS({narrower.kind})",
            )
            return


def covers(r: Reporter, kind: str, parts: tuple[str, ...], scope: Scope) -> bool:
    """Whether FIELDS(kind) selects the field at ``parts`` (one name: the object's own)."""
    if len(parts) != 1:
        return False
    if r.schema is not None and scope.object is not None:
        found = r.schema.sobject(scope.object).field(parts[0])
        return found is not None and (kind == "ALL" or (kind == "CUSTOM") == found.custom)
    name = parts[0].lower()  # without a schema: Id is on every object, __c names are custom
    if name == "id":
        return kind in ("ALL", "STANDARD")
    return name.endswith("__c") and kind in ("ALL", "CUSTOM")


def common_field(r: Reporter, first: str, second: str, scope: Scope) -> str | None:
    """A field both FIELDS(first) and FIELDS(second) select (None: none, or not known)."""
    if r.schema is not None and scope.object is not None:
        for candidate in r.schema.sobject(scope.object).fields:
            both = (first, second)
            if all(k == "ALL" or (k == "CUSTOM") == candidate.custom for k in both):
                return candidate.name
        return None
    if {first, second} <= {"ALL", "STANDARD"}:
        return "Id"
    return None  # CUSTOM twice without a schema: which custom fields exist is not known


# -- FIELDS(ALL | CUSTOM) bounds -------------------------------------------------------------


def fields_bounded(r: Reporter, q: Query) -> bool:
    """Whether an unbounded FIELDS() is allowed: LIMIT ≤ 200, or a WHERE made only of Id
    tests (``Id IN (…)``, ``Id = …``, joined by AND/OR) naming at most 200 Ids."""
    if q.limit is not None and q.limit <= MAX_FIELDS_LIMIT:
        return True
    if q.where is None:
        return False
    count = _id_test_count(q.where)
    return count is not None and count <= MAX_FIELDS_IDS


def _id_test_count(node: Any) -> int | None:
    """How many Ids a condition made only of Id tests names; None when it is anything else."""
    if isinstance(node, And | Or):
        counts = [_id_test_count(operand) for operand in node.operands]
        return None if None in counts else sum(c for c in counts if c is not None)
    if not (
        isinstance(node, Comparison)
        and isinstance(node.left, Field)
        and len(node.left.path) == 1
        and node.left.path[0].lower() == "id"
    ):
        return None
    if node.op == "=" and isinstance(node.right, Literal) and isinstance(node.right.value, str):
        return 1
    values = node.right.values if isinstance(node.right, ValueList) else ()
    if node.op == "IN" and all(isinstance(v, Literal) and isinstance(v.value, str) for v in values):
        return len(values) or None
    return None
