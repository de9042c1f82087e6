"""Reader-site helpers over HTML and the search index (no MkDocs imports)."""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from .convert.html import attribute_names, is_void, tokens
from .text import is_chinese, script_of

if TYPE_CHECKING:
    from .report import Report

_IMG = re.compile(r"<img\b([^>]*)>", re.I)
_ALT = re.compile(r"\balt\s*=\s*(\"([^\"]*)\"|'([^']*)')", re.I)
_SRC = re.compile(r"\bsrc\s*=\s*(\"([^\"]*)\"|'([^']*)')", re.I)
# Material's configuration block; its keys come out in sorted order, so "base" is not first.
_CONFIG_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{[^<]*?"base":\s*")([^"]*)(")')


def images_without_alt(html: str) -> list[str]:
    """The src of every <img> with no alt text or an empty one."""
    missing = []
    for m in _IMG.finditer(html):
        attrs = m.group(1)
        alt = _ALT.search(attrs)
        text = (alt.group(2) if alt and alt.group(2) is not None else
                alt.group(3) if alt else None)
        if not (text or "").strip():
            src = _SRC.search(attrs)
            missing.append((src.group(2) or src.group(3)) if src else "?")
    return missing


def split_search_index(index: dict[str, Any], prefixes: list[str],
                       configs: dict[str, dict[str, Any]] | None = None
                       ) -> dict[str, dict[str, Any]]:
    """One search index per language folder, so readers only get results in their language.

    ``prefixes`` are the non-default languages' folders (e.g. ``["zh-Hans", "en"]``);
    their entries move to their own index, with locations relative to it.
    ``configs`` replace parts of a folder's search configuration (an English
    edition gets English word separators and stop words, not the Chinese ones).
    """
    configs = configs or {}
    result: dict[str, dict[str, Any]] = {"": {**index, "docs": []}}
    for prefix in prefixes:
        config = index.get("config")
        if prefix in configs and isinstance(config, dict):
            result[prefix] = {**index, "config": {**config, **configs[prefix]}, "docs": []}
        else:
            result[prefix] = {**index, "docs": []}
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        for prefix in prefixes:
            if location == prefix or location.startswith(prefix + "/"):
                result[prefix]["docs"].append(
                    {**doc, "location": location[len(prefix):].lstrip("/")})
                break
        else:
            result[""]["docs"].append(doc)
    return result


def search_config(translate: Callable[[str], str]) -> dict[str, Any]:
    """The search configuration a language's Material partial gives (``translate``
    looks a key up in it), as Material's search plugin reads it."""
    return {"lang": [translate("search.config.lang")],
            "separator": translate("search.config.separator"),
            "pipeline": [step for step in re.split(r"\s*,\s*",
                                                   translate("search.config.pipeline")) if step]}


def point_search_at(html: str, folder: str) -> str:
    """Make Material's scripts of a page in ``folder`` use that folder's search index.

    Material fetches ``<base>/search/search_index.json`` and resolves result
    locations against the same base, so moving the base into the language
    folder scopes both to that language.
    """
    def one(m: re.Match[str]) -> str:
        # A trailing slash: Material resolves "search/…" against this as a URL.
        base = m.group(2).rstrip("/") or "."
        return m.group(1) + f"{base}/{folder}/" + m.group(3)

    return _CONFIG_BASE.sub(one, html, count=1)


def dump_index(index: dict[str, Any]) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


_HREFLANG_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def drop_hreflang_links(html: str) -> str:
    r"""Remove the head's hreflang <link> elements (kept in the sitemap instead).

    Only the <head> is searched: the leading ``\s*`` would rescan every run of
    white space in the body (Material's navigation is full of indentation).
    """
    head, end, body = html.partition("</head>")
    return _HREFLANG_LINK.sub("", head) + end + body


def mark_not_for_indexing(page_html: str) -> str:
    """Ask search engines not to index a page (a "not yet translated" notice)."""
    head, end, body = page_html.partition("</head>")
    if not end or 'name="robots"' in head:
        return page_html
    return head + '<meta name="robots" content="noindex">' + end + body


_SWITCHER_LINK = re.compile(r'(<a href="[^"]*" hreflang="([^"]+)")( class="md-select__link")')


def mark_switcher_languages(page_html: str, language: str) -> str:
    """Give the language switcher's entries in another language their ``lang``.

    An entry's name is written in its own language (繁體中文, English): a screen
    reader needs ``lang`` to read it in that language.  The Chinese scripts are one
    language to it, so only a change between Chinese and another language is marked.
    """

    def one(m: re.Match[str]) -> str:
        if is_chinese(m.group(2)) == is_chinese(language):
            return m.group(0)
        return f'{m.group(1)} lang="{m.group(2)}"{m.group(3)}'

    return _SWITCHER_LINK.sub(one, page_html)


_SITEMAP_URL = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.S)
_SITEMAP_ALTERNATE = re.compile(r'\s*<xhtml:link rel="alternate" hreflang="[^"]*" href="([^"]*)"/>')


def drop_from_sitemap(sitemap: str, urls: set[str]) -> str:
    """The sitemap without these pages: neither their entries nor their hreflang
    alternates (a "not yet translated" notice is no translation of the page)."""
    if not urls:
        return sitemap

    def entry(m: re.Match[str]) -> str:
        if html.unescape(m.group(1)) in urls:
            return ""
        return _SITEMAP_ALTERNATE.sub(
            lambda a: "" if html.unescape(a.group(1)) in urls else a.group(0), m.group(0))

    return _SITEMAP_URL.sub(entry, sitemap)


_URL_ATTRIBUTE = re.compile(
    r"""(<[A-Za-z][\w-]*\b[^>]*?\s(?:src|href|poster)\s*=\s*)(["'])([^"']*)\2""", re.I)


def rebase_shared_files(page_html: str, page_url: str, folder: str,
                        is_shared_file: Callable[[str], bool]) -> str:
    """Relative URLs in a language folder's page that point at files kept at the site root.

    A raw HTML ``<img src="../images/x.svg">`` is written for the default
    language's page (``x/``); MkDocs does not rewrite raw HTML, so in
    ``zh-Hans/x/`` it would point into ``zh-Hans/images/``, where nothing is.
    Such a URL is pointed at the shared file; every other URL stays as written.
    """
    base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"

    def one(m: re.Match[str]) -> str:
        url = m.group(3)
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith(("/", "#")):
            return m.group(0)
        resolved = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if not resolved.startswith(folder + "/"):
            return m.group(0)
        shared = resolved[len(folder) + 1:]
        if not is_shared_file(shared):
            return m.group(0)
        new = posixpath.relpath(shared, base.rstrip("/") or ".")
        new += ("?" + parts.query if parts.query else "") + ("#" + parts.fragment
                                                             if parts.fragment else "")
        return f"{m.group(1)}{m.group(2)}{new}{m.group(2)}"

    return _URL_ATTRIBUTE.sub(one, page_html)


# Material's query segmentation (search worker, ``segment()``) looks up every slice of
# a Chinese query in the index except the whole query (``j < query.length``): a query
# that is itself one indexed word (碳中和) falls apart into its characters (碳 中 和),
# which match every page and highlight every 中.  Including the whole query fixes it.
_QUERY_SLICES = re.compile(
    r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")
# It then joins the words of a query as alternatives (員工 OR 總數), and a query that is
# no word of the index (中和, 可持續, 大灣區) falls apart into pieces down to single
# characters (中 + 和), which match and highlight every 中.  The kit's ``csrPhrase``
# replaces that step: a word of the index is looked up whole; a phrase that is part of
# words of the index (碳中和, 可持續發展, 粵港澳大灣區) finds those words first, boosted,
# with the phrase's pieces of two or more characters as weaker alternatives (a page where
# the text was cut 大|灣區); otherwise every piece is required (員工總數: +員工 +總數).
# A single character is never looked up on its own unless the reader typed only it.
# Its terms are set apart with spaces: Material replaces only the Chinese part of a query
# with them, and Latin touching it (ESG可持續, ESG報告) would otherwise fuse with them into
# one term (ESG可持續發展^10, ESG+報告*) that matches nothing.
_QUERY_WORDS = re.compile(
    r"\[\.\.\.(\w+)\((\w+),this\.index\.invertedIndex\)\]\.join\(\"\* \"\)")
_FIXED_MARK = "/*csr-kit: whole-query segmentation*/"
_PHRASE_JS = """function csrPhrase(t,index,segment){
if(t.length<2||t in index)return"+"+t+"*";
var words=[],pieces=[...segment(t,index)].filter(function(w){return w.length>1&&w!==t});
for(var w in index)if(w!==t&&w.indexOf(t)>=0&&!/[\\s:^~*+-]/.test(w))words.push(w);
words.sort(function(a,b){return a.length-b.length});
if(!words.length)return pieces.map(function(w){return"+"+w+"*"}).join(" ");
return words.slice(0,24).map(function(w){return w+"^10"}).concat(pieces).join(" ")}
"""


def fix_query_segmentation(worker_js: str) -> str | None:
    """Material's search worker with whole-query lookup and phrase search (``csrPhrase``),
    or None if its code changed (or is fixed already)."""
    if _FIXED_MARK in worker_js:
        return None
    fixed, slices = _QUERY_SLICES.subn(
        lambda m: (f"for(let {m[1]}={m[2]}+1;{m[1]}<={m[3]}.length;{m[1]}++)"
                   f"{m[3]}.slice({m[2]},{m[1]})in "),
        worker_js, count=1)
    fixed, words = _QUERY_WORDS.subn(
        lambda m: f'" "+csrPhrase({m[2]},this.index.invertedIndex,{m[1]})+" "', fixed, count=1)
    # Appended: a function declaration is hoisted, and "use strict" stays the first statement.
    return _FIXED_MARK + fixed + "\n" + _PHRASE_JS if slices and words else None


def query_segmentation_fixed(worker_js: str) -> bool:
    return worker_js.startswith(_FIXED_MARK)


def name_search_dialog(page_html: str, name: str) -> str:
    """Material's search overlay is a dialog without a name; screen readers need one."""
    return page_html.replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        f'<div class="md-search" data-md-component="search" role="dialog" '
        f'aria-label="{html.escape(name, quote=True)}">', 1)


# --- the report's chrome: footer, 404 page, home-page downloads ------------------------

CHROME_TEXT = {
    "zh-Hant": {
        "contact": "聯絡我們", "feedback": "意見回饋",
        "email": "電郵", "phone": "電話", "address": "地址", "colon": "：",
        "not_found": "找不到這一頁",
        "not_found_text": "你要找的網頁不存在，可能已經移動或刪除。你可以：",
        "home": "返回報告首頁", "chapters": "報告章節", "pdf": "下載 PDF 版報告",
        "search": "搜尋報告", "permalink": "本節網址",
        "skip": "跳至內容", "no_pdf": "（這次建置沒有製作 PDF）",
        "no_csv": "（這次建置沒有製作 CSV 檔）", "no_json": "（這次建置沒有製作 JSON 檔）",
    },
    "zh-Hans": {
        "contact": "联系我们", "feedback": "意见反馈",
        "email": "电子邮件", "phone": "电话", "address": "地址", "colon": "：",
        "not_found": "找不到这一页",
        "not_found_text": "你要找的网页不存在，可能已经移动或删除。你可以：",
        "home": "返回报告首页", "chapters": "报告章节", "pdf": "下载 PDF 版报告",
        "search": "搜索报告", "permalink": "本节网址",
        "skip": "跳转至内容", "no_pdf": "（这次构建没有生成 PDF）",
        "no_csv": "（这次构建没有生成 CSV 文件）", "no_json": "（这次构建没有生成 JSON 文件）",
    },
    "en": {
        "contact": "Contact us", "feedback": "Feedback",
        "email": "Email", "phone": "Phone", "address": "Address", "colon": ": ",
        "not_found": "Page not found",
        "not_found_text": "The page you are looking for does not exist: it may have been "
                          "moved or deleted. You can:",
        "home": "Go to the report's home page", "chapters": "Chapters of the report",
        "pdf": "Download the report as a PDF",
        "search": "Search the report", "permalink": "Link to this section",
        "skip": "Skip to content", "no_pdf": " (this build has no PDF)",
        "no_csv": " (this build has no CSV file)", "no_json": " (this build has no JSON file)",
    },
}


def chrome_text(script: str) -> dict[str, str]:
    """The chrome's fixed words in ``script``'s language (a KeyError for a language
    the kit has no words for: never another language's)."""

    return CHROME_TEXT[script_of(script)]


_HAN = re.compile(r"[\u3400-\u9fff]")


def permalink_title(configured: str, script: str) -> str | None:
    """The heading links' title for an edition, or None where the configured one fits.

    ``configured`` is the toc extension's ``permalink_title`` (one for the whole
    site); an edition in another language than it is written in gets the kit's
    words (an English edition of a report configured with 本節網址, or a Chinese one
    left with Python-Markdown's "Permanent link").
    """

    if bool(_HAN.search(configured)) == is_chinese(script):
        return None
    return chrome_text(script)["permalink"]


def chrome(report: Report | None, script: str, folder: str, pdf_path: str | None,
           source_script: str = "zh-Hant", downloads: str = "downloads") -> dict[str, Any]:
    """What the templates show around the pages, in ``script``.

    ``report`` is the report's facts (``csr_kit.report.Report``) or None;
    ``folder`` the language folder from the site root ('', 'zh-Hans/' or 'en/');
    ``downloads`` the folder of the KPI downloads in each edition (csr-kpi's option);
    paths are from the site root, for the templates' ``url`` filter.
    """

    script = script_of(script)
    text = chrome_text(script)
    facts: dict[str, Any] = {"text": text, "script": script, "home": folder,
                   "pdf": pdf_path, "csv": f"{folder}{downloads}/kpi-data.csv",
                   "json": f"{folder}{downloads}/kpi-data.json",
                   "copyright": None, "contact": [], "feedback": None, "website": None}
    if report is None:
        return facts
    if report.copyright:
        facts["copyright"] = report.copyright.text(script, source_script)
    facts["website"] = report.website
    contact = report.contact
    if contact:
        if contact.email:
            facts["contact"].append((text["email"], contact.email, "mailto:" + contact.email))
        if contact.phone:
            facts["contact"].append((text["phone"], contact.phone,
                                     "tel:" + re.sub(r"[^\d+]", "", contact.phone)))
        if contact.address:
            facts["contact"].append((text["address"],
                                     contact.address.text(script, source_script), None))
        facts["feedback"] = contact.feedback
    return facts


_DOWNLOAD_LINK = re.compile(r'href="csr:(pdf|csv|json)"')
_DOWNLOAD_ANCHOR = re.compile(r'<a\b[^>]*\bhref="csr:(pdf|csv|json)"[^>]*>(.*?)</a>', re.S)


def link_downloads(page_html: str, page_url: str, paths: dict[str, str | None],
                   missing: dict[str, str] | None = None) -> str:
    """Point a page's ``csr:pdf``, ``csr:csv`` and ``csr:json`` links at this
    language's files (``paths`` are from the site root), relative to the page.

    A file this build does not make (``None``: the PDF of a preview or of a build
    without PDFs) gets no link, only its text and its own note from ``missing``
    (by kind: ``{"pdf": "（這次建置沒有製作 PDF）", …}``), never a link to a folder
    that would download nothing; any other element pointing at it loses the address.
    """
    missing = missing or {}
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"

    def absent(m: re.Match[str]) -> str:
        if paths.get(m.group(1)):
            return m.group(0)
        note = html.escape(missing.get(m.group(1), ""))
        return f'<span class="csr-download-missing">{m.group(2)}{note}</span>'

    def one(m: re.Match[str]) -> str:
        path = paths.get(m.group(1))
        if not path:
            return ""  # no file: no address (never "None" or the page's own folder)
        return f'href="{posixpath.relpath(path, base.rstrip("/") or ".")}"'

    return _DOWNLOAD_LINK.sub(one, _DOWNLOAD_ANCHOR.sub(absent, page_html))


_SKIP_PLACE = re.compile(r'(<div data-md-component="skip">)\s*(</div>)')


def add_skip_link(page_html: str, target: str, text: str) -> str:
    """A skip link to ``#target`` on a page Material gives none (it takes the first
    heading of the page's table of contents: a 404 page has none)."""
    return _SKIP_PLACE.sub(
        lambda m: f'{m.group(1)}<a href="#{target}" class="md-skip">{html.escape(text)}</a>'
                  f'{m.group(2)}', page_html, count=1)


# --- English written by authors inside a Chinese page ---------------------------------

# Two or more Latin words of two or more letters each (Team with Joy, Happy Hour, a
# person's name): English, to be read by a screen reader in English.  A single word is
# left alone (ISO, GRI, kWh are read letter by letter or as units either way; an author
# marks one with <span lang="en">); a run with digits (ISO 14001, CO2e) is not words.
# The run is atomic: a run that goes on as something else (a file name, an address, a
# code: Foo Bar.txt, Foo Bar/baz) is not marked at all, rather than cut before it; a
# sentence's full stop or colon ends a run (Together We Grow.).  A ';' before a run is
# allowed only as the end of an entity (&quot;Happy Hour&quot;, &ldquo;…).
_LATIN_WORD = r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*[A-Za-z]"
_LATIN_RUN = re.compile(
    rf"(?<![A-Za-z0-9_&#/.@:-])(?>{_LATIN_WORD}(?:(?:\s+|\s*&amp;\s*|,\s*){_LATIN_WORD})+)"
    r"(?![A-Za-z0-9_/@-]|[.:][A-Za-z0-9_/@-])")
_ENTITY_BEFORE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);\Z")
# Text inside these is code, a formula, a picture or a script, never prose to mark.
_NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style", "svg", "math", "textarea",
              "template", "title"}


def _mark_runs(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.start() and text[m.start() - 1] == ";" \
                and not _ENTITY_BEFORE.search(text, 0, m.start()):
            return m.group(0)  # after a semicolon of the text: code, a list of names
        return f'<span lang="en">{m.group(0)}</span>'

    return _LATIN_RUN.sub(one, text)


def mark_english_text(fragment: str) -> str:
    """Wrap English runs in an HTML fragment of a Chinese edition in ``<span lang="en">``.

    Only text is touched: not attributes (read with their quotes: a ``>`` in a
    value is part of it) or URLs, nothing inside code, scripts or pictures, nor
    inside an element that already says its language.  csr-site runs it once on a
    Chinese page's content, which the page and csr-pdf's chapters both use.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements: (name, text inside is left alone)
    for token in tokens(fragment):
        if not token.markup:
            marks = not token.raw and (not stack or not stack[-1][1])
            out.append(_mark_runs(token.text) if marks else token.text)
            continue
        out.append(token.text)
        if token.name is None:  # a comment, a doctype
            continue
        name, attrs = token.name.lower(), token.attrs
        if token.closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        elif not is_void(name, attrs):
            left_alone = (name in _NOT_PROSE or bool({"lang", "xml:lang"} & attribute_names(attrs))
                          or bool(stack and stack[-1][1]))
            stack.append((name, left_alone))
    return "".join(out)
