"""Start-up behaviour the operations endpoints report: a question asked while the server warms up
waits for the warm-up (``api.controllers.ask``) rather than loading the same pieces beside it."""

from __future__ import annotations

import threading

from litestar.testing import TestClient


def test_a_question_asked_during_the_warm_up_is_answered_after_it(seeded, app_factory, monkeypatch):
    from claims.query import warmup

    release = threading.Event()
    real_ask = warmup.ask

    def held_ask(session, question):
        release.wait(30)  # the warm-up is held until the test has seen the question wait
        return real_ask(session, question)

    monkeypatch.setattr(warmup, "ask", held_ask)
    with TestClient(app=app_factory(warm_up=True)) as c:
        answered: list[int] = []
        asking = threading.Thread(target=lambda: answered.append(
            c.post("/api/v1/ask", json={"question": "Who said the ministry would raise fuel prices?"}).status_code))
        asking.start()
        asking.join(1.0)
        assert asking.is_alive() and c.app.state.warm_up.state == "running"  # waiting for the warm-up
        release.set()
        asking.join(60)
        assert answered == [200] and c.app.state.warm_up.state.startswith("ok (")
