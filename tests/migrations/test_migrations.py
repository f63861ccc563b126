"""Migrations upgrade, downgrade, match the models (no drift), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from pytest_alembic.tests import (  # noqa: F401  (collected as tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import inspect

from claims.migrate import alembic_config, downgrade, upgrade
from claims.models import metadata


def test_alembic_check_reports_no_drift(alembic_engine):
    """The same check as ``alembic check`` on the command line."""
    upgrade(alembic_engine)
    config = alembic_config(alembic_engine)
    with alembic_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)


def test_every_constraint_is_named(alembic_engine):
    upgrade(alembic_engine)
    inspector = inspect(alembic_engine)
    for table in metadata.sorted_tables:
        for fk in inspector.get_foreign_keys(table.name):
            assert fk["name"] and fk["name"].startswith("fk_"), (table.name, fk)
        if alembic_engine.dialect.name == "postgresql":
            for ck in inspector.get_check_constraints(table.name):
                assert ck["name"].startswith("ck_"), (table.name, ck)
            for uq in inspector.get_unique_constraints(table.name):
                assert uq["name"].startswith("uq_"), (table.name, uq)
        assert inspector.get_pk_constraint(table.name)["name"] in (None, f"pk_{table.name}") or alembic_engine.dialect.name == "sqlite"


def test_downgrade_to_base_removes_every_table(alembic_engine):
    upgrade(alembic_engine)
    downgrade(alembic_engine, "base")
    assert set(inspect(alembic_engine).get_table_names()) <= {"alembic_version"}
