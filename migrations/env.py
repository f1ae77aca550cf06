"""Alembic's entry point, run by ``flask db ...`` and by ``tutor.web.schema.upgrade``.

Before migrating it takes the schema lock (two processes starting at once must not both
create the tables) and adopts a database made before migrations existed (``create_all``):
such a database is stamped with the revision its tables match, then upgraded from there, so
no row is lost.
"""

from __future__ import annotations

from alembic import context
from flask import current_app

from tutor.web import schema
from tutor.web.utc_time import UTCDateTime

config = context.config
db = current_app.extensions["migrate"].db


def render_item(kind: str, item: object, autogen_context: object) -> str | bool:
    """``flask db migrate`` writes a UTC moment column as the plain ``sa.DateTime()`` it is
    stored as, so a migration never imports the application."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime()"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=str(db.engine.url).replace("%", "%%"),
        target_metadata=db.metadata,
        literal_binds=True,
        compare_type=True,
        render_item=render_item,
        render_as_batch=db.engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with db.engine.connect() as connection, schema.migration_lock(connection):
        schema.adopt_unversioned(connection, context.script)
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            compare_type=True,
            render_item=render_item,
            # SQLite cannot ALTER most things: Alembic copies the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
