"""A Core statement run as its driver's own SQL, for the statements every graded Submit runs.

SQLAlchemy compiles a Core statement once (its compiled cache), yet each execution still looks the
statement up in that cache and builds its parameters through the compiled form: an ``UPDATE`` of
a verdict took 56 µs on a pooled SQLite connection, 31 µs as the same SQL through
``Connection.exec_driver_sql`` (#15). ``DriverStatement`` compiles its statement once per dialect
(the SQL, the order of its parameters, each value's bind processor — its type's for that
dialect —, the values the statement binds itself and its columns' constant defaults) and runs
it with ``exec_driver_sql``: the same SQL and values on the same connection, the same engine
events (statement logs), errors wrapped as SQLAlchemy's (``IntegrityError``), a lost connection
invalidated; only the per-execution compiling is gone.

Its results are not typed: what a statement returns is read as the driver gives it (an id, a
count, text), so only statements returning such columns belong here.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, CursorResult, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter


@dataclass(frozen=True)
class _DriverForm:
    sql: str
    positional: bool
    # Each parameter as the driver takes it: positional in this order (a name may come twice),
    # or named; with its bind processor (``None``: passed as it is) and its own value, if any.
    binds: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    own_values: Mapping[str, Any]

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        own = self.own_values
        pairs = (
            (name, values[name] if name in values else own[name], process)
            for name, process in self.binds
        )
        converted = [(n, v if p is None else p(v)) for n, v, p in pairs]
        if self.positional:
            return tuple(v for _, v in converted)
        return dict(converted)


class DriverStatement:
    """``statement`` (a Core statement without expanding ``IN`` lists) run as driver SQL."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._forms: weakref.WeakKeyDictionary[Dialect, _DriverForm] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        dialect = connection.dialect
        form = self._forms.get(dialect)
        if form is None:
            with self._lock:
                form = self._forms.get(dialect) or self._compile(dialect)
                self._forms[dialect] = form
        return connection.exec_driver_sql(form.sql, form.parameters(values))

    def _compile(self, dialect: Dialect) -> _DriverForm:
        compiled = self.statement.compile(dialect=dialect)
        if not isinstance(compiled, SQLCompiler):  # (a DDL statement: not for this)
            raise TypeError(f"not a SQL statement: {self.statement!r}")
        # Each bind under the name the SQL gives it (``status_1`` for an anonymous one).
        named = {name: bind for bind, name in compiled.bind_names.items()}
        if any(bind.expanding for bind in named.values()):
            raise ValueError("an expanding IN list is rendered per execution: bind each value")
        own_values = {
            name: bind.value
            for name, bind in named.items()
            if not bind.required and bind.callable is None
        }
        own_values.update(_column_defaults(compiled))
        positional = bool(compiled.positional)
        order = list(compiled.positiontup or ()) if positional else list(named)
        return _DriverForm(
            sql=compiled.string,
            positional=positional,
            binds=tuple((name, _processor(named[name], dialect)) for name in order),
            own_values=own_values,
        )


def _processor(bind: BindParameter[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """What Core does to the bind's value for this dialect: the type's implementation *for the
    dialect* (SQLite's ``DATETIME`` writes a time as its own text; the generic type's processor
    would leave that to the driver, which writes it differently)."""
    return bind.type.dialect_impl(dialect).bind_processor(dialect)


def _column_defaults(compiled: SQLCompiler) -> dict[str, Any]:
    """The values of the columns a statement leaves to their defaults (an ``INSERT`` that does
    not name ``status`` stores ``'pending'``), which Core computes per execution: a constant
    is bound here; a default computed by a function (a time) must be passed by the caller."""
    defaults = {}
    for column in compiled.insert_prefetch:
        default = column.default
        if default is None or not default.is_scalar:
            raise ValueError(f"{column.name}'s default is computed per execution: pass its value")
        defaults[column.key] = default.arg  # type: ignore[attr-defined]
    if compiled.update_prefetch:
        raise ValueError("a column's onupdate value is computed per execution: pass its value")
    return defaults
