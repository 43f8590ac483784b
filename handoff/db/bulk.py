"""Many new rows in a few statements, for the pipeline's hot path.

Django's ``bulk_create`` spends its time building the statement: for 2,000 imported
messages (bench/ingest.py's mail, profiled in one process), 2.1 of its 2.7 seconds went
to compiling the SQL and preparing every value through several layers of generators,
0.25 s to running it. ``insert`` builds one statement per chunk from the fields, read
once per model, and prepares only the values that are not already what the database
takes (a ``str`` for a text column, an ``int`` for an integer one). What it does like
``bulk_create``: defaults (set when the objects were made), ``auto_now``, foreign keys
taken from related objects saved since, ids set on the objects (RETURNING, which SQLite
and PostgreSQL both have), the objects marked as saved. What it does not do: signals,
``save()``, multi-table inheritance, database defaults (refused).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, models, router

# Field classes whose values go to the database as they are when they have these types.
_TEXT = (models.CharField, models.TextField)
_INTEGER = (models.IntegerField, models.AutoField, models.ForeignKey)
_PLAIN: tuple[tuple[tuple[type[models.Field[Any, Any]], ...], tuple[type, ...]], ...] = (
    (_TEXT, (str, type(None))),
    (_INTEGER, (int, type(None))),
    ((models.BooleanField,), (bool, type(None))),
)


@dataclass(frozen=True, slots=True)
class _Column:
    field: models.Field[Any, Any]
    attname: str
    plain: tuple[type, ...]  # value types passed as they are; others are prepared
    pre_save: bool  # auto_now, auto_now_add: the field sets its own value
    relation: str | None  # a foreign key's name: its id may come from a related object


@cache
def _columns(model: type[models.Model], with_pk: bool) -> tuple[_Column, ...]:
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label}: multi-table inheritance is not supported")
    found = []
    for field in meta.concrete_fields:
        if field.primary_key and not with_pk:
            continue
        if field.has_db_default():
            raise ValueError(f"{meta.label}.{field.name}: database defaults are not supported")
        plain: tuple[type, ...] = ()
        for classes, types in _PLAIN:
            if isinstance(field, classes) and not (
                isinstance(field, models.ForeignKey)
                and not isinstance(field.target_field, _INTEGER)
            ):
                plain = types
                break
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        relation = field.name if field.is_relation else None
        found.append(_Column(field, field.attname, plain, bool(auto), relation))
    return tuple(found)


def insert(
    objects: Iterable[models.Model],
    *,
    ignore_conflicts: bool = False,
    update: Sequence[str] = (),
    unique: Sequence[str] = ("id",),
) -> list[models.Model]:
    """INSERT the unsaved ``objects`` (all of one model), in chunks, in their order.

    ``ignore_conflicts``: a row that breaks a unique constraint is skipped (no id is set).
    ``update``: an upsert; a row whose ``unique`` fields exist updates these fields."""
    items = list(objects)
    if not items:
        return items
    model = type(items[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    new = [o for o in items if o.pk is None]  # before the first INSERT gives them ids
    known = [o for o in items if o.pk is not None]
    for group, with_pk in ((new, False), (known, True)):
        if group:
            _insert(model, group, with_pk, connection, alias, ignore_conflicts, update, unique)
    return items


def _insert(
    model: type[models.Model],
    items: list[models.Model],
    with_pk: bool,
    connection: Any,
    alias: str,
    ignore_conflicts: bool,
    update: Sequence[str],
    unique: Sequence[str],
) -> None:
    meta = model._meta
    columns = _columns(model, with_pk)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c.field.column) for c in columns)
    suffix = ""
    if ignore_conflicts:
        suffix = " ON CONFLICT DO NOTHING"
    elif update:
        targets = ", ".join(quote(_column(meta, name)) for name in unique)
        sets = ", ".join(
            f"{quote(_column(meta, name))} = EXCLUDED.{quote(_column(meta, name))}"
            for name in update
        )
        suffix = f" ON CONFLICT ({targets}) DO UPDATE SET {sets}"
    returning = not with_pk and not ignore_conflicts
    if returning:
        suffix += f" RETURNING {quote(meta.db_table)}.{quote(meta.pk.column)}"
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, connection.ops.bulk_batch_size([c.field for c in columns], items))
    # Names from the model, quoted; the values are parameters.
    head = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            params: list[Any] = []
            for obj in chunk:
                params += _values(obj, columns, connection)
            cursor.execute(head + ", ".join([row] * len(chunk)) + suffix, params)
            if returning:
                ids = cursor.fetchall()
                if len(ids) != len(chunk):
                    raise RuntimeError(f"{meta.label}: {len(ids)} ids for {len(chunk)} rows")
                for obj, (pk,) in zip(chunk, ids, strict=True):
                    obj.pk = pk
            for obj in chunk:
                obj._state.adding = False
                obj._state.db = alias


def _column(meta: Any, name: str) -> str:
    field = meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{meta.label}.{name}: not a column")
    return field.column


def _values(obj: models.Model, columns: tuple[_Column, ...], connection: Any) -> list[Any]:
    values = []
    for column in columns:
        if column.pre_save:
            value = column.field.pre_save(obj, True)
        else:
            value = getattr(obj, column.attname)
            if value is None and column.relation and column.field.is_cached(obj):  # type: ignore[attr-defined]
                related = getattr(obj, column.relation)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{column.relation}: the related object is not saved")
                    value = related.pk
                    setattr(obj, column.relation, related)  # the id, keeping the cache
        if type(value) not in column.plain:
            value = column.field.get_db_prep_save(value, connection)
        values.append(value)
    return values
