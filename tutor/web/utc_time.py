"""Moments stored as UTC, read back as UTC, on every database.

SQLite keeps no zone at all, and PostgreSQL's ``timestamp`` column converts an aware moment to
the *server's* zone on the way in. Storing naive UTC and handing back aware UTC makes a
submission's ``created_at`` the same instant on both, and lets code subtract it from
``datetime.now(UTC)`` without asking which database it came from.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # a naive moment is taken to be UTC already
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
