"""HTTP layer: thin Litestar controllers over the ``claims`` domain.

Importing the app (Litestar, SQLAlchemy, the models, the lexicons) and building it
(``api.app.create_app``) make ~200,000 objects that live as long as the process and hold almost
no garbage. With the collector's default thresholds its older generations walk them again and
again while they are made (~0.3 s of the ~1.3 s of CPU a server spends before its first
answer). So from the import of ``api`` the middle generation is collected rarely, and once the
first app is built (``collect_normally``) those objects are moved out of the collector's reach
(``gc.freeze``) and the thresholds restored. Young objects are collected as always meanwhile.
"""

import gc

_THRESHOLDS = gc.get_threshold()
#: Young collections between two collections of the middle generation while the app is imported
#: and built (the default is 10).
STARTUP_GC_THRESHOLD1 = 1_000
_deferred = bool(_THRESHOLDS[0]) and _THRESHOLDS[1] < STARTUP_GC_THRESHOLD1  # threshold 0: the collector is off
if _deferred:
    gc.set_threshold(_THRESHOLDS[0], STARTUP_GC_THRESHOLD1, _THRESHOLDS[2])


def collect_normally() -> None:
    """The first time: freeze what exists (the imported modules, the built app) and restore the
    collector's thresholds as they were before ``api`` was imported; later calls do nothing."""
    global _deferred
    if _deferred:
        _deferred = False
        gc.freeze()
        gc.set_threshold(*_THRESHOLDS)
