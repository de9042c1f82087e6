"""Property tests: conversion changes the text a reader sees and nothing else.

Random Markdown mixing Chinese text (glossary terms, risky characters), code
spans, fenced code, links, images, autolinks and raw HTML is rendered with
Python-Markdown (as MkDocs does), converted with the real OpenCC + glossary
converter, and compared: every tag, every attribute other than alt/title/aria-label,
every code span and block, every URL and link target must be byte-identical;
only text nodes (and those attributes' values) may change, each exactly as the
converter converts it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings, strategies as st

from csr_kit import directives
from csr_kit.convert import markup
from csr_kit.convert.engine import get_converter
from csr_kit.convert.html import CONVERTED_ATTRIBUTES, SKIP_ELEMENTS, convert_html
from csr_kit.glossary import load as load_glossary
from csr_kit.mdsource import SourceText

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minisite"
GLOSSARY = load_glossary(FIXTURE / "data/glossary.yml", "data/glossary.yml")
CONVERTER = get_converter("hk2s", GLOSSARY.phrase_rules("zh-Hant"))
EXTENSIONS = ["attr_list", "tables", "fenced_code", "footnotes", "md_in_html", "toc"]

# Glossary terms, one-to-many characters, HK wording and plain words.
WORDS = ["持份者", "資訊", "質素", "董事局", "香港品質保證局", "發展", "頭髮", "乾淨", "著作",
         "了解", "瞭解", "後來", "裏面", "臺灣", "麵包", "幹部", "係數", "週年", "可持續發展",
         "環境", "社會", "管治", "員工", "培訓", "私隱", "膠樽", "報告", "數據", "範圍"]
PUNCT = ["，", "。", "、", " ", "ESG", "2021", "（", "）"]
words = st.lists(st.sampled_from(WORDS + PUNCT), min_size=1, max_size=6).map("".join) \
    .map(str.strip).filter(bool)
# Code may hold anything an author types, including what looks like markup.
CODE_BITS = WORDS + ["<b>", "&amp;", "&", '"', "'", "x = 1", "-{資訊}-", "}-", "-{",
                     "{{kpi staff.total}}", "*", "_", "#", "|"]
code_text = st.lists(st.sampled_from(CODE_BITS), min_size=1, max_size=5).map(" ".join)
segment = st.sampled_from(WORDS + ["a", "b-c", "2021", "x_y"])
https_url = st.builds(lambda parts, q: "https://例子.org/" + "/".join(parts) + q,
                      st.lists(segment, min_size=1, max_size=3),
                      st.sampled_from(["", "?q=資訊&amp=1", "#持份者"]))
url = st.one_of(
    https_url,
    st.builds(lambda parts, frag: "/".join(parts) + ".md" + frag,
              st.lists(segment, min_size=1, max_size=2), st.sampled_from(["", "#資訊", "#a"])),
    st.builds(lambda name: f"圖片/{name}.png", segment),
)


def _code_span(text: str) -> str:
    text = text.replace("`", "")
    return f"`` {text} ``" if text else "`x`"


inline = st.one_of(
    words,
    code_text.map(_code_span),
    st.builds(lambda t, u: f"[{t}]({u})", words, url),
    st.builds(lambda t, u, ti: f'[{t}]({u} "{ti}")', words, url, words),
    st.builds(lambda a, u, ti: f'![{a}]({u} "{ti}")', words, url, words),
    https_url.map(lambda u: f"<{u}>"),
    https_url.map(lambda u: f" {u} "),
    st.builds(lambda t, v: f'<span class="note" data-term="{v}" lang="zh-Hant">{t}</span>',
              words, words),
    st.builds(lambda t, v: f"<a href='{v}' title=\"{t}\">{t}</a>", words, url),
    st.builds(lambda t: f"<span data-noconvert>{t}</span>", words),
    st.builds(lambda t, v: f'<span role="img" aria-label="{v}" data-x="{v}">{t}</span>',
              words, words),
    st.builds(lambda t, v: f"<span data-x='a title=\"{v}\"' title='{t}'>{t}</span>", words, words),
    words.map(lambda t: f"**{t}**"),
)
paragraph = st.lists(inline, min_size=1, max_size=6).map(" ".join)
block = st.one_of(
    paragraph,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 4), paragraph),
    st.builds(lambda lang, c: f"```{lang}\n{c}\n```", st.sampled_from(["", "python", "yaml"]),
              st.lists(code_text, min_size=1, max_size=3).map("\n".join)),
    st.lists(paragraph, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"- {i}" for i in items)),
    st.builds(lambda a, b: f"| {a} | 值 |\n| --- | --- |\n| {b} | `資訊` |", words, paragraph),
    paragraph.map(lambda p: "> " + p),
    st.builds(lambda v, t: f'<div class="box" data-x="{v}" markdown>\n\n{t}\n\n</div>',
              words, paragraph),
)
documents = st.lists(block, min_size=1, max_size=6).map("\n\n".join)


class Events(HTMLParser):
    """Tags with their attributes, code text, and the other text nodes, in order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.structure: list[tuple] = []
        self.texts: list[str] = []
        self.alt_title: list[str] = []
        self._skip = 0
        self._stack: list[bool] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        kept = []
        for name, value in attrs:
            if name in CONVERTED_ATTRIBUTES:
                self.alt_title.append(value or "")
                kept.append((name, "<converted>"))
            else:
                kept.append((name, value))
        self.structure.append(("start", tag, tuple(kept)))
        if tag in ("img", "br", "hr", "input", "meta", "link", "source", "wbr"):
            return
        stops = tag in SKIP_ELEMENTS or "data-noconvert" in dict(attrs)
        self._stack.append(stops)
        self._skip += stops

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.structure.append(("end", tag))
        if self._stack:
            self._skip -= self._stack.pop()

    def handle_data(self, data):
        if self._skip:
            self.structure.append(("kept", data))
        else:
            self.texts.append(data)

    def handle_comment(self, data):
        self.structure.append(("comment", data))


def _raw_attributes(html: str) -> list[str]:
    return re.findall(r"""\s(?!(?:alt|title|aria-label)=)[\w:-]+=(?:"[^"]*"|'[^']*')""", html)


def _code(html: str) -> list[str]:
    return re.findall(r"<(code|pre)\b.*?</\1>", html, flags=re.S) + \
        re.findall(r"<code\b[^>]*>.*?</code>", html, flags=re.S)


def _expected_text(text: str) -> str:
    """The converter applied to a text node, with URLs kept as written."""
    return convert_html(text.replace("&", "&amp;").replace("<", "&lt;"), CONVERTER.convert) \
        .replace("&lt;", "<").replace("&amp;", "&")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_conversion_changes_only_visible_text(source):
    html = markdown.markdown(source, extensions=EXTENSIONS)
    converted = convert_html(html, CONVERTER.convert)
    before, after = Events(html), Events(converted)
    # Same elements, same attributes (but alt/title), same code, in the same order.
    assert after.structure == before.structure
    # Byte for byte: attributes (URLs, ids, classes, data-*) and code.
    assert _raw_attributes(converted) == _raw_attributes(html)
    assert _code(converted) == _code(html)
    for href in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert f'"{href}"' in converted
    # Every text node and alt/title value is converted, and only converted.
    assert len(after.texts) == len(before.texts)
    for old, new in zip(before.texts, after.texts, strict=True):
        assert new == _expected_text(old)
    for old, new in zip(before.alt_title, after.alt_title, strict=False):
        assert new == _expected_text(old)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_converting_all_text_nodes_in_one_call_gives_the_same_page(source):
    # The build converts a page's text nodes in one OpenCC call (batch=True).
    html = markdown.markdown(source, extensions=EXTENSIONS)
    assert convert_html(html, CONVERTER.convert, batch=True) == convert_html(html,
                                                                             CONVERTER.convert)


@settings(max_examples=50, deadline=None)
@given(documents)
def test_identity_conversion_is_byte_identical(source):
    html = markdown.markdown(source, extensions=EXTENSIONS)
    assert convert_html(html, lambda text: text) == html


@settings(max_examples=50, deadline=None)
@given(documents)
def test_urls_in_text_survive_conversion(source):
    html = markdown.markdown(source, extensions=EXTENSIONS)
    converted = convert_html(html, CONVERTER.convert)
    for address in re.findall(r"https://例子\.org/[^\s<\"'()]*", html):
        assert address in converted


# --- the Markdown source: markup and directives never act inside code ------------------

prose_with_markup = st.lists(st.one_of(
    words,
    words.map(lambda t: "-{" + t + "}-"),
    st.builds(lambda a, b: "-{zh-hans:" + a + ";zh-hant:" + b + ";}-", words, words),
    code_text.map(_code_span),
), min_size=1, max_size=6).map(" ".join)
md_blocks = st.one_of(
    prose_with_markup,
    st.builds(lambda c: f"```\n{c}\n```",
              st.lists(code_text, min_size=1, max_size=3).map("\n".join)),
    st.lists(code_text, min_size=1, max_size=2).map(
        lambda lines: "\n".join("    " + x for x in lines)),
)
md_documents = st.lists(md_blocks, min_size=1, max_size=5).map("\n\n".join)


@settings(max_examples=100, deadline=None)
@given(md_documents)
def test_markup_and_directives_leave_code_alone(source):
    text = SourceText(source, "docs/page.md")
    found = markup.find(text)  # markup-like text inside code is not an error
    assert all(not text.in_code(m.start) for m in found)
    assert not directives.find(text)  # {{kpi …}} inside code is not a directive
    for script in ("zh-Hans", "zh-Hant"):
        out = markup.apply(text, found, script, None)
        html_in = markdown.markdown(source, extensions=EXTENSIONS)
        html_out = markdown.markdown(out, extensions=EXTENSIONS)
        assert _code(html_out) == _code(html_in)
        assert "-{" not in re.sub(r"<(code|pre)\b.*?</\1>", "", html_out, flags=re.S)
