"""Screenshots of the fact-checker's pages for the README (docs/screenshots/), in English and
Arabic, at desktop and phone width, taken with Debian's Chromium through Playwright.

    python scripts/screenshots.py http://127.0.0.1:8000 [OUT_DIR]

Point it at a server running on the seeded database (``make serve``); it finds the vacuum
claim, its document and origin by asking, as a fact-checker would.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
QUESTION = "Who originally said Iran will fill the vacuum?"
QUESTION_AR = "من قال أولاً إن إيران ستملأ الفراغ؟"


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{base}/?q={QUESTION}")
        claim = page.locator("a.button").first.get_attribute("href")
        page.goto(base + claim)
        document = page.locator("dl.facts a[href^='/documents/']").first.get_attribute("href")
        source = page.locator("dd.origin a").first.get_attribute("href")
        pages = {
            "ask": f"/?q={QUESTION}",
            "claim": claim,
            "document": document,
            "source": source,
            "browse": "/browse?lang=ar",
            "review": "/review",
        }
        for size, (w, h) in SIZES.items():
            ctx = browser.new_context(viewport={"width": w, "height": h})
            tab = ctx.new_page()
            for ui in ("en", "ar"):
                for name, path in pages.items():
                    if name == "ask" and ui == "ar":
                        path = f"/?q={QUESTION_AR}"
                    sep = "&" if "?" in path else "?"
                    tab.goto(f"{base}{path}{sep}ui={ui}")
                    target = out / f"{name}-{ui}-{size}.png"
                    tab.screenshot(path=str(target), full_page=size == "desktop")
                    print(target)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    main(re.sub(r"/$", "", base), Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"))
