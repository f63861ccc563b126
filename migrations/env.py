"""Alembic environment: same settings and metadata as the application.

A connection passed in ``config.attributes["connection"]`` (tests, ``claims db upgrade``)
is used as is; otherwise the URL comes from ``CLAIMS_DATABASE_URL``.
"""

from __future__ import annotations

from advanced_alchemy.types import GUID
from alembic import context
from sqlalchemy import Engine

from claims.db import make_engine
from claims.models import metadata
from claims.settings import get_settings

config = context.config


def _compare_type(_context, _inspected_column, _metadata_column, _inspected_type, metadata_type):
    """GUID is stored as BINARY(16) on SQLite, which reflects back as NUMERIC: not a drift."""
    if isinstance(metadata_type, GUID):
        return False
    return None


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=_compare_type,
        compare_server_default=False,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Engine):  # pytest-alembic may hand over an engine
        with connection.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
        return
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
