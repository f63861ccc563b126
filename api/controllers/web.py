from __future__ import annotations

from litestar import MediaType, get

from claims.settings import PROJECT_ROOT

INDEX = PROJECT_ROOT / "web" / "index.html"


@get("/", media_type=MediaType.HTML, include_in_schema=False, sync_to_thread=False, opt={"scope": "public"})
def index() -> str:
    """The fact-checkers' page: ask a question, see the chain (Arabic right-to-left)."""
    return INDEX.read_text(encoding="utf-8")
