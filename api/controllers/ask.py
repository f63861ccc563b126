"""One controller per resource; each handler calls one service method."""
from __future__ import annotations

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlalchemy.orm import Session

from claims.query import ask
from claims.schemas import AskIn, AskOut


class AskController(Controller):
    path = "/api/v1/ask"
    tags = ["ask"]

    @post("/", summary="Answer a provenance question in English or Arabic", status_code=200, sync_to_thread=True, opt={"scope": "read"})
    def ask_question(self, request: Request, db_session: NamedDependency[Session], data: JSONBody[AskIn]) -> AskOut:
        answer = ask(db_session, data.question, limit=data.limit)
        request.app.state.metrics.ask(answer.found)
        return answer
