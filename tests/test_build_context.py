"""The page model and the build context: each page file read once per build, its
Markdown parsed once per build, contributions applied to the page as written."""

from __future__ import annotations

import inspect
import pathlib
from collections import Counter

import markdown_it

from csr_kit.mdsource import SourceText
from csr_kit.page import PageModel

# --- the page model ------------------------------------------------------------------------


def test_contributions_apply_to_the_page_as_written():
    body = "# 標題\n\n員工 {{kpi a.b}} 人，-{香港}- 與 {{kpi c.d}}。\n"
    model = PageModel.read(body, "---\ntitle: 標題\n---\n\n" + body, "docs/p.md")
    assert model.source.first_line == 5  # four lines of front matter and a blank line
    first, second = model.directives
    assert (first.line, second.line) == (7, 7)
    # Contributions come in any order and are given in the positions of the text as written.
    model.replace(second.start, second.end, "<b>2</b>")
    markup_start = body.index("-{")
    model.replace(markup_start, markup_start + len("-{香港}-"), "香港")
    model.replace(first.start, first.end, "<b>1</b>")
    assert model.text() == "# 標題\n\n員工 <b>1</b> 人，香港 與 <b>2</b>。\n"
    assert model.front_matter_line("title") == 2


def test_a_body_whose_end_differs_from_the_file_is_still_placed_by_the_front_matter():
    # MkDocs strips trailing newlines; a plugin before ours may have changed the text.
    model = PageModel.read("changed\n", "---\ntitle: x\n---\n\nwritten\n\n\n", "docs/p.md")
    assert model.source.first_line == 5


def test_a_directive_in_code_is_not_a_directive():
    body = "```\n{{kpi a.b}}\n```\n\n`{{kpi c.d}}` {{kpi e.f}}\n"
    model = PageModel.read(body, body, "docs/p.md")
    assert [d.args[0] for d in model.directives] == ["e.f"]


# --- through a real build ------------------------------------------------------------------


def _reads_by_csr_kit(monkeypatch) -> Counter[str]:
    """Reads of files under docs/ made by csr-kit's own modules, by file name."""
    reads: Counter[str] = Counter()
    original = pathlib.Path.read_text

    def read_text(self, *args, **kwargs):
        caller = inspect.stack()[1].frame.f_globals.get("__name__", "")
        if caller.startswith("csr_kit") and "docs" in self.parts and self.suffix == ".md":
            reads[self.name] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_text", read_text)
    return reads


def test_each_page_file_is_read_once_per_build(project, monkeypatch):
    project.write("docs/more.md", "# 更多\n\n員工人數為 {{kpi staff.total}}。\n")
    reads = _reads_by_csr_kit(monkeypatch)
    result = project.build(strict=False)
    assert result.ok, result.error
    pages = {p.name for p in (project.path / "docs").glob("*.md")}
    assert set(reads) == pages  # every page was read (its lines, the names it uses) …
    assert set(reads.values()) == {1}  # … once, though two languages were built


def test_each_page_body_is_parsed_once_per_build(project, monkeypatch):
    parsed: Counter[str] = Counter()
    original = markdown_it.MarkdownIt.parse

    def parse(self, src, env=None):
        if "{{" in src or "員工" in src:  # a page body, not a short label
            parsed[src] += 1
        return original(self, src, env)

    monkeypatch.setattr(markdown_it.MarkdownIt, "parse", parse)
    result = project.build(strict=False)
    assert result.ok, result.error
    # Once, though both scripts' builds read it: the Simplified build reuses the parse.
    assert parsed and set(parsed.values()) == {1}


def test_a_page_changed_by_another_plugin_is_modelled_again():
    """When a plugin outside the kit changed the page, its text is the one built on."""
    from types import SimpleNamespace

    from csr_kit.mkdocs.context import Build, LanguageBuild

    build = Build.__new__(Build)
    build._texts, build._model, build.current, build.parsed = {}, None, None, {}
    build.project_dir = pathlib.Path("/nonexistent")
    ctx = LanguageBuild("zh-Hant", "zh-Hant", ["zh-Hant"], "zh-Hant", None, build)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="p.md", abs_src_path=None))
    first = ctx.page(page, "甲 {{kpi a.b}}\n")
    assert ctx.page(page, "甲 {{kpi a.b}}\n") is first
    first.replace(0, 1, "乙")
    assert ctx.page(page, first.text()) is first  # what the kit returned last
    again = ctx.page(page, "丙 {{kpi a.b}}\n")  # changed by someone else
    assert again is not first and again.source.text.startswith("丙")


def test_source_text_line_map():
    source = SourceText("一\n二\n三", "docs/p.md", 10)
    assert [source.line_at(i) for i in (0, 2, 4)] == [10, 11, 12]
