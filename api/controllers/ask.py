"""One controller per resource; each handler calls one service method."""
from __future__ import annotations

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlalchemy.orm import Session

from claims.query import ask
from claims.schemas import AskIn, AskOut

#: How long a question asked while the server warms up waits for the warm-up (``/ready`` 503)
#: rather than loading the same lexicons and encoder beside it: two threads loading them share
#: the GIL, so the question would pay for both loads.
WARM_UP_WAIT_S = 30.0


class AskController(Controller):
    path = "/api/v1/ask"
    tags = ["ask"]

    @post("/", summary="Answer a provenance question in English or Arabic", status_code=200, sync_to_thread=True, opt={"scope": "read"})
    def ask_question(self, request: Request, db_session: NamedDependency[Session], data: JSONBody[AskIn]) -> AskOut:
        if (warming := request.app.state.warm_up) is not None:
            warming.wait(WARM_UP_WAIT_S)
        answer = ask(db_session, data.question, limit=data.limit)
        request.app.state.metrics.ask(answer.found)
        return answer
