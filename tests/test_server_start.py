"""What a server does before its first answer: the collector is held back while the app is
imported and built, then that heap is frozen and the collector's own thresholds come back
(``api.__init__``). Run in a fresh interpreter: this test process imported ``api`` long ago."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import gc, json
before = gc.get_threshold()
import api.app
during = gc.get_threshold()
api.app.create_app()
after, frozen = gc.get_threshold(), gc.get_freeze_count()
api.app.create_app()
print(json.dumps({"before": before, "during": during, "after": after, "frozen": frozen,
                  "again": gc.get_threshold(), "frozen_again": gc.get_freeze_count()}))
"""


def test_the_app_is_imported_with_the_collector_held_back_and_built_with_its_heap_frozen(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLAIMS_DATABASE_URL": f"sqlite:///{tmp_path / 'start.db'}"}
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["during"][1] > seen["before"][1]  # the middle generation waits while the app is imported
    assert seen["after"] == seen["before"] == seen["again"]  # and the thresholds are the collector's own once it is built
    assert seen["frozen"] > 50_000  # the imported modules and the built app are out of the collector's reach
    assert seen["frozen_again"] <= seen["frozen"] + 1_000  # a second app (tests build many) freezes nothing more
