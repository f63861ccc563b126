from __future__ import annotations

from litestar import Controller, post
from sqlalchemy.orm import Session

from claims.query import ask
from claims.schemas import AskIn, AskOut


class AskController(Controller):
    path = "/api/v1/ask"
    tags = ["ask"]

    @post("/", summary="Answer a provenance question in English or Arabic", status_code=200, sync_to_thread=True, opt={"scope": "read"})
    def ask_question(self, db_session: Session, data: AskIn) -> AskOut:
        return ask(db_session, data.question, limit=data.limit)
