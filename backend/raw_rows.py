"""Model instances from the rows of a hand-written statement, for the few hot queries whose
ORM form costs more to build and compile than to run (decision 0075).

`columns(model, alias)` lists a model's concrete columns (or the named ones) for a SELECT or
RETURNING clause; `instance(model, values)` turns those values, in the same order, into a model
instance as the ORM would: the backend's and each field's own database converters applied
(JSONField parses its text, SQLite's datetimes become aware, ...), the fields not selected
deferred, `_state` marked as loaded from the database. `insert(objs)` writes new instances in
one statement (per batch of the backend's parameter limit) and sets their keys. The column
lists follow the models, so a migration that adds a field needs no change here."""

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
    (plan,) = _plan(model, (name,), connection.vendor)[1]
    return _apply(plan, raw)


def instance(model, values: Sequence, names: Sequence[str] | None = None):
    """The model instance for `values` of `columns(model, alias, names)`, each converted as the
    ORM would; fields not among `names` are deferred."""
    attnames, plans = _plan(model, None if names is None else tuple(names), connection.vendor)
    values = list(values)
    if len(values) != len(plans):
        raise ValueError(f"{model.__name__}: {len(values)} values for {len(plans)} columns")
    for index, plan in enumerate(plans):
        if plan is not None and values[index] is not None:
            values[index] = _apply(plan, values[index])
    return model.from_db(connection.alias, attnames, values)


def _apply(plan, raw):
    if plan is None or raw is None:
        return raw  # no converter of ours or Django's turns NULL into something else
    col, converters = plan
    for converter in converters:
        raw = converter(raw, col, connection)
    return raw


@functools.cache
def _plan(model, names: tuple[str, ...] | None, vendor: str) -> tuple[list[str], list]:
    """(attnames in field order, per selected column: None or (column, its converters)),
    worked out once per model, selection and backend as the ORM's compiler does: only fields
    with converters (the backend's stateless methods, the field's own) cost anything per row.
    `instance` takes the values in the order of `names`; from_db wants field order, so the
    selection is kept in field order when it is given as such (as every caller here does)."""
    fields = _fields(model, names)
    order = [f.attname for f in model._meta.concrete_fields]
    if [f.attname for f in fields] != [a for a in order if a in {f.attname for f in fields}]:
        raise ValueError(f"{model.__name__}: select the fields in the model's order")
    plans = []
    for field in fields:
        col = field.get_col(model._meta.db_table)
        converters = tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection))
        plans.append((col, converters) if converters else None)
    return [f.attname for f in fields], plans


def insert(objs: Sequence) -> None:
    """INSERT new instances of one model in one statement, every concrete field but the
    auto primary key, values prepared as `Model.save()` would (`pre_save`, then each field's
    `get_db_prep_save`: JSON, dates, ...); sets each instance's primary key from RETURNING
    (in VALUES order, as Django's bulk_create relies on) and marks it saved. For a hot
    path's bulk write whose ORM compilation costs as much as the write (decision 0076)."""
    if not objs:
        return
    model = type(objs[0])
    fields, sql_head, row = _insert_plan(model, connection.vendor)
    pk = model._meta.pk
    size = max(1, connection.ops.bulk_batch_size(fields, objs))  # SQLite's parameter limit
    for start in range(0, len(objs), size):
        batch = objs[start:start + size]
        params = []
        for obj in batch:
            params.extend(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)
        sql = f"{sql_head} {', '.join([row] * len(batch))} RETURNING {connection.ops.quote_name(pk.column)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [r[0] for r in cursor.fetchall()]
        for obj, pk_value in zip(batch, ids, strict=True):
            setattr(obj, pk.attname, pk_value)
            obj._state.adding = False
            obj._state.db = connection.alias


@functools.cache
def _insert_plan(model, vendor: str) -> tuple[list, str, str]:
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    head = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
            "VALUES")
    return fields, head, "(" + ", ".join(["%s"] * len(fields)) + ")"
