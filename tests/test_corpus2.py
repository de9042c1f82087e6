"""The second corpus (tests/corpus2/cases.yml): mistakes that used to be published silently.

Each case starts from a fixture report that has already been published once
(``site/`` built by ``csr-kit build``), makes one realistic mistake and runs
``csr-kit build`` again through its real entry point.  The build must refuse,
name the mistake at the right file and line with a fix, show no traceback,
leave every source file as it was, and leave the published ``site/``
byte-identical: nothing wrong reaches readers.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from csr_kit import cli
from test_corpus import apply_edit, assert_reported

HERE = Path(__file__).resolve().parent
CASES = yaml.safe_load((HERE / "corpus2" / "cases.yml").read_text(encoding="utf-8"))
FIRST_CORPUS = yaml.safe_load((HERE / "corpus" / "cases.yml").read_text(encoding="utf-8"))
FIXTURE = HERE / "fixtures" / "minisite"


def digest(folder: Path, skip: str | None = None) -> dict[str, str]:
    """Every file under ``folder`` (but ``skip``) → the hash of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if skip and (relative == skip or relative.startswith(skip + "/")):
            continue
        if path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The fixture report with its site published once, as an author would have it."""
    root = tmp_path_factory.mktemp("published") / "report"
    shutil.copytree(FIXTURE, root)
    code = cli.main(["-f", str(root / "mkdocs.yml"), "build", "--no-pdf"])
    assert code == 0, "the fixture report must build"
    assert (root / "site" / "index.html").is_file()
    return root


def test_second_corpus_is_large_distinct_and_new():
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids))
    edits = [repr(case["edits"]) for case in CASES]
    assert len(edits) == len(set(edits)), "two cases make the same mistake"
    first = {repr(case["edits"]) for case in FIRST_CORPUS}
    assert not first & set(edits), "a case repeats one of tests/corpus"
    assert not {c["id"] for c in FIRST_CORPUS} & set(ids)
    for case in CASES:
        assert case.get("what") and case.get("expect"), case["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_mistake_is_named_and_nothing_is_published(case, published, tmp_path, capsys):
    root = tmp_path / "report"
    shutil.copytree(published, root)
    site_before = digest(root / "site")
    for edit in case["edits"]:
        apply_edit(root, edit)
    sources_before = digest(root, skip="site")

    code = cli.main(["-f", str(root / "mkdocs.yml"), "build", "--no-pdf"])
    captured = capsys.readouterr()
    output = captured.out + captured.err

    assert code != 0, f"{case['id']}: the build published\n{output}"
    assert "Traceback" not in output
    assert "csr-kit stopped unexpectedly" not in output and "could not process" not in output, \
        output
    assert_reported(case, root, output)
    assert "Nothing was published" in output
    # The author's files are untouched, and readers still get the last good site.
    assert digest(root, skip="site") == sources_before
    assert digest(root / "site") == site_before
    assert not [p.name for p in root.iterdir() if p.name.startswith((".site-new-", ".site-old-"))]


# --- the pieces, one by one ----------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from csr_kit import directives, leaks  # noqa: E402
from csr_kit.datafile import full_width_problems  # noqa: E402
from csr_kit.mdsource import SourceText  # noqa: E402


def test_built_sample_site_has_no_markup_text_and_no_outside_request(sample_site):
    # The conversion review is the reviewers' page, not the report: it quotes the source's
    # -{…}- markup on purpose, and no page links to it.
    pages = sorted(p for p in sample_site.site.rglob("*.html")
                   if p.name != "conversion-review.html")
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert leaks.markup_leaks(html) == [], page
        assert leaks.external_resources(html) == [], page


def test_leaks_are_found_where_readers_see_them():
    page = ("<html><head><title>員工 {{kpi staff.total}}</title>"
            "<link rel=\"canonical\" href=\"https://report.example.org/\">"
            "<link rel=\"stylesheet\" href=\"https://fonts.example.com/a.css\"></head><body>"
            "<nav>首頁 ｛｛kpi x｝｝</nav><p>正文 -{未轉換</p><pre>{{ code }}</pre>"
            "<code>-{x}-</code><img src=\"//cdn.example.com/a.png\" alt=\"圖 {{chart a}}\">"
            "<a href=\"https://example.com/\">連結</a><script>var a = '{{';</script>"
            "<div style=\"background: url('https://img.example.com/b.png')\"></div></body></html>")
    found = {(leak.where, leak.markup) for leak in leaks.markup_leaks(page)}
    assert found == {("title", "{{"), ("text", "｛"), ("text", "｝"), ("text", "-{"),
                     ("alt/title attribute", "{{")}
    assert leaks.external_resources(page) == ["https://fonts.example.com/a.css",
                                              "//cdn.example.com/a.png",
                                              "https://img.example.com/b.png"]


def test_the_site_navigation_is_read_only_when_it_may_hold_markup():
    nav = ('<div class="md-sidebar md-sidebar--primary"><nav><a href="x/">{}</a></nav></div>'
           '<div class="md-sidebar md-sidebar--secondary"></div>')
    content = "<article><p>正文 {}</p></article>"
    page = "<html><head><title>t</title></head><body>" + nav + content + "</body></html>"
    assert leaks.markup_leaks(page.format("首頁", "完")) == []
    assert [(x.where, x.markup) for x in leaks.markup_leaks(page.format("首頁 {{kpi a}}", "完"))] \
        == [("text", "{{"), ("text", "}}")]
    assert [x.markup for x in leaks.markup_leaks(page.format("首頁", "-{未轉換"))] == ["-{"]


def test_directives_in_containers_are_prose_not_code():
    text = ("!!! note\n    一 {{kpi a}}\n\n    二 {{kpi b}}\n\n詞\n:   義 {{kpi c}}\n\n"
            "    續 {{kpi d}}\n\n[^1]: 註 {{kpi e}}\n\n    續 {{kpi f}}\n\n段落\n\n"
            "    code {{kpi g}}\n")
    source = SourceText(text)
    found = {d.args[0] for d in directives.find(source)}
    assert found == {"a", "b", "c", "d", "e", "f"}  # g is an indented code block


_WIDE = "，：；　｛｝「」、"
_TEXT = st.text(alphabet=st.sampled_from(list("持份者員工資訊甲乙丙 2021.5%") + list(_WIDE)),
                min_size=1, max_size=30).filter(lambda t: t.strip() and t[0] not in "｛「　")


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_full_width_punctuation_inside_chinese_text_is_left_alone(text):
    # Inside a quoted value or a value of Chinese words it is the author's punctuation.
    quoted = text.replace('"', "")
    assert full_width_problems(f'note: {{zh-Hant: "{quoted}"}}\n', "x.yml") == []
    assert full_width_problems(f'  label: "{quoted}"\n', "x.yml") == []


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True), st.integers(0, 6),
       st.sampled_from(["：", "　"]))
def test_a_key_typed_with_full_width_punctuation_is_named_with_its_column(key, indent, char):
    line = " " * indent + key + char + "值"
    found = full_width_problems(line + "\n", "x.yml", first_line=7)
    assert len(found) == 1 and found[0].line == 7
    assert f"'{char}' at column {indent + len(key) + 1} after '{key}'" in found[0].message


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z]{1,8}\.[a-z_]{1,10}", fullmatch=True),
       st.from_regex(r"[a-z]{1,8}\.[a-z_]{1,10}", fullmatch=True),
       st.sampled_from(sorted(set(directives.FULL_WIDTH) - {"「", "」", "“", "”", "｛", "｝"})),
       st.text(alphabet="員工人數為。 ", max_size=10))
def test_a_directive_typed_with_full_width_punctuation_is_named(first, second, char, before):
    line = f"{before}{{{{kpi-cards {first}{char}{second}}}}}"
    found = directives.malformed(SourceText(line, "docs/a.md", 12))
    assert [p.line for p in found] == [12]
    column = len(before) + len("{{kpi-cards ") + len(first) + 1
    assert f"'{char}' at column {column}" in found[0].message
