"""Screenshots of the built site for a person to look at (not committed).

    make screenshots                      # builds nothing: run `make build` first
    .venv/bin/python scripts/screenshots.py --site /tmp/other-site --out /tmp/shots

Takes every page of the site (each folder's index.html, and the 404 page) in every
edition, at desktop (1440×900) and phone (390×844) sizes, into screenshots/, as
`<page>-<script>-<size>.png`, using Debian's Chromium; on a page with glossary terms, also
`<page>-<script>-<size>-tooltip.png`, the screen with one term's tooltip open.
"""

from __future__ import annotations

import argparse
import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"desktop": {"width": 1440, "height": 900}, "mobile": {"width": 390, "height": 844}}
# Each edition's folder in the site (the English one only where the report has it).
EDITIONS = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages(site: Path) -> dict[str, str]:
    """Name → path from a language's root, for every page the default language has."""
    found = {"home": "", "404": "404.html"}
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        if relative == "." or relative.split("/")[0] in ("zh-Hans", "zh-Hant", "en", "assets"):
            continue
        found[relative.replace("/", "-")] = relative + "/"
    return found


def show_a_tooltip(page) -> bool:
    """Hover a glossary term (one in the right half of the screen if there is one, where
    a tooltip is likeliest to run off it), so the screenshot shows its tooltip."""
    terms = page.locator("article abbr.csr-term")
    if not terms.count():
        return False
    index = page.evaluate("""() => {
      const terms = [...document.querySelectorAll('article abbr.csr-term')];
      const right = terms.findIndex(t => t.getBoundingClientRect().left > innerWidth / 2);
      return right < 0 ? 0 : right;
    }""")
    term = terms.nth(index)
    term.evaluate("el => el.scrollIntoView({block: 'center'})")
    term.hover()
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    site, out = args.site, args.out
    if not (site / "index.html").exists():
        print(f"No built site in {site}: run `make build` first.", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, is_mobile=size == "mobile")
            page = context.new_page()
            for script, prefix in EDITIONS.items():
                if prefix and not (site / prefix).is_dir():
                    continue
                for name, path in pages(site).items():
                    page.goto(base + prefix + path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{script}-{size}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                    if show_a_tooltip(page):
                        target = out / f"{name}-{script}-{size}-tooltip.png"
                        page.screenshot(path=str(target))
                        print(target)
            context.close()
        browser.close()
    httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
