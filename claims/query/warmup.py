"""Warm-up: what the first question would otherwise load, loaded when the server starts.

The first ``ask`` of a process reads the lexicons and gazetteers, works out the name keys of
their generic words, loads the sentence encoder (its tokenizer alone is ~1 s of pure Python) and
the vector index: ~3 s of CPU that a user would wait through. ``warm_up`` asks two throw-away
questions, one per language, so those loads happen before any user's request. It only reads.
``settle`` then moves what they loaded out of the collector's reach.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from claims.query.pipeline import ask

log = logging.getLogger(__name__)

#: Generic questions in both languages: they load each language's pieces; their answers are unused.
QUESTIONS = ("Who said the government will announce a new plan?", "من قال إن الحكومة ستعلن خطة جديدة؟")


def warm_up(sessions: Callable[[], Session]) -> float:
    """Ask ``QUESTIONS`` once each in a read session; returns the seconds it took."""
    started = time.perf_counter()
    with sessions() as session:
        for question in QUESTIONS:
            ask(session, question)
        session.rollback()
    return time.perf_counter() - started


def settle() -> None:
    """Once the warm-up has loaded what lives as long as the process (lexicons, name indexes,
    the routes, the OpenAPI models): one full collection, then ``gc.freeze`` moves that heap out
    of the collector's reach. A full collection otherwise walks all of it, which grows with the
    store: ~80 ms of CPU at 100k claims, every dozen or so questions (a p95 of 120 ms where
    the p50 is 30 ms), ~0.1 s per collection at 1M, every few hundred provenance requests."""
    gc.collect()
    gc.freeze()


class BackgroundWarmUp:
    """``warm_up`` in a daemon thread, started once; ``state`` is what ``/ready`` reports:
    'running', 'ok (N s)' or 'failed: Error' (a failed warm-up only means the first question
    pays the loading itself)."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions
        self._thread: threading.Thread | None = None
        self.state = "not started"

    def start(self) -> None:
        if self._thread is None:
            self.state = "running"
            self._thread = threading.Thread(target=self._run, name="claims-warm-up", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> str:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state

    def _run(self) -> None:
        try:
            seconds = warm_up(self._sessions)
        except Exception as exc:  # noqa: BLE001 - reported by /ready and the log, never raised
            log.warning("warm-up failed: %r", exc)
            self.state = f"failed: {type(exc).__name__}"
        else:
            log.info("warmed up in %.2f s", seconds)
            self.state = f"ok ({seconds:.1f} s)"
