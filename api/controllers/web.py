"""The fact-checker's pages: ask, claim, document, source, browse, review, log in.

Thin views: every query and rule lives in ``claims`` (ask, provenance, reports, workbench,
review); these handlers read the request, call the domain and render a template. Reviews go
through ``claims.review`` exactly like the API's review endpoints, so the audit history shows
them the same way (actor ``web:<key name>``).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException, ValidationException
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.auth import PUBLIC
from api.checks import request_checks
from api.pages import (
    WEB_DIR,
    WebSession,
    csrf_ok,
    current_session,
    render,
    safe_next,
    session_config,
    start_session,
    translator,
    ui_lang,
)
from claims.errors import DomainError, Invalid
from claims.keys import current_key, grants
from claims.models import Source
from claims.names import display_name
from claims.query import ask
from claims.reports import FORMATS
from claims.reports.graph import chain_svg
from claims.reports.model import claim_section
from claims.review import review_claim, review_hop
from claims.schemas import AskIn, ClaimCorrection, ClaimReviewIn, HopCorrection, HopReviewIn
from claims.services import ClaimService, DocumentService, ListParams, SourceService
from claims.vocabulary import Modality, Relation, ReviewStatus, Scope, Stance
from claims.workbench import document_view, evidence_marks, outlets, review_queue, segments, source_profile

log = logging.getLogger("claims.web")

PAGE_SIZE = 20
_PAGE = {"include_in_schema": False, "opt": {"scope": PUBLIC}, "sync_to_thread": True}


def _db(request: Request, *, write: bool = False) -> Session:
    factory = request.app.state.write_session_factory if write else request.app.state.session_factory
    return factory()


# --- ask ---------------------------------------------------------------------------------


@get("/", name="web:ask", **_PAGE)
def ask_page(request: Request, db_session: NamedDependency[Session], q: FromQuery[str | None] = None) -> Response:
    """One box in either language; ``/?q=...`` is the shareable link to an answer."""
    question = (q or "").strip()
    result, error, graphs, names = None, None, {}, {}
    lang = ui_lang(request)
    if len(question) > request.app.state.settings.max_question_chars:
        error = translator(lang)("question_too_long")
    elif question:
        try:
            checked = AskIn(question=question, limit=3)  # the API's own rules for a question
        except ValidationError as exc:
            return render(request, "ask.html", status_code=422, question=question.replace("\x00", ""),
                          result=None, error="; ".join(_message(e) for e in exc.errors()), graphs={}, names={})
        result = ask(db_session, checked.question, limit=checked.limit)
        for answer in result.answers:
            section = claim_section(db_session, ClaimService(db_session).get(answer.claim.id), lang)
            graphs[answer.claim.id] = chain_svg(section, lang=lang)
            names.update({h.source.id: h.source.display_name for h in section.chain})
        names.update(_names(db_session, result, lang, names))
    return render(request, "ask.html", question=question, result=result, error=error, graphs=graphs, names=names)


def _names(db: Session, result: Any, lang: str, known: dict) -> dict[uuid.UUID, str]:
    """The interface language's display name of every source the answers show that the chain
    sections did not name (origins, group speakers): the one rule, ``claims.names``."""
    ids = {a.origin.id for a in result.answers} | {g.speaker.id for a in result.answers for g in a.group if g.speaker}
    ids -= set(known)
    if not ids:
        return {}
    rows = db.scalars(select(Source).where(Source.id.in_(ids)).options(selectinload(Source.aliases)))
    return {row.id: display_name(row, lang) for row in rows}


# --- claims, documents, sources ----------------------------------------------------------


@get("/claims/{claim_id:uuid}", name="web:claim", **_PAGE)
def claim_page(request: Request, db_session: NamedDependency[Session], claim_id: FromPath[uuid.UUID]) -> Response:
    claim = ClaimService(db_session).get(claim_id)
    lang = ui_lang(request)
    section = claim_section(db_session, claim, lang)
    by_lang: dict[str, list[Any]] = {claim.lang: [section.claim]}
    for member in section.group:
        by_lang.setdefault(member.lang, []).append(member)
    return render(
        request,
        "claim.html",
        claim=claim,
        section=section,
        graph=chain_svg(section, lang=lang),
        text_segments=segments(claim.document.text, evidence_marks(claim)),
        hop_confidence={h.position: h.confidence for h in claim.hops},
        by_lang=by_lang,
        formats=FORMATS,
        review_form=_review_choices(),
    )


@get("/documents/{document_id:uuid}", name="web:document", **_PAGE)
def document_page(request: Request, db_session: NamedDependency[Session], document_id: FromPath[uuid.UUID]) -> Response:
    view = document_view(db_session, DocumentService(db_session).get(document_id))
    return render(request, "document.html", view=view, document=view.document, formats=FORMATS)


@get("/sources/{source_id:uuid}", name="web:source", **_PAGE)
def source_page(request: Request, db_session: NamedDependency[Session], source_id: FromPath[uuid.UUID]) -> Response:
    profile = source_profile(db_session, SourceService(db_session).get(source_id))
    return render(request, "source.html", profile=profile, source=profile.source, formats=FORMATS)


# --- browse ------------------------------------------------------------------------------


def _date(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time(), datetime.UTC)
    except ValueError:
        raise ValidationException(detail="dates are YYYY-MM-DD") from None


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100_000))
    except ValueError:
        return 1


@get("/browse", name="web:browse", **_PAGE)
def browse_page(request: Request, db_session: NamedDependency[Session]) -> Response:
    """Claims or documents with filters (speaker, outlet, language, modality, review status,
    publication dates), full-text search and pagination; every filter is in the URL."""
    p = {k: v.replace("\x00", "") for k, v in request.query_params.items()}  # NUL is never data
    what = "documents" if p.get("what") == "documents" else "claims"
    page = _page_number(p.get("page"))
    params = ListParams(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    lang = p.get("lang") if p.get("lang") in ("en", "ar") else None
    modality = p.get("modality") if p.get("modality") in {m.value for m in Modality} else None
    status = p.get("status") if p.get("status") in {s.value for s in ReviewStatus} else None
    outlet_id = _uuid(p.get("outlet"))
    error = None
    try:
        after, before = _date(p.get("from")), _date(p.get("to"))
    except ValidationException:
        after = before = None
        error = translator(ui_lang(request))("invalid_date")
    q = (p.get("q") or "").strip()[:300] or None
    if what == "documents":
        items, total = DocumentService(db_session).list(
            params, lang=lang, outlet_id=outlet_id, published_after=after, published_before=before, q=q
        )
    else:
        items, total = ClaimService(db_session).list(
            params,
            speaker=(p.get("speaker") or "").strip()[:300] or None,
            speaker_id=_uuid(p.get("speaker_id")),
            outlet_id=outlet_id,
            lang=lang,
            modality=modality,
            review_status=status,
            published_after=after,
            published_before=before,
            q=q,
        )
    return render(
        request,
        "browse.html",
        what=what,
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=p,
        outlets=outlets(db_session),
        modalities=[m.value for m in Modality],
        statuses=[s.value for s in ReviewStatus],
        error=error,
    )


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


# --- review ------------------------------------------------------------------------------


def _review_choices() -> dict[str, list[str]]:
    return {
        "statuses": [ReviewStatus.CONFIRMED.value, ReviewStatus.CORRECTED.value, ReviewStatus.REJECTED.value],
        "modalities": [m.value for m in Modality],
        "stances": [s.value for s in Stance],
        "relations": [r.value for r in Relation],
    }


@get("/review", name="web:review", **_PAGE)
def review_page(request: Request, db_session: NamedDependency[Session]) -> Response:
    """Unreviewed claims, least confident first, each with its chain and review forms."""
    page = _page_number(request.query_params.get("page"))
    claims, total = review_queue(db_session, ListParams(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    return render(
        request,
        "review.html",
        claims=claims,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        review_form=_review_choices(),
    )


def _flash(web_session: WebSession | None, message: str) -> None:
    if web_session is not None:
        web_session.flash.append(message)


def _reviewer(request: Request, form: dict[str, str]) -> tuple[WebSession | None, str | None]:
    """(session, problem): a logged-in session with a valid CSRF token, or why not."""
    web_session = current_session(request)
    t = translator(ui_lang(request))
    if not csrf_ok(request, web_session, form.get("csrf_token")):
        return web_session, t("csrf_failed")
    if web_session is None or not web_session.logged_in:
        return web_session, t("review_login")
    if not grants(web_session.scopes, Scope.REVIEW):
        return web_session, t("review_no_scope")
    return web_session, None


def _apply_review(request: Request, form: dict[str, str], action) -> Response:
    """Check the login, run ``action(session)`` in one write transaction, flash the outcome."""
    web_session, problem = _reviewer(request, form)
    back = safe_next(form.get("next"), "/review")
    t = translator(ui_lang(request))
    if problem is not None:
        if web_session is None:
            return Response(content=problem, status_code=403, media_type=MediaType.TEXT)
        _flash(web_session, problem)
        return Redirect(back, status_code=303)
    db = _db(request, write=True)
    try:
        key = current_key(db, web_session.key_id)
        if key is None or not key.allows(Scope.REVIEW):
            db.rollback()
            web_session.log_out()
            _flash(web_session, t("review_login"))
            return Redirect(back, status_code=303)
        db.info["actor"] = f"web:{key.name}"
        action(db)
        db.commit()
        _flash(web_session, t("saved"))
    except ValidationError as exc:
        db.rollback()
        _flash(web_session, "; ".join(_message(e) for e in exc.errors()))
    except DomainError as exc:
        db.rollback()
        _flash(web_session, exc.detail)
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()
    return Redirect(back, status_code=303)


def _message(error: dict) -> str:
    text = str(error.get("msg", "invalid"))
    return text.removeprefix("Value error, ")


def _chosen(form: dict[str, str], *names: str) -> dict[str, str]:
    return {n: form[n].strip() for n in names if (form.get(n) or "").strip()}


@post("/review/claims/{claim_id:uuid}", name="web:review-claim", status_code=303, **_PAGE)
def review_claim_form(request: Request, claim_id: FromPath[uuid.UUID], data: URLEncodedBody[dict[str, str]]) -> Response:
    def action(db: Session) -> None:
        fields = _chosen(data, "modality", "stance") if data.get("status") == ReviewStatus.CORRECTED else {}
        review = ClaimReviewIn(
            status=data.get("status", ""),
            note=(data.get("note") or "").strip() or None,
            corrections=ClaimCorrection(**fields) if fields else None,
        )
        review_claim(db, claim_id, review)

    return _apply_review(request, data, action)


@post("/review/claims/{claim_id:uuid}/hops/{position:int}", name="web:review-hop", status_code=303, **_PAGE)
def review_hop_form(request: Request, claim_id: FromPath[uuid.UUID], position: FromPath[int], data: URLEncodedBody[dict[str, str]]) -> Response:
    def action(db: Session) -> None:
        fields: dict[str, Any] = {}
        if data.get("status") == ReviewStatus.CORRECTED:
            fields = _chosen(data, "modality", "relation", "lang", "cue")
            name = (data.get("source") or "").strip()
            if name:
                source = SourceService(db).resolve(name)
                if source is None:
                    raise Invalid(f"no stored source is named {name!r}", field="source")
                fields["source_id"] = source.id
        review = HopReviewIn(
            status=data.get("status", ""),
            note=(data.get("note") or "").strip() or None,
            corrections=HopCorrection(**fields) if fields else None,
        )
        review_hop(db, claim_id, position, review)

    return _apply_review(request, data, action)


# --- login -------------------------------------------------------------------------------


@get("/login", name="web:login", **_PAGE)
def login_page(request: Request, next: FromQuery[str | None] = None) -> Response:  # noqa: A002 - the query name
    web_session = current_session(request) or start_session(request)
    return render(request, "login.html", web_session=web_session, next=safe_next(next, "/review"))


@post("/login", name="web:login-post", status_code=303, **_PAGE)
def login_form(request: Request, data: URLEncodedBody[dict[str, str]]) -> Response:
    """Verify the key, then start a new session (new id) that holds the key's id and scopes."""
    web_session = current_session(request)
    t = translator(ui_lang(request))
    if not csrf_ok(request, web_session, data.get("csrf_token")):
        return Response(content=t("csrf_failed"), status_code=403, media_type=MediaType.TEXT)
    key = request.app.state.authenticator.verify((data.get("api_key") or "").strip())
    target = safe_next(data.get("next"), "/review")
    if key is None:
        _flash(web_session, t("login_failed"))
        return Redirect("/login?" + urlencode({"next": target}), status_code=303)
    start_session(request, key_id=key.id, key_name=key.name, scopes=key.scopes)
    return Redirect(target, status_code=303)


@post("/logout", name="web:logout", status_code=303, **_PAGE)
def logout_form(request: Request, data: URLEncodedBody[dict[str, str]]) -> Response:
    web_session = current_session(request)
    if not csrf_ok(request, web_session, data.get("csrf_token")):
        return Response(content=translator(ui_lang(request))("csrf_failed"), status_code=403, media_type=MediaType.TEXT)
    start_session(request).flash.append(translator(ui_lang(request))("logged_out"))
    return Redirect("/", status_code=303)


# --- access and errors -------------------------------------------------------------------

_OPEN_PAGES = frozenset({"web:login", "web:login-post", "web:logout"})


async def page_checks(request: Request) -> None:
    """The app's checks (``api.checks``: this router's hook replaces the app's), then: with
    ``CLAIMS_REQUIRE_KEY_FOR_READS`` every page but the login needs a logged-in key."""
    await request_checks(request)
    if not request.app.state.settings.require_key_for_reads or request.route_handler.name in _OPEN_PAGES:
        return
    web_session = current_session(request)
    if web_session is None or not web_session.logged_in:
        raise NotAuthorizedException(detail="reads need a key")


def page_error(request: Request, exc: Exception) -> Response:
    """Errors on pages are pages (in the interface language), not problem+json."""
    t = translator(ui_lang(request))
    if isinstance(exc, NotAuthorizedException):
        return Redirect("/login?" + urlencode({"next": safe_next(request.url.path)}), status_code=303)
    if isinstance(exc, DomainError):
        status, detail = exc.status, exc.detail
    elif isinstance(exc, NotFoundException):
        status, detail = 404, t("not_found_page")
    elif isinstance(exc, HTTPException):
        status, detail = exc.status_code, exc.detail
    else:
        log.exception("page %s failed", request.url.path)
        status, detail = 500, t("error")
    title = t("not_found_page") if status == 404 else t("error")
    return render(request, "error.html", status_code=status, title=title, detail=detail)


PAGE_HANDLERS = [
    ask_page,
    claim_page,
    document_page,
    source_page,
    browse_page,
    review_page,
    review_claim_form,
    review_hop_form,
    login_page,
    login_form,
    logout_form,
]

#: The pages, with their access guard and HTML error pages.
web_router = Router(
    path="/",
    route_handlers=PAGE_HANDLERS,
    before_request=page_checks,
    middleware=[session_config.middleware],
    exception_handlers={Exception: page_error},
)

SWAGGER_ASSETS = "/schema-assets"


def _swagger_dir():
    import swagger_ui_bundle

    return swagger_ui_bundle.swagger_ui_path


#: The pages' stylesheet, and Swagger UI's files from the swagger-ui-bundle package, served
#: locally so that /schema and every page work without internet.
static_routers = [
    create_static_files_router(
        path="/static", directories=[WEB_DIR / "static"], include_in_schema=False, opt={"scope": PUBLIC}
    ),
    create_static_files_router(
        path=SWAGGER_ASSETS, directories=[_swagger_dir()], include_in_schema=False, opt={"scope": PUBLIC}
    ),
]


def swagger_plugin() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f'<link rel="icon" type="image/png" href="{SWAGGER_ASSETS}/favicon-32x32.png">',
    )


WEB_ROUTES = [web_router, *static_routers]

__all__ = ["WEB_ROUTES", "swagger_plugin"]
