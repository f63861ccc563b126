"""The fact-checker's pages, rendered by the app over the seeded database (SQLite and
PostgreSQL): what each page shows, the interface languages, login, CSRF and reviews through the
same services as the API. The same flows run in a real browser in tests/browser/."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from claims.db import session_factory
from claims.keys import revoke_key
from claims.models import AuditEvent, Claim, Document, RelayHop, Source
from claims.reports import FORMATS
from claims.settings import PROJECT_ROOT

VACUUM_EN_Q = "Who originally said Iran will fill the vacuum?"
VACUUM_AR_Q = "من قال أولاً إن إيران ستملأ الفراغ؟"
REDIS_URL = os.environ.get("CLAIMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
NOT_FOUND_Q = "من قال إن تركيا ستملأ الفراغ في العراق؟"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.marks: list[tuple[dict, str]] = []
        self._open: list[tuple[dict, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "mark":
            self._open.append((dict(attrs), []))

    def handle_endtag(self, tag):
        if tag == "mark" and self._open:
            attrs, parts = self._open.pop()
            self.marks.append((attrs, "".join(parts)))

    def handle_data(self, data):
        for _, parts in self._open:
            parts.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def pages(seeded, shared_app):
    with TestClient(app=shared_app()) as test_client:
        yield test_client


def _claim(db, key: str) -> Claim:
    with session_factory(db)() as s:
        return s.scalar(select(Claim).where(Claim.key == key))


def test_every_interface_string_exists_in_both_languages():
    import yaml

    messages = yaml.safe_load((PROJECT_ROOT / "web" / "messages.yaml").read_text(encoding="utf-8"))
    assert set(messages["en"]) == set(messages["ar"])
    assert all(messages["ar"][k].strip() for k in messages["ar"])


@pytest.mark.parametrize("question", [VACUUM_EN_Q, VACUUM_AR_Q])
def test_ask_page_shows_origin_chain_graph_and_drift(pages, question):
    r = pages.get("/", params={"q": question})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    origin = html[html.index('class="origin"') :][:400]
    assert "The Jerusalem Post" in origin
    chain = html[html.index('<ol class="chain">') : html.index("</ol>", html.index('<ol class="chain">'))]
    assert "Al Arabiya" in chain and chain.count("<li>") >= 3
    assert 'class="chain-graph"' in html and "translated · ar" in html  # relation and language on the edge
    assert "translated from English to Arabic" in html  # drift in a fact-checker's words
    assert "softened" in html or "may be" in html  # hedged: "may be", not "hedged → asserted"
    assert "No supporting claim found" not in html
    assert f'value="{question}"' in html  # the box keeps the question; /?q= is the shareable link


def test_ask_page_says_plainly_when_nothing_supports_the_question(pages):
    html = pages.get("/", params={"q": NOT_FOUND_Q, "ui": "ar"}).text
    assert 'id="not-found"' in html and "لم يُعثر على ادعاء داعم" in html
    assert 'class="answer"' not in html


def test_interface_language_switch_sets_lang_and_dir_and_is_remembered(pages):
    r = pages.get("/", params={"ui": "ar"})
    assert '<html lang="ar" dir="rtl">' in r.text and "اسأل" in r.text
    assert pages.cookies.get("claims_ui") == "ar"
    again = pages.get("/browse")
    assert '<html lang="ar" dir="rtl">' in again.text
    english = pages.get("/browse", params={"ui": "en"})
    assert '<html lang="en" dir="ltr">' in english.text
    # mixed text carries its own direction: an Arabic claim on the English page is marked rtl
    tags = _parse(pages.get("/", params={"q": VACUUM_AR_Q}).text).tags
    assert any(t == "q" and a.get("lang") == "ar" and a.get("dir") == "rtl" for t, a in tags)


def test_claim_page_marks_the_arabic_evidence_inside_the_full_document(pages, seeded):
    claim = _claim(seeded, "000-iran-vacuum")
    with session_factory(seeded)() as s:
        claim = s.get(Claim, claim.id)
        text = claim.document.text
        spans = [(h.position, text[h.evidence_start : h.evidence_end]) for h in claim.hops if h.evidence_start is not None]
        member_ids = [str(c.id) for c in s.scalars(select(Claim).where(Claim.group_id == claim.group_id, Claim.id != claim.id))]
    html = pages.get(f"/claims/{claim.id}").text
    parsed = _parse(html)
    evidence = {a.get("data-hop"): body for a, body in parsed.marks if a.get("class") == "evidence"}
    assert spans and all(evidence.get(str(pos)) == body for pos, body in spans)
    assert any("جيروزاليم" in body for body in evidence.values())
    assert any(a.get("class") == "claim" and body == claim.text for a, body in parsed.marks)
    doc_text = html[html.index('class="doc-text"') :]
    assert 'lang="ar" dir="rtl"' in doc_text[:60]  # the whole document, in its own direction
    assert all(f"/claims/{m}" in html for m in member_ids)  # group members side by side
    assert 'class="side-by-side"' in html
    assert '<ol class="history" id="history">' in html and "seed" in html
    assert all(f"/api/v1/claims/{claim.id}/report?format={f}" in html for f in FORMATS)


def test_document_page_highlights_claims_with_speakers_and_dims_furniture(pages, seeded):
    with session_factory(seeded)() as s:
        document = s.scalar(select(Document).where(Document.text.contains("كلمات")).limit(1)) or s.scalars(select(Document)).all()[2]
        claims = list(s.scalars(select(Claim).where(Claim.document_id == document.id)))
        speakers = {c.speaker.name for c in claims}
    html = pages.get(f"/documents/{document.id}").text
    parsed = _parse(html)
    linked = {a["href"] for t, a in parsed.tags if t == "a" and a.get("class") == "claim-mark"}
    assert {f"/claims/{c.id}" for c in claims} <= linked  # every claim is marked and opens its page
    assert all(name in html for name in speakers)
    assert 'class="furniture"' in html


def test_source_page_shows_said_relayed_counts_timeline_and_aliases(pages, seeded):
    with session_factory(seeded)() as s:
        source = s.scalar(select(Source).where(Source.key == "al-arabiya"))
        said = s.scalar(select(RelayHop).where(RelayHop.source_id == source.id, RelayHop.position == 0).limit(1))
        relayed_claims = {h.claim_id for h in s.scalars(select(RelayHop).where(RelayHop.source_id == source.id, RelayHop.position > 0))}
        aliases = [a.text for a in source.aliases]
    html = pages.get(f"/sources/{source.id}").text
    relayed_count = int(re.search(r'id="relayed-count">(\d+)<', html).group(1))
    assert relayed_count >= len(relayed_claims) > 0
    assert ("said-count" in html) and (said is None or int(re.search(r'id="said-count">(\d+)<', html).group(1)) > 0)
    assert all(a in html for a in aliases) and any(re.search(r"[\u0600-\u06ff]", a) for a in aliases)
    assert 'class="timeline"' in html and 'class="counts"' in html


def test_browse_filters_search_and_pages(pages, seeded):
    def claim_links(html):
        return re.findall(r'<li><a href="/claims/([0-9a-f-]{36})"', html)

    everything = pages.get("/browse").text
    total = int(re.search(r'id="total">(\d+)<', everything).group(1))
    assert total > 20 and len(claim_links(everything)) == 20 and 'rel="next"' in everything
    second = pages.get("/browse", params={"page": 2}).text
    assert set(claim_links(second)).isdisjoint(claim_links(everything))
    arabic = pages.get("/browse", params={"lang": "ar"}).text
    with session_factory(seeded)() as s:
        ar_total = len(s.scalars(select(Claim.id).where(Claim.lang == "ar")).all())
        hedged = len(s.scalars(select(Claim.id).where(Claim.modality == "hedged")).all())
    assert int(re.search(r'id="total">(\d+)<', arabic).group(1)) == ar_total
    assert int(re.search(r'id="total">(\d+)<', pages.get("/browse", params={"modality": "hedged"}).text).group(1)) == hedged
    found = pages.get("/browse", params={"q": "الفراغ"}).text
    ids = claim_links(found)
    assert ids and str(_claim(seeded, "000-iran-vacuum").id) in ids
    speaker = pages.get("/browse", params={"speaker": "حسين سلامي"}).text
    assert claim_links(speaker) and "Hossein Salami" in speaker
    docs = pages.get("/browse", params={"what": "documents", "lang": "ar"}).text
    assert re.findall(r'href="/documents/', docs)
    bad = pages.get("/browse", params={"from": "yesterday"})
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.text


def test_review_queue_puts_the_least_confident_first_and_person_written_last(pages, seeded):
    with session_factory(seeded, write=True)() as s:
        claims = list(s.scalars(select(Claim).order_by(Claim.id).limit(3)))
        claims[0].confidence, claims[1].confidence = 0.9, 0.2  # claims[2] stays NULL (a person's)
        ids = [str(c.id) for c in claims]
        s.commit()
    html = pages.get("/review").text
    order = re.findall(r'<h3 id="q-([0-9a-f-]{36})"', html)
    assert order[:2] == [ids[1], ids[0]] and ids[2] in order[2:]
    assert "20%" in html and "recorded by a person" in html


def _login(client: TestClient, secret: str, next_path: str = "/review") -> None:
    page = client.get("/login", params={"next": next_path})
    r = client.post("/login", data={"csrf_token": _csrf(page.text), "api_key": secret, "next": next_path}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == next_path


def test_review_through_the_page_lands_in_the_audit_history(pages, seeded, make_key):
    secret = next(iter(make_key("desk-editor", "review").values()))
    claim = _claim(seeded, "000-iran-vacuum")
    anonymous = pages.get("/review").text
    assert "/login?next=/review" in anonymous
    assert 'action="/review/claims/' not in anonymous  # no forms without a login
    _login(pages, secret)
    assert 'action="/review/claims/' in pages.get("/review").text
    page = pages.get(f"/claims/{claim.id}").text
    token = _csrf(page)
    r = pages.post(
        f"/review/claims/{claim.id}/hops/1",
        data={"csrf_token": token, "status": "corrected", "note": "Al Arabiya translated it; checked the original",
              "modality": "hedged", "relation": "translated", "next": f"/claims/{claim.id}"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/claims/{claim.id}"
    after = pages.get(f"/claims/{claim.id}").text
    assert "Saved" in after
    history = after[after.index('id="history"') :]
    assert "web:desk-editor" in history and "Al Arabiya translated it; checked the original" in history
    api = pages.get(f"/api/v1/claims/{claim.id}/history").json()
    last = api["versions"][-1]
    assert last["action"] == "review" and last["actor"] == "web:desk-editor"
    assert last["reason"] == "Al Arabiya translated it; checked the original"
    assert last["events"][0]["changes"]["review_status"]["after"] == "corrected"


def test_a_review_needs_a_note_to_correct_and_keeps_nothing_half_written(pages, seeded, make_key):
    _login(pages, next(iter(make_key("desk-editor", "review").values())))
    claim = _claim(seeded, "000-iran-vacuum")
    before = _events(seeded)
    token = _csrf(pages.get(f"/claims/{claim.id}").text)
    page = pages.post(f"/review/claims/{claim.id}", data={"csrf_token": token, "status": "rejected", "note": "", "next": f"/claims/{claim.id}"}).text
    assert "a note is required" in page and _events(seeded) == before
    pages.post(f"/review/claims/{claim.id}", data={"csrf_token": token, "status": "confirmed", "note": "matches the article"})
    assert _events(seeded) == before + 1


def _events(db) -> int:
    with session_factory(db)() as s:
        return len(s.scalars(select(AuditEvent.id)).all())


def test_writes_need_a_csrf_token_a_login_and_the_review_scope(pages, seeded, make_key, app_factory):
    claim = _claim(seeded, "000-iran-vacuum")
    before = _events(seeded)
    url = f"/review/claims/{claim.id}"
    assert pages.post(url, data={"status": "confirmed"}, follow_redirects=False).status_code == 403  # no session
    reader = next(iter(make_key("reader", "read").values()))
    _login(pages, reader)
    token = _csrf(pages.get("/review").text)
    assert "expired or did not come from this site" in pages.post(url, data={"status": "confirmed", "csrf_token": "forged"}).text
    assert "lacks the review scope" in pages.post(url, data={"status": "confirmed", "csrf_token": token}).text
    assert _events(seeded) == before
    # a cross-site form post (browser Origin of another site) is refused even with the token
    reviewer = next(iter(make_key("desk-editor", "review").values()))
    _login(pages, reviewer)
    token = _csrf(pages.get("/review").text)
    pages.post(url, data={"status": "confirmed", "csrf_token": token}, headers={"Origin": "https://evil.example"})
    assert _events(seeded) == before
    # a key revoked after login stops working at once
    with session_factory(seeded, write=True)() as s:
        revoke_key(s, "desk-editor")
        s.commit()
    pages.post(url, data={"status": "confirmed", "csrf_token": token})
    assert _events(seeded) == before
    # logging in again with a bad key fails and says so
    page = pages.get("/login")
    r = pages.post("/login", data={"csrf_token": _csrf(page.text), "api_key": "ck_nope"}, follow_redirects=True)
    assert "not valid" in r.text


def test_login_rotates_the_session_and_logout_ends_it(pages, make_key):
    pages.get("/login")
    anonymous = pages.cookies.get("claims_session")
    _login(pages, next(iter(make_key("desk-editor", "review").values())))
    logged_in = pages.cookies.get("claims_session")
    assert anonymous and logged_in and anonymous != logged_in
    html = pages.get("/review").text
    assert "desk-editor" in html and 'action="/review/claims/' in html
    pages.post("/logout", data={"csrf_token": _csrf(html)})
    assert 'action="/review/claims/' not in pages.get("/review").text


def test_reads_need_a_login_when_the_server_requires_keys(seeded, app_factory, make_key):
    with TestClient(app=app_factory(require_key_for_reads=True)) as client:
        r = client.get("/browse", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=%2Fbrowse")
        assert client.get("/api/v1/claims").status_code == 401
        assert client.get("/static/workbench.css").status_code == 200
        _login(client, next(iter(make_key("reader", "read").values())), "/browse")
        assert client.get("/browse").status_code == 200


def test_page_errors_are_pages(pages):
    r = pages.get("/claims/00000000-0000-7000-8000-000000000000", params={"ui": "ar"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "غير موجود" in r.text


def test_schema_page_works_offline(pages):
    html = pages.get("/schema").text
    assert "/schema-assets/swagger-ui-bundle.js" in html and "/schema-assets/swagger-ui.css" in html
    assert not re.findall(r"""(?:src|href)=["']https?://""", html)  # nothing from a CDN
    js = pages.get("/schema-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert pages.get("/schema-assets/swagger-ui.css").status_code == 200


def test_hostile_input_on_pages_never_breaks_them(pages):
    r = pages.get("/", params={"q": "who said\x00 Iran"})
    assert r.status_code == 422 and "NUL" in r.text
    assert pages.get("/", params={"q": "x" * 501}).text.count("too long") == 1
    for params in ({"q": "الفراغ\x00"}, {"speaker": "\x00"}, {"page": "-3"}, {"outlet": "not-a-uuid"}, {"to": "2026-13-45"}):
        assert pages.get("/browse", params=params).status_code == 200, params
    assert pages.get("/", params={"q": "<script>alert(1)</script>"}).text.count("<script>alert(1)") == 0
    r = pages.post("/login", data={"csrf_token": "x", "api_key": "y", "next": "//evil.example"}, follow_redirects=False)
    assert r.status_code == 403


def test_redirects_after_forms_stay_on_this_site():
    from api.pages import safe_next

    assert safe_next("/claims/1?ui=ar") == "/claims/1?ui=ar"
    assert [safe_next(t) for t in ("//evil.example", "https://evil.example", "/\\evil", None, "")] == ["/"] * 5


def _act_through(client: TestClient, seeded, url: str) -> None:
    """A confirmed review through ``client`` (its cookies carry the session)."""
    token = _csrf(client.get("/review").text)
    client.post(url, data={"csrf_token": token, "status": "confirmed", "note": "checked"})


@pytest.mark.parametrize("store", ["file", "redis"])
def test_a_login_made_through_one_worker_works_through_another(seeded, app_factory, make_key, store):
    """Two app instances (two server processes, or one restarted) share the session store: a
    login made through one reviews through the other; logging out through the second ends it in
    both. ``redis`` runs against the real server with a prefix of its own."""
    import uuid

    settings = {"session_store": store}
    if store == "redis":
        prefix = f"claims-test:web2:{uuid.uuid4().hex}"
        settings.update(redis_url=REDIS_URL, session_redis_prefix=prefix,
                        rate_limit_store="database")
    claim = _claim(seeded, "000-iran-vacuum")
    url = f"/review/claims/{claim.id}"
    before = _events(seeded)
    with TestClient(app=app_factory(**settings)) as first, TestClient(app=app_factory(**settings)) as second:
        _login(first, next(iter(make_key("desk-editor", "review").values())))
        second.cookies.set("claims_session", first.cookies.get("claims_session"))
        assert "desk-editor" in second.get("/review").text
        _act_through(second, seeded, url)
        assert _events(seeded) == before + 1
        if store == "redis":
            import redis

            keys = redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:*")
            assert len(keys) == 1
        second.post("/logout", data={"csrf_token": _csrf(second.get("/review").text)})
        assert 'action="/review/claims/' not in first.get("/review").text  # the old id is gone everywhere
        if store == "redis":
            assert redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:*") != keys


def test_reading_a_page_anonymously_sets_no_cookie_and_stores_nothing(pages):
    r = pages.get("/browse")
    assert r.status_code == 200 and "claims_session" not in r.headers.get("set-cookie", "")
    assert "claims_session" not in pages.cookies
    login = pages.get("/login")
    cookie = login.headers["set-cookie"]
    assert "claims_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "claims_session" not in pages.get("/api/v1/claims").headers.get("set-cookie", "")


def test_claim_page_shows_each_hops_confidence_where_stored(pages, seeded):
    claim = _claim(seeded, "000-iran-vacuum")
    with session_factory(seeded, write=True)() as s:
        hops = s.scalars(select(RelayHop).where(RelayHop.claim_id == claim.id).order_by(RelayHop.position)).all()
        assert len(hops) >= 2
        hops[0].confidence, hops[1].confidence = 0.42, None
        s.commit()
    html = pages.get(f"/claims/{claim.id}").text
    chain = html[html.index('<ol class="chain">') :]
    chain = chain[: chain.index("</ol>")]
    items = chain.split("<li>")[1:]
    assert '<span class="confidence">Confidence 42%</span>' in items[0]
    assert 'class="confidence"' not in items[1]  # no stored confidence (a person wrote it): nothing shown


def test_graph_names_sources_in_the_interface_language(pages, seeded):
    """The Arabic interface names a source by the one display-name rule (``claims.names``: its
    Arabic name), in the graph, its aria-label, the hop list and the facts box; the English one
    by the canonical name."""
    from claims.names import display_name

    claim = _claim(seeded, "000-iran-vacuum")
    with session_factory(seeded)() as s:
        sources = [s.get(Source, h.source_id) for h in s.get(Claim, claim.id).hops]
        names = [(src.name, display_name(src, "ar")) for src in sources]
    arabic = [(en, a) for en, a in names if a != en]
    assert arabic, "the vacuum chain has a source with an Arabic alias"

    def graph(html: str) -> str:
        return html[html.index('<figure class="graph">') : html.index("</figure>")]

    en_page = pages.get(f"/claims/{claim.id}", params={"ui": "en"}).text
    ar_page = pages.get(f"/claims/{claim.id}", params={"ui": "ar"}).text
    en_graph, ar_graph = graph(en_page), graph(ar_page)
    svg = lambda g: g[g.index("<svg") :]  # noqa: E731 - the drawing, not its aria-label
    hop_list = lambda html: html[html.index('<ol class="chain">') :]  # noqa: E731
    for en, a in arabic:
        assert a in svg(ar_graph) and en not in svg(ar_graph)
        assert en in svg(en_graph) and a not in svg(en_graph)
        assert en not in ar_graph  # the aria-label too
        assert a in hop_list(ar_page) and en not in hop_list(ar_page).split("</ol>")[0]
    ask_ar = pages.get("/", params={"q": VACUUM_AR_Q, "ui": "ar"}).text
    assert any(a in ask_ar[ask_ar.index("<svg") :] for _, a in arabic)
