"""Model instances from the rows of a hand-written statement, for the few hot queries whose
ORM form costs more to build and compile than to run (decision 0075).

`columns(model, alias)` lists a model's concrete columns (or the named ones) for a SELECT or
RETURNING clause; `instance(model, values)` turns those values, in the same order, into a model
instance as the ORM would: the backend's and each field's own database converters applied
(JSONField parses its text, SQLite's datetimes become aware, ...), the fields not selected
deferred, `_state` marked as loaded from the database. The column lists follow the models, so
a migration that adds a field needs no change here."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connection


def _fields(model, names: Sequence[str] | None) -> list:
    if names is None:
        return list(model._meta.concrete_fields)
    return [model._meta.get_field(name) for name in names]


def columns(model, alias: str, names: Sequence[str] | None = None) -> str:
    """`alias."col1", alias."col2", ...` in the model's field order (or the order of `names`)."""
    return ", ".join(f'{alias}."{field.column}"' for field in _fields(model, names))


def width(model, names: Sequence[str] | None = None) -> int:
    """How many values `columns(model, ...)` selects."""
    return len(_fields(model, names))


def value(model, name: str, raw):
    """One value selected from `model`'s field `name` (or a subquery of it), converted."""
    return _convert(model, model._meta.get_field(name), raw)


def _convert(model, field, raw):
    if raw is None:
        return None  # no converter of ours or Django's turns NULL into something else
    col, converters = _converters(model, field, connection.vendor)
    for converter in converters:
        raw = converter(raw, col, connection)
    return raw


@functools.cache
def _converters(model, field, vendor: str) -> tuple:
    """The column expression and its converters, worked out once per field and backend (the
    converters are the backend's stateless methods and the field's own)."""
    col = field.get_col(model._meta.db_table)
    return col, tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection))


def instance(model, values: Sequence, names: Sequence[str] | None = None):
    """The model instance for `values` of `columns(model, alias, names)`, each converted as the
    ORM would (`value`); fields not among `names` are deferred."""
    fields = _fields(model, names)
    given = {field.attname: _convert(model, field, raw) for field, raw in zip(fields, values, strict=True)}
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(connection.alias, attnames, [given[a] for a in attnames])
