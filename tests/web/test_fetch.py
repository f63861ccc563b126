"""claims.fetch and claims.articles against the local server: limits, refusals, extraction."""

from __future__ import annotations

import datetime

import pytest

from claims import fetch as fetch_module
from claims.articles import decode, extract_article
from claims.fetch import FetchFailed, FetchRefused, check_url, fetch


def _article(url: str):
    fetched = fetch(url)
    return extract_article(decode(fetched), fetched.url)


def test_english_page_main_text_and_metadata(web, fetch_env):
    a = _article(web.page("/world/iran", "wire_original.html"))
    assert a.title == "Iran could fill the vacuum, analysts say"
    assert a.site_name == "Gulf Daily Wire"
    assert a.author == "Sara Haddad"
    assert a.lang == "en"
    assert a.canonical_url == "https://gulfwire.example/world/iran-vacuum-analysts"
    assert a.published_at == datetime.datetime(2026, 11, 3, 8, 15, tzinfo=datetime.UTC)
    assert "Karim Nasser" in a.text and "Pentagon declined" in a.text
    for furniture in ("Business", "Share on Facebook", "Read also", "Oil prices climb", "Related stories",
                      "Cookie settings", "All rights reserved"):
        assert furniture not in a.text


def test_arabic_page_main_text_and_metadata(web, fetch_env):
    a = _article(web.page("/ar/iran", "ar_article.html"))
    assert a.lang == "ar"
    assert a.site_name == "الخليج اليوم"
    assert a.author == "ليلى منصور"
    assert a.canonical_url == "https://khaleej-today.example/politics/iran-iraq-vacuum"
    assert a.published_at == datetime.datetime(2026, 11, 3, 3, 30, tzinfo=datetime.UTC)  # +03:00 → UTC
    assert "كريم ناصر" in a.text and "تستعد لهذه اللحظة" in a.text
    for furniture in ("الرئيسية", "شارك", "اقرأ أيضاً", "ارتفاع أسعار النفط", "مواضيع ذات صلة", "جميع الحقوق"):
        assert furniture not in a.text


def test_dates_in_common_formats(web, fetch_env):
    # JSON-LD datePublished with an offset
    assert _article(web.page("/c", "wire_copy.html")).published_at == datetime.datetime(
        2026, 11, 4, 14, 40, tzinfo=datetime.UTC
    )
    # "November 5, 2026" in a meta tag
    assert _article(web.page("/o", "other_story.html")).published_at.date() == datetime.date(2026, 11, 5)
    # a date only in the URL path
    assert _article(web.page("/news/2026/10/30/wire", "undated.html")).published_at.date() == datetime.date(2026, 10, 30)
    # none at all: undated
    assert _article(web.page("/u", "undated.html")).published_at is None


def test_redirects_followed_and_limited(web, fetch_env):
    web.page("/final", "wire_original.html")
    web.redirect("/r1", "/r2")
    web.redirect("/r2", web.url("/final"), status=301)
    fetched = fetch(web.url("/r1"))
    assert fetched.url == web.url("/final") and fetched.status == 200
    for i in range(10):
        web.redirect(f"/loop{i}", f"/loop{i + 1}")
    with pytest.raises(FetchFailed) as info:
        fetch(web.url("/loop0"))
    assert info.value.extra["reason"] == "too_many_redirects"
    assert web.hits["/loop5"] == 1 and web.hits["/loop6"] == 0  # 1 request + 5 redirects, then stop


def test_slow_page_times_out(web, fetch_env):
    web.add("/slow", b"<html><body><p>" + b"slow " * 2000 + b"</p></body></html>", delay=0.5, chunks=40)
    with pytest.raises(FetchFailed) as info:
        fetch(web.url("/slow"))
    assert info.value.extra["reason"] == "timeout"
    web.add("/stalled", b"<html>late</html>", delay=3.0)
    with pytest.raises(FetchFailed) as info:
        fetch(web.url("/stalled"))
    assert info.value.extra["reason"] == "timeout"


def test_oversized_page_refused(web, fetch_env):
    web.add("/big", b"<p>" + b"x" * 10_000 + b"</p>", repeat=50)  # 500 kB, cap is 200 kB
    with pytest.raises(FetchFailed) as info:
        fetch(web.url("/big"))
    assert info.value.extra["reason"] == "too_large"


def test_oversized_without_content_length_refused(web, fetch_env):
    """The cap is counted on the bytes read, not trusted from a header."""
    web.add("/big2", b"<p>" + b"x" * 10_000 + b"</p>", repeat=50, send_length=False)
    with pytest.raises(FetchFailed) as info:
        fetch(web.url("/big2"))
    assert info.value.extra["reason"] == "too_large"
    assert "over the 200000-byte limit" in info.value.detail


def test_non_html_body_refused(web, fetch_env):
    web.add("/report.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    with pytest.raises(FetchFailed) as info:
        fetch(web.url("/report.pdf"))
    assert info.value.extra["reason"] == "content_type"
    web.add("/missing-type", b"<html></html>", content_type="")
    with pytest.raises(FetchFailed):
        fetch(web.url("/missing-type"))


def test_http_error_status(web, fetch_env):
    with pytest.raises(FetchFailed) as info:
        fetch(web.url("/nothing-here"))
    assert info.value.extra["reason"] == "http_status" and info.value.extra["upstream_status"] == 404


def test_user_agent_is_descriptive(web, fetch_env):
    fetch(web.page("/ua", "wire_original.html"))
    path, headers = web.requests[-1]
    ua = {k.lower(): v for k, v in headers.items()}["user-agent"]
    assert "claims" in ua and "+http" in ua


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.org/x", "scheme"),
        ("gopher://127.0.0.1/", "scheme"),
        ("http://127.0.0.1:9/", "private_address"),
        ("http://localhost:9/", "private_address"),
        ("http://[::1]:9/", "private_address"),
        ("http://169.254.169.254/latest/meta-data/", "private_address"),
        ("http://10.1.2.3/", "private_address"),
        ("http://192.168.0.1/", "private_address"),
        ("http://0.0.0.0/", "private_address"),
        ("http://[::ffff:127.0.0.1]/", "private_address"),
        ("http://user:pw@example.org/", "credentials"),
    ],
)
def test_refused_without_sending_anything(url, reason, monkeypatch):
    monkeypatch.setenv("CLAIMS_FETCH_ALLOW_PRIVATE", "false")
    from claims.settings import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(FetchRefused) as info:
            check_url(url)
        assert info.value.extra["reason"] == reason
    finally:
        get_settings.cache_clear()


def test_redirect_into_private_network_refused(web, fetch_env, monkeypatch):
    """Every hop is checked: a public page that redirects to an internal address is refused before
    the internal address is requested. The test server stands in for the public page (the
    resolver is told 127.0.0.1 is public); 10.1.2.3 is never contacted."""
    fetch_env(fetch_allow_private="false")
    real = fetch_module._resolve
    monkeypatch.setattr(
        fetch_module, "_resolve", lambda host, port: ["93.184.216.34"] if host == "127.0.0.1" else real(host, port)
    )
    web.redirect("/hop", "http://10.1.2.3/admin")
    with pytest.raises(FetchRefused) as info:
        fetch(web.url("/hop"))
    assert info.value.extra["reason"] == "private_address" and "10.1.2.3" in info.value.detail
    assert web.hits["/hop"] == 1
