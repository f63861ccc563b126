"""Pooled connections: one that sat idle is pinged before use and replaced when dead; one in
steady use is not pinged (no round trip per request)."""

from __future__ import annotations

import pytest
from sqlalchemy import exc, text

from claims import db


def _kill_pooled_connection(eng) -> None:
    """End the pooled connection's server session from another connection (a server restart)."""
    with eng.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    other = db.make_engine(eng.url.render_as_string(hide_password=False))
    with other.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()
    other.dispose()


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(engine, monkeypatch):
    eng = db.make_engine(engine.url.render_as_string(hide_password=False))
    try:
        if eng.dialect.name == "postgresql":
            _kill_pooled_connection(eng)
        monkeypatch.setattr(db, "IDLE_PING_S", 0.0)  # every returned connection counts as idle
        with eng.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        eng.dispose()


def test_a_connection_in_steady_use_is_not_pinged(engine, monkeypatch):
    eng = db.make_engine(engine.url.render_as_string(hide_password=False))
    try:
        monkeypatch.setattr(db, "IDLE_PING_S", 3600.0)
        if eng.dialect.name != "postgresql":  # SQLite has no server to lose
            with eng.connect() as conn:
                assert conn.execute(text("SELECT 1")).scalar_one() == 1
            return
        _kill_pooled_connection(eng)
        with pytest.raises(exc.DBAPIError) as raised, eng.connect() as conn:  # not pinged: the error reaches the caller
            conn.execute(text("SELECT 1"))
        assert raised.value.connection_invalidated
        with eng.connect() as conn:  # and the pool has let the dead connection go
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        eng.dispose()
