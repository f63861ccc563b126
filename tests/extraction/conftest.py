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
    # no learned.reset(): models are cached by path and the variable is read at every call, so
    # the packaged model loads once per worker, not once per test (~1.7 s each)
    assert (learned.default_model() is None) == (request.param == "rules")
    yield request.param
