"""Screenshots of the built site for a person to look at (not committed).

    make screenshots        # builds nothing: run `make build` first

Takes the home page and a chapter in both scripts, at desktop (1280×900) and
mobile (390×844) sizes, into screenshots/, using Debian's Chromium.
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"home": "", "chapter": "people/"}
SIZES = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
SCRIPTS = {"zh-Hant": "", "zh-Hans": "zh-Hans/"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    site = ROOT / "site"
    if not (site / "index.html").exists():
        print("No built site in site/: run `make build` first.", file=sys.stderr)
        return 1
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
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
            for script, prefix in SCRIPTS.items():
                for name, path in PAGES.items():
                    page.goto(base + prefix + path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{script}-{size}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT))
            context.close()
        browser.close()
    httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
