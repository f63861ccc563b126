"""pytest-alembic on both backends, each on its own empty database."""

from __future__ import annotations

import pytest
from pytest_alembic.config import Config

from claims.db import make_engine
from claims.settings import PROJECT_ROOT
from tests.conftest import backend_params, create_postgres_database, drop_postgres_database


@pytest.fixture
def alembic_config():
    return Config(config_options={"file": str(PROJECT_ROOT / "alembic.ini"), "script_location": str(PROJECT_ROOT / "migrations")})


@pytest.fixture(params=backend_params())
def alembic_engine(request, tmp_path):
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'alembic.db'}")
        yield eng
        eng.dispose()
    else:
        url = create_postgres_database("claims_alembic")
        eng = make_engine(url)
        yield eng
        eng.dispose()
        drop_postgres_database(url)
