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


#: The engines' own full-text objects over ``search_document`` (migration 0009): the SQLite FTS5
#: tables (and their shadow tables), the PostgreSQL generated ``tsv`` column and its GIN index are
#: not in the metadata.
_FULLTEXT_OBJECTS = ("search_fts", "ix_search_document_tsv")


def _include_object(object_, name, type_, reflected, _compare_to) -> bool:
    if reflected and type_ == "column" and name == "tsv" and object_.table.name == "search_document":
        return False
    return not (reflected and type_ in ("table", "index") and name and name.startswith(_FULLTEXT_OBJECTS))


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=_compare_type,
        compare_server_default=False,
        include_object=_include_object,
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


def _migrate(connection) -> None:
    """Run the migrations on ``connection`` (not yet in a transaction).

    SQLite: batch mode rebuilds a table by copying it and dropping the original, and with
    foreign keys on, dropping ``claim`` would cascade-delete every relay hop and search term.
    Foreign keys are therefore off while migrating (the pragma only works outside a
    transaction) and ``PRAGMA foreign_key_check`` must come back clean before the commit.
    A caller that hands over a connection already in a transaction (``alembic check`` in the
    tests) gets it as it is.
    """
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            if connection.in_transaction():
                connection.commit()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Engine):  # pytest-alembic may hand over an engine
        with connection.connect() as conn:
            _migrate(conn)
            conn.commit()
        return
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    with engine.connect() as connection:
        _migrate(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
