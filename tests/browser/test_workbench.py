"""What a fact-checker does in the browser, end to end: ask in both languages, read the Arabic
evidence inside its article, filter the browse page, log in with a review key and correct a hop
(then see it in the history, on SQLite and PostgreSQL), keyboard use, phone width, an axe-core
accessibility check of every page in both interface languages, and /schema with no internet."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

VACUUM_EN_Q = "Who originally said Iran will fill the vacuum?"
VACUUM_AR_Q = "من قال أولاً إن إيران ستملأ الفراغ؟"


def _ask(page: Page, base: str, question: str) -> None:
    page.goto(base + "/")
    box = page.get_by_label(re.compile("Your question|سؤالك"))
    box.fill(question)
    box.press("Enter")  # the keyboard submits the form
    page.wait_for_url(re.compile(r"/\?q="))


@pytest.mark.parametrize("question", [VACUUM_EN_Q, VACUUM_AR_Q])
def test_ask_the_vacuum_question_shows_origin_and_chain(page, sqlite_server, question):
    _ask(page, sqlite_server.base, question)
    answer = page.locator("article.answer").first
    expect(answer.locator("dd.origin")).to_contain_text("The Jerusalem Post")
    hops = answer.locator("ol.chain > li")
    expect(hops).to_have_count(3)
    expect(hops.nth(0)).to_contain_text("The Jerusalem Post")
    expect(hops.nth(1)).to_contain_text("Al Arabiya")
    expect(answer.locator("svg.chain-graph")).to_be_visible()
    expect(answer.locator(".drift")).to_contain_text("translated from English to Arabic")
    # the URL is the shareable link: opening it again shows the same answer
    shared = page.url
    page.goto(shared)
    expect(page.locator("article.answer").first.locator("dd.origin")).to_contain_text("The Jerusalem Post")


def test_a_question_nothing_supports_says_so(page, sqlite_server):
    page.goto(sqlite_server.base + "/?ui=ar&q=" + quote("من قال إن تركيا ستملأ الفراغ في العراق؟"))
    expect(page.locator("#not-found")).to_contain_text("لم يُعثر على ادعاء داعم")
    expect(page.locator("article.answer")).to_have_count(0)


def test_claim_page_highlights_the_arabic_evidence_inside_the_document(page, sqlite_server):
    _ask(page, sqlite_server.base, VACUUM_AR_Q)
    page.locator("article.answer").first.get_by_role("link", name=re.compile("Open the claim")).click()
    page.wait_for_url(re.compile(r"/claims/[0-9a-f-]{36}$"))
    document = page.locator(".doc-text")
    expect(document).to_have_attribute("dir", "rtl")
    evidence = document.locator("mark.evidence")
    expect(evidence.first).to_be_visible()
    texts = evidence.all_inner_texts()
    assert any("جيروزاليم" in t for t in texts), texts
    claim = document.locator("mark.claim")
    expect(claim.first).to_contain_text("إيران")
    # the marks sit inside the full text: the document is much longer than what is marked
    full = document.inner_text()
    assert len(full) > 5 * sum(len(t) for t in texts) and all(t in full for t in texts)
    expect(page.locator(".side-by-side .column")).to_have_count(2)  # Arabic and English tellings
    expect(page.locator("#history")).to_contain_text("seed")


def test_browse_filters_by_language_and_modality(page, sqlite_server):
    page.goto(sqlite_server.base + "/browse")
    total_all = int(page.locator("#total").inner_text())
    page.get_by_label("Language", exact=True).select_option("ar")
    page.get_by_label("How firmly").select_option("hedged")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"lang=ar.*modality=hedged|modality=hedged.*lang=ar"))
    total = int(page.locator("#total").inner_text())
    assert 0 < total < total_all
    items = page.locator("#results > li")
    expect(items).to_have_count(min(total, 20))
    for i in range(items.count()):
        assert items.nth(i).locator(".claim-text").first.get_attribute("lang") == "ar"
        expect(items.nth(i)).to_contain_text("hedged")
    page.get_by_label("Full-text search").fill("الفراغ")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results > li").first).to_contain_text("الفراغ")


def test_log_in_with_a_review_key_correct_a_hop_and_see_it_in_the_history(page, any_server):
    secret = any_server.key(f"desk-{uuid.uuid4().hex[:8]}", "review")
    base = any_server.base
    _ask(page, base, VACUUM_EN_Q)
    page.locator("article.answer").first.get_by_role("link", name="Open the claim").click()
    page.wait_for_url(re.compile(r"/claims/[0-9a-f-]{36}$"))
    claim_url = page.url
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("API key").fill(secret)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(claim_url)
    hop = page.locator("details.review").filter(has_text="Review hop 1")
    hop.locator("summary").click()
    hop.get_by_label("Correct").check()
    hop.get_by_label("How firmly").select_option("hedged")
    note = "Checked against Al Arabiya's article: the translation keeps the hedge"
    hop.get_by_label("Note").fill(note)
    hop.get_by_role("button", name="Save decision").click()
    page.wait_for_url(claim_url)
    expect(page.locator(".flash")).to_contain_text("Saved")
    history = page.locator("#history > li").first  # newest first
    expect(history).to_contain_text("review")
    expect(history).to_contain_text(note)
    expect(history).to_contain_text("web:desk-")
    expect(page.locator("ol.chain > li").nth(1)).to_contain_text("corrected")
    api = page.request.get(claim_url.replace("/claims/", "/api/v1/claims/") + "/history").json()
    assert api["versions"][-1]["reason"] == note and api["versions"][-1]["action"] == "review"


def test_keyboard_skip_link_and_visible_focus(page, sqlite_server):
    page.goto(sqlite_server.base + "/browse")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused[0] == "skip" and focused[1] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert style != "none"


def _pages(server, page: Page) -> dict[str, str]:
    page.goto(server.base + "/?q=" + quote(VACUUM_EN_Q))
    claim = page.locator("article.answer a.button").first.get_attribute("href")
    page.goto(server.base + claim)
    document = page.locator("dl.facts a[href^='/documents/']").first.get_attribute("href")
    source = page.locator("dd.origin a").first.get_attribute("href")
    return {
        "ask": "/",
        "answer": "/?q=" + quote(VACUUM_AR_Q),
        "not-found": "/?q=" + quote("Who said Turkey will fill the vacuum in Iraq?"),
        "claim": claim,
        "document": document,
        "source": source,
        "browse": "/browse",
        "browse-documents": "/browse?what=documents",
        "review": "/review",
        "login": "/login",
    }


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_no_serious_accessibility_violations_on_any_page(page, sqlite_server, axe_source, ui):
    failures = {}
    for name, path in _pages(sqlite_server, page).items():
        sep = "&" if "?" in path else "?"
        page.goto(f"{sqlite_server.base}{path}{sep}ui={ui}")
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            failures[name] = bad
    assert failures == {}


def test_logged_in_review_page_is_accessible_too(page, sqlite_server, axe_source):
    secret = sqlite_server.key("a11y-reviewer", "review")
    page.goto(sqlite_server.base + "/login?next=/review")
    page.get_by_label("API key").fill(secret)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile("/review$"))
    page.locator("details.review summary").first.click()
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_pages_fit_a_phone_screen(phone, sqlite_server, ui):
    too_wide = {}
    for name, path in _pages(sqlite_server, phone).items():
        sep = "&" if "?" in path else "?"
        phone.goto(f"{sqlite_server.base}{path}{sep}ui={ui}")
        width = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1] + 1:
            too_wide[name] = width
    assert too_wide == {}


def test_interface_switch_turns_the_page_right_to_left(page, sqlite_server):
    page.goto(sqlite_server.base + "/browse?ui=en")
    page.get_by_role("link", name=re.compile("العربية")).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_contain_text("تصفّح")
    page.goto(sqlite_server.base + "/")  # remembered
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def test_schema_page_works_without_internet(page, sqlite_server):
    outside = []

    def only_loopback(route):
        if route.request.url.startswith(sqlite_server.base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(sqlite_server.base + "/schema")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Claims provenance API", timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == []


def test_the_accessibility_check_catches_a_violation(page, axe_source):
    """The harness itself: a page with an unlabelled image and input fails the same check."""
    page.set_content('<html lang="en"><body><main><img src="x.png"><input type="text"></main></body></html>')
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert {"image-alt", "label"} <= {v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")}
