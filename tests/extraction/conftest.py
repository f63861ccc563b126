"""Fixtures shared by the extraction tests."""

from __future__ import annotations

import pytest

from claims.extraction import learned


@pytest.fixture(params=["model", "rules"])
def attribution_path(request, monkeypatch):
    """English through the trained model (the default) and through the rules alone; a module
    runs every test both ways with ``pytestmark = pytest.mark.usefixtures("attribution_path")``."""
    if request.param == "rules":
        monkeypatch.setenv(learned.ENV_VAR, "off")
    else:
        monkeypatch.delenv(learned.ENV_VAR, raising=False)
    learned.reset()
    assert (learned.default_model() is None) == (request.param == "rules")
    yield request.param
    learned.reset()
