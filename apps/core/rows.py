"""Reads that skip the ORM's query building, for the few that run on nearly every request.

`row_by` reads one row by a unique integer column with a fixed statement: the account and the reader,
which every signed-in request reads before its view does anything. `raw_rows` runs a values query
compiled once with new ids: a module's read marks, a class page's version. Building such a query
through the ORM took about ten times as long as the database took to answer it (288 against 26
microseconds for the account, in process, 2026-12-03). Statements and column converters (SQLite's
booleans and datetimes) are prepared once per connection.
"""

from collections.abc import Callable
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

BIGINT = 2**63
_PREPARED: WeakKeyDictionary = WeakKeyDictionary()


def row_by(model: type[Model], *, column: str, value: int) -> Model | None:
    """The instance of `model` whose integer `column` equals `value` (the column must be unique), with
    every concrete field loaded as the ORM would load it; None if there is none. A value outside the
    64-bit range names no row, as with the ORM, rather than reaching the database."""
    if type(value) is not int or not -BIGINT <= value < BIGINT:
        return None
    connection = connections[router.db_for_read(model)]
    statement, names, converters = _prepared(connection, model, column)
    with connection.cursor() as cursor:
        cursor.execute(statement, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, expression, functions in converters:
        for convert in functions:
            values[index] = convert(values[index], expression, connection)
    return model.from_db(connection.alias, names, values)


def _prepared(connection, model: type[Model], column: str):
    per_connection = _PREPARED.setdefault(connection, {})
    key = (model, column)
    if key not in per_connection:
        fields = model._meta.concrete_fields
        if column not in {field.column for field in fields}:
            raise ValueError(f"{model.__name__} has no column {column!r}")
        quote = connection.ops.quote_name
        table = model._meta.db_table
        statement = (
            f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(table)} "
            f"WHERE {quote(column)} = %s"
        )
        converters = []
        for index, field in enumerate(fields):
            expression = field.get_col(table)
            functions = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
            if functions:
                converters.append((index, expression, functions))
        per_connection[key] = (statement, [field.attname for field in fields], converters)
    return per_connection[key]


# Stand for the parameters while a query is compiled: a query that takes any other parameter is refused.
# Small and positive, so that no integer column (small, positive) finds them out of its range.
_PLACEHOLDERS = tuple(32_741 - n for n in range(8))


def raw_rows(key: str, queryset_for: Callable[..., QuerySet], *values: int) -> list[tuple]:
    """The rows of `queryset_for(*values)` as the database gives them, unconverted (SQLite's booleans are
    0 and 1): for digests and sets of ids, not for display. The query is compiled once per connection
    and `key`, then run with each set of values; the values must be its only parameters, each used
    once. A value that is no 64-bit integer matches no row; the values are ids or other numbers of ours,
    never what a request sent, as a column narrower than 64 bits would refuse a larger one."""
    if any(type(value) is not int or not -BIGINT <= value < BIGINT for value in values):
        return []
    connection = connections["default"]
    per_connection = _PREPARED.setdefault(connection, {})
    if key not in per_connection:
        placeholders = _PLACEHOLDERS[: len(values)]
        queryset = queryset_for(*placeholders)
        try:
            statement, parameters = queryset.query.sql_with_params()
        except EmptyResultSet as error:
            raise ValueError(f"{key}: the query can match nothing") from error
        if sorted(parameters) != sorted(placeholders) or queryset.db != connection.alias:
            raise ValueError(f"{key}: the query must take its values, each once, as its only parameters")
        per_connection[key] = (statement, [placeholders.index(p) for p in parameters])
    statement, order = per_connection[key]
    with connection.cursor() as cursor:
        cursor.execute(statement, [values[index] for index in order])
        return cursor.fetchall()
