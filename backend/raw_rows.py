"""Model instances from the rows of a hand-written statement, for the few hot queries whose
ORM form costs more to build and compile than to run (decision 0075).

`columns(model, alias)` lists a model's concrete columns for a SELECT or RETURNING clause;
`instance(model, values)` turns those values (in the same order) into a model instance as the
ORM would: each field's own database converter applied (JSONField parses its text, for
example), `_state` marked as loaded from the database. The column lists follow the models, so
a migration that adds a field needs no change here."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def _fields(model) -> list:
    return list(model._meta.concrete_fields)


def columns(model, alias: str) -> str:
    """`alias.col1, alias.col2, ...` in the model's field order."""
    return ", ".join(f'{alias}."{field.column}"' for field in _fields(model))


def width(model) -> int:
    """How many values `columns(model, ...)` selects."""
    return len(_fields(model))


def value(model, name: str, raw):
    """One value selected from `model`'s field `name` (or a subquery of it), converted as the
    ORM's compiler would: the backend's converters, then the field's own."""
    return _convert(model, model._meta.get_field(name), raw)


def _convert(model, field, raw):
    col = field.get_col(model._meta.db_table)
    for converter in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
        raw = converter(raw, col, connection)
    return raw


def instance(model, values: Sequence):
    """The model instance for `values` (all concrete fields, in field order), each converted
    as the ORM would (`value`)."""
    fields = _fields(model)
    converted = [_convert(model, field, raw) for field, raw in zip(fields, values, strict=True)]
    return model.from_db(connection.alias, [f.attname for f in fields], converted)
