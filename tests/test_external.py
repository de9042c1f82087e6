"""Files from other sites (issue 18, item 4): hot-linking is an error unless the report
allows the address in mkdocs.yml; an allowed file is downloaded when the site is built
and published as a copy, so readers' browsers never load anything from the other site.

The "other site" is a local HTTP server on a second port.
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from csr_kit import external

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_site(tmp_path: Path):
    folder = tmp_path / "other-site" / "logos"
    folder.mkdir(parents=True)
    (folder / "partner.png").write_bytes(PNG)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Quiet, directory=str(folder.parent)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _allow(project, prefix: str) -> None:
    project.replace("mkdocs.yml", "  - csr-site\n",
                    f"  - csr-site:\n      allow_external: ['{prefix}']\n")


def test_an_allowed_file_is_published_as_a_copy(project, other_site):
    url = other_site + "logos/partner.png"
    project.write("docs/page.md", project.read("docs/page.md")
                  + f"\n![合作夥伴的標誌]({url})\n")
    _allow(project, other_site + "logos/")
    result = project.build(strict=True)
    assert result.ok, result.error + "\n".join(result.problems)
    name = external.local_name(url)
    # One copy for the whole site, which both editions' pages point at.
    assert (result.site / "assets" / "external" / name).read_bytes() == PNG
    for page, up in (("page/index.html", "../"), ("zh-Hans/page/index.html", "../../")):
        html = result.page(page)
        assert other_site not in html  # readers never load it from the other site
        assert f'src="{up}assets/external/{name}"' in html


def test_a_file_not_allowed_is_still_an_error(project, other_site):
    project.write("docs/page.md", project.read("docs/page.md")
                  + f"\n![合作夥伴的標誌]({other_site}logos/partner.png)\n")
    _allow(project, "https://partner.example.org/")
    result = project.build(strict=True)
    assert not result.ok
    assert any("would load" in p and "from another site" in p for p in result.problems)


def test_an_allowed_file_that_cannot_be_downloaded_is_an_error_at_its_line(project,
                                                                             other_site):
    url = other_site + "logos/missing.png"
    project.write("docs/page.md", project.read("docs/page.md") + f"\n![標誌]({url})\n")
    _allow(project, other_site)
    result = project.build(strict=False)
    assert not result.ok
    line = project.read("docs/page.md").splitlines().index(f"![標誌]({url})") + 1
    assert any(re.search(rf"docs/page.md:{line}: '{re.escape(url)}' is allowed under "
                         r"allow_external \(csr-site\), but it could not be downloaded", p)
               for p in result.problems), result.problems


def test_localise_leaves_links_and_canonical_addresses_alone():
    html = ('<link rel="canonical" href="https://x.org/a/"><a href="https://x.org/b">b</a>'
            '<img src="https://x.org/c.png" alt="c">')
    out, failed = external.localise(html, "people/", ["https://x.org/"], lambda url: True)
    assert failed == []
    assert out.startswith('<link rel="canonical" href="https://x.org/a/"><a href="https://x.org/b">')
    assert f'src="../assets/external/{external.local_name("https://x.org/c.png")}"' in out
