"""What a person should check before release: the conversion review report,
and the lint for characters of the wrong script in a source page.

Both read the Markdown source (outside code), so every entry carries the
file and line an author can open.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ..errors import Problem
from ..mdsource import SourceText
from ..text import script_of
from ..vocabulary import DOMAIN_NAMES, Pack
from .engine import plain
from .html import URL_PATTERN, converted_values
from .names import Matcher

# Characters whose conversion is a choice OpenCC makes from the word around them.
# Simplified → Traditional: one Simplified character, several Traditional ones.
RISKY_FROM_SIMPLIFIED = {
    "了": "了/瞭", "范": "范/範", "发": "發/髮", "后": "后/後", "干": "干/乾/幹",
    "面": "面/麵", "里": "里/裏", "台": "台/臺/檯/颱", "只": "只/隻", "系": "系/係/繫",
    "松": "松/鬆", "冲": "沖/衝", "余": "余/餘", "云": "云/雲", "征": "征/徵", "斗": "斗/鬥",
    "历": "歷/曆", "复": "復/複/覆", "制": "制/製", "准": "准/準", "卷": "卷/捲", "借": "借/藉",
    "游": "游/遊", "钟": "鐘/鍾", "须": "須/鬚", "尽": "盡/儘", "表": "表/錶", "周": "周/週",
    "胡": "胡/鬍", "划": "划/劃", "丑": "丑/醜", "谷": "谷/穀", "采": "采/採", "朴": "朴/樸",
    "志": "志/誌", "汇": "匯/彙", "获": "獲/穫", "签": "簽/籤", "坛": "壇/罎", "蒙": "蒙/矇/濛",
    "叶": "葉/叶", "团": "團/糰", "伙": "伙/夥", "占": "占/佔", "致": "致/緻", "杰": "杰/傑",
    "凶": "凶/兇", "仆": "仆/僕", "咸": "咸/鹹", "才": "才/纔", "向": "向/嚮", "扎": "扎/紮",
    "沈": "沈/瀋", "舍": "舍/捨", "适": "適/适", "症": "症/癥", "郁": "郁/鬱", "御": "御/禦",
    "赞": "贊/讚", "折": "折/摺", "注": "注/註", "于": "於/于", "蜡": "蠟/蜡", "奸": "奸/姦",
    "并": "並/併/并", "着": "着/著", "么": "麼/麽/么", "当": "當/噹", "托": "托/託",
}
# Traditional → Simplified: a character that stays in some words and is simplified
# in others.  (後 → 后, 發 → 发 and the like always give one result: no choice.)
RISKY_FROM_TRADITIONAL = {
    "乾": "乾/干", "著": "著/着", "瞭": "瞭/了", "覆": "覆/复", "徵": "徵/征", "藉": "藉/借",
    "餘": "馀/余", "鍾": "锺/钟", "夥": "夥/伙", "麼": "么/麽", "於": "于/於", "剋": "克/剋",
}

ORIGIN_NAMES = {"glossary": ("詞彙表", "词汇表"), "vocabulary": ("用語庫", "用语库"),
                "name": ("名稱", "名称")}


@dataclass(frozen=True)
class ReviewEntry:
    """One thing a person should look at before release.

    kind: "wording" (a glossary or vocabulary rule changed the wording),
    "risky" (a one-to-many character), "unconverted" (wording of the source
    region that the converted edition still shows: Hong Kong wording in the
    Simplified edition, mainland wording in the Traditional one).
    """

    kind: str
    path: str
    line: int
    source: str  # the word or character in the source
    result: str  # what the converted edition shows (or should show)
    context: str  # source text around it
    choices: str = ""
    origin: str = ""  # glossary / vocabulary domain / name
    url: str = ""  # the converted page, for a link to the text

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.source, self.result)


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return text[max(line_start, start - width):min(line_end, end + width)].strip()


# Markdown around the words, as a window of the line cuts it (a construct may be cut at
# either end of the window).
_READABLE = (
    (re.compile(r"!?\[([^\[\]]*)\]\([^)]*\)?"), r"\1"),  # [text](url), ![alt](src)
    (re.compile(r"\[([^\[\]]*)\]\[[^\]]*\]?"), r"\1"),  # [text][ref]
    (re.compile(r"^([^\[]*?)\]\([^)]*\)?"), r"\1"),  # a link whose start is cut off
    (re.compile(r"!?\[([^\[\]]*)$"), r"\1"),  # a link whose end is cut off
    (re.compile(r"\{\{(?:[^{}]|\{(?!\{))*?(?:\}\}|$)|^[^{]*?\}\}"), "…"),  # {{kpi …}}
    (re.compile(r"\{:?[ \t]*[#.][^{}]*\}"), ""),  # {#id .class}
    (re.compile(r"</?[A-Za-z][^<>]*>|<[A-Za-z][^<>]*$|^[^<>]*?>"), ""),  # raw HTML tags
    (re.compile(r"-\{|\}-|\*\*|__|`"), ""),  # -{…}- markers, bold, code marks
    (re.compile(r"[ \t]*(?<!\\)\|[ \t]*"), " "),  # table cell borders
)
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}|>|[-*+]|\d+\.)[ \t]+")  # heading, quote, list


def readable(markdown: str, line_start: bool = False) -> str:
    """Markdown as a reader sees it: link text without its address, a directive as …"""
    if line_start:
        markdown = _LINE_MARKS.sub("", markdown)
    for pattern, replacement in _READABLE:
        markdown = pattern.sub(replacement, markdown)
    return re.sub(r"\s+", " ", markdown)


def _shown_context(text: str, start: int, end: int, width: int = 12) -> str:
    """The words around ``text[start:end]`` on its line, as a reader sees them."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left_start = max(line_start, start - 5 * width)
    left = readable(text[left_start:start], left_start == line_start)
    right = readable(text[end:min(line_end, end + 5 * width)])
    return (left[-width:] + readable(text[start:end]) + right[:width]).strip()


def _risky_result(convert: Callable[[str], str], context: str, offset: int) -> str:
    """What the converter makes of the character at ``offset`` of ``context``.

    A wording rule elsewhere in the context may change its length (持份者 →
    利益相关方): the character is then found between the conversions of the
    text before and after it.
    """
    converted = convert(context)
    if len(converted) == len(context):
        return converted[offset]
    before, after = convert(context[:offset]), convert(context[offset + 1:])
    middle = len(converted) - len(before) - len(after)
    if middle == 1 and converted.startswith(before) and converted.endswith(after):
        return converted[len(before)]
    return convert(context[offset])


# Parts of the prose that the site shows as written, so nothing in them is converted:
# link destinations, autolinks and bare URLs, raw HTML tags, attribute lists ({#id}).
_UNCONVERTED = re.compile(
    r"\]\(\s*<?[^)\s>]*>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"  # ](target "title")
    r"|^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S+"                          # [ref]: target
    r"|<(?:https?|ftp|mailto):[^>\s]*>"                              # <https://…>
    rf"|{URL_PATTERN}"                                                # bare URLs
    r"|</[A-Za-z][^<>]*>|(?P<tag><[A-Za-z][^<>]*>)"                   # raw HTML tags
    r"|\{:?[ \t]*[#.][^{}\n]*\}",                                    # {#id .class}
    re.M | re.I)


def unconverted_ranges(source: SourceText) -> list[tuple[int, int]]:
    """Where the prose holds text that conversion leaves alone (URLs, targets, tags, ids).

    In a raw HTML tag, the values readers see (alt, title, aria-label) are converted
    like the text: they are prose, linted for the wrong script and reviewed.
    """
    ranges = []
    for m in source.prose_matches(_UNCONVERTED):
        start = m.start()
        if m.group("tag") is not None:
            for value_start, value_end in converted_values(m.group(0)):
                ranges.append((start, m.start() + value_start))
                start = m.start() + value_end
        ranges.append((start, m.end()))
    return ranges


@dataclass
class ReviewRules:
    """What the review needs to know about one conversion, made once per build."""

    convert: Callable[[str], str]  # the converter with every rule
    plain: Callable[[str], str]  # OpenCC alone (character conversion)
    rules: dict[str, str]  # every phrase rule: source wording → result
    origins: dict[str, str]  # source wording → where its rule came from
    regional: dict[str, str]  # source-region wording → the target region's wording
    source_script: str
    names: frozenset[str] = frozenset()  # protected names: kept on purpose, not listed

    def __post_init__(self) -> None:
        # Every rule segments the text (a name is matched whole, as OpenCC does), but
        # rules whose result is only the character conversion (names, plain glossary
        # terms) change no wording: they are not listed.
        self._words = Matcher(self.rules)
        self._changes = {k for k, v in self.rules.items() if v != self.plain(k)}
        # Segment as the converter does: every rule's word (names, keep rows, glossary
        # terms) is matched whole, so wording inside a longer word is not reported.
        self._regional = Matcher({**{w: "" for w in self.rules}, **self.regional,
                                  **{n: "" for n in self.names}})
        risky = RISKY_FROM_TRADITIONAL if self.source_script == "zh-Hant" else RISKY_FROM_SIMPLIFIED
        self._risky = re.compile("[" + "".join(risky) + "]")
        self._risky_choices = risky


    @functools.cached_property
    def data_regional(self) -> dict[str, str]:
        """The detection list as the converted edition's data texts write it (透過 as 透过)."""
        return {self.plain(w): r for w, r in self.regional.items() if self.plain(w) != r}

    @functools.cached_property
    def data_words(self) -> Matcher:
        """Segments those texts: every word a rule writes, and each name, is matched whole."""
        return Matcher({**{r: "" for r in self.rules.values()},
                        **{self.plain(n): "" for n in self.names}, **self.data_regional})


def review_page(source: SourceText, review: ReviewRules, kept: Iterable[tuple[int, int]] = (),
                url: str = "") -> list[ReviewEntry]:
    """What a person should check in one page's conversion.

    ``kept`` are ranges the author protected (-{…}- markup); they, code, URLs
    and link targets are not converted, so nothing in them is listed.
    """
    entries: list[ReviewEntry] = []
    text = source.text
    skipped = sorted(list(kept) + unconverted_ranges(source) + list(source.code_ranges))

    def free(start: int) -> bool:
        return not SourceText.in_ranges(start, skipped)

    changed: list[tuple[int, int]] = []
    for start, end, word in review._words.finditer(text):
        if word in review._changes and free(start):
            changed.append((start, end))
            entries.append(ReviewEntry("wording", source.path, source.line_at(start), word,
                                       review.rules[word], _shown_context(text, start, end),
                                       origin=review.origins.get(word, ""), url=url))
    for m in review._risky.finditer(text):
        if not free(m.start()) or SourceText.in_ranges(m.start(), changed):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        context_start = max(line_start, m.start() - 6)
        context = text[context_start:m.start() + 7].split("\n", 1)[0]
        result = _risky_result(review.convert, context, m.start() - context_start)
        entries.append(ReviewEntry("risky", source.path, source.line_at(m.start()), m.group(0),
                                   result, _shown_context(text, m.start(), m.end(), 6),
                                   review._risky_choices[m.group(0)], url=url))
    for start, end, word in review._regional.finditer(text):
        if not free(start) or word in review.names or word not in review.regional:
            continue
        context = _context(text, start, end, 8)
        converted = review.convert(context)
        # Still there in its source-region form, and the other region's word is not
        # (讲者 is inside 演讲者: that one was converted).
        if review.plain(word) in converted and review.regional[word] not in converted:
            entries.append(ReviewEntry("unconverted", source.path, source.line_at(start),
                                       word, review.regional[word],
                                       _shown_context(text, start, end, 8), url=url))
    return entries


# A text of a data file given for one script on one line: `zh-Hans: 文字` in a block or
# a flow mapping, quoted or not (a block scalar on the next lines is not read).
_DATA_TEXT = re.compile(r"(?<![\w-])(zh-Han[st]):[ \t]*"
                        r"(\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|[^,{}\[\]#\n]+)")


def review_data_file(path: str, text: str, review: ReviewRules) -> list[ReviewEntry]:
    """Source-region wording in a data file's texts for the converted edition.

    A KPI label or framework title given for the converted edition's script
    (``zh-Hans:`` in a Traditional report) is shown as written, not converted:
    Hong Kong wording typed there in Simplified characters stays on the site.
    Each finding names the data file and line.
    """
    target = "zh-Hans" if review.source_script == "zh-Hant" else "zh-Hant"
    entries = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("#"):
            continue
        for m in _DATA_TEXT.finditer(line):
            value = m.group(2).strip()
            if m.group(1) != target or not value:
                continue
            if value[0] in "\"'":
                value = value[1:-1]
            for start, end, word in review.data_words.finditer(value):
                if word in review.data_regional:
                    entries.append(ReviewEntry("unconverted", path, number, word,
                                               review.data_regional[word],
                                               _shown_context(value, start, end, 8)))
    return entries


def regional_wording(pack: Pack, target_script: str, glossary_rules: dict[str, str]
                     ) -> dict[str, str]:
    """The detection list: source-region wording that should not reach the converted
    edition (written in the source script) → the target region's wording."""
    regional = pack.regional_words(target_script)
    # The glossary decides: a term it converts character by character is not regional.
    regional.update(glossary_rules)
    return regional


# --- the report ----------------------------------------------------------------------------

TEXTS = {
    "title": ("轉換審閱報告", "转换审阅报告"),
    "intro": ("以下列出本版本由機器轉換時所作的選擇，請在發佈前逐項核對。"
              "已核對的項目可寫入 {reviewed}，下次只列出新項目。",
              "以下列出本版本由机器转换时所作的选择，请在发布前逐项核对。"
              "已核对的项目可写入 {reviewed}，下次只列出新项目。"),
    "config": ("轉換設定", "转换设置"),
    "summary": ("詞語轉換 {wording} 項、一對多字 {risky} 項、"
                "可能未轉換的地區用語 {unconverted} 項、已核對而不再列出 {hidden} 項。",
                "词语转换 {wording} 项、一对多字 {risky} 项、"
                "可能未转换的地区用语 {unconverted} 项、已核对而不再列出 {hidden} 项。"),
    "wording": ("詞語轉換", "词语转换"),
    "risky": ("一對多字：機器所作的選擇", "一对多字：机器所作的选择"),
    "unconverted": ("可能未轉換的地區用語", "可能未转换的地区用语"),
    "names": ("保留原樣的名稱", "保留原样的名称"),
    "source": ("原文", "原文"), "result": ("轉換結果", "转换结果"), "count": ("次數", "次数"),
    "pages": ("頁面", "页面"), "origin": ("來源", "来源"), "choices": ("可能寫法", "可能写法"),
    "context": ("上下文", "上下文"), "where": ("位置", "位置"), "suggest": ("建議寫法", "建议写法"),
    "none": ("沒有需要核對的項目。", "没有需要核对的项目。"),
    "unconverted_help": ("轉換後的版本仍顯示以下原地區用語"
                         "（例如在名稱內、被停用的規則或只作提示的詞語）。",
                         "转换后的版本仍显示以下原地区用语"
                         "（例如在名称内、被停用的规则或只作提示的词语）。"),
}


def _t(key: str, script: str, **values: object) -> str:
    text = TEXTS[key][0 if script_of(script) == "zh-Hant" else 1]
    return html.escape(text.format(**values)) if values else html.escape(text)


@dataclass(frozen=True)
class Reviewed:
    """What an author has already checked (from the reviewed-entries data file)."""

    changes: frozenset[tuple[str, str]] = frozenset()  # (source, result)
    words: frozenset[str] = frozenset()  # wording left unconverted on purpose

    def hides(self, entry: ReviewEntry) -> bool:
        if entry.kind in ("wording", "risky"):
            return (entry.source, entry.result) in self.changes
        return entry.source in self.words


def summary(entries: list[ReviewEntry], reviewed: Reviewed = Reviewed()) -> dict[str, int]:
    """Counts of distinct items to check, per kind, and how many were hidden as reviewed."""
    shown: dict[str, set[tuple[str, str, str]]] = {
        k: set() for k in ("wording", "risky", "unconverted")}
    hidden: set[tuple[str, str, str]] = set()
    for e in entries:
        (hidden if reviewed.hides(e) else shown[e.kind]).add(e.key)
    counts = {k: len(v) for k, v in shown.items()}
    counts["hidden"] = len(hidden)
    return counts


def _link(e: ReviewEntry, text: str) -> str:
    if not e.url:
        return html.escape(text)
    return f'<a href="{html.escape(e.url)}#:~:text={quote(e.result)}">{html.escape(text)}</a>'


def review_html(entries: list[ReviewEntry], script: str, config_name: str,
                reviewed: Reviewed = Reviewed(), names: Iterable[str] = (),
                reviewed_file: str = "data/conversion-reviewed.yml") -> str:
    """The review report as an HTML fragment, written in the converted edition's script."""
    shown = [e for e in entries if not reviewed.hides(e)]
    counts = summary(entries, reviewed)
    parts = [f"<h1>{_t('title', script)}</h1>",
             f"<p>{_t('intro', script, reviewed=reviewed_file)}</p>",
             f"<p>{_t('config', script)}: <code>{html.escape(config_name)}</code></p>",
             f"<p>{_t('summary', script, **counts)}</p>"]

    def grouped(kind: str) -> list[list[ReviewEntry]]:
        groups: dict[tuple[str, str, str], list[ReviewEntry]] = {}
        for e in shown:
            if e.kind == kind:
                groups.setdefault(e.key, []).append(e)
        return sorted(groups.values(), key=lambda g: (-len(g), g[0].source))

    def pages(group: list[ReviewEntry]) -> str:
        seen: dict[str, ReviewEntry] = {}
        for e in group:
            seen.setdefault(e.path, e)
        return "<br>".join(_link(e, f"{path}:{e.line}") for path, e in seen.items())

    def table(heads: list[str], rows: list[list[str]]) -> str:
        if not rows:
            return f"<p>{_t('none', script)}</p>"
        head = "".join(f"<th>{_t(h, script)}</th>" for h in heads)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def origin(e: ReviewEntry) -> str:
        which = 0 if script_of(script) == "zh-Hant" else 1
        kind, _, detail = e.origin.partition(":")
        label = ORIGIN_NAMES[kind][which] if kind in ORIGIN_NAMES else ""
        if detail in DOMAIN_NAMES:
            detail = DOMAIN_NAMES[detail][which]
        return html.escape(f"{label}：{detail}" if detail else label)

    esc = html.escape
    parts.append(f'<h2 id="wording">{_t("wording", script)}</h2>')
    parts.append(table(["source", "result", "origin", "count", "pages"],
                       [[esc(g[0].source), esc(g[0].result), origin(g[0]), str(len(g)), pages(g)]
                        for g in grouped("wording")]))
    parts.append(f'<h2 id="risky">{_t("risky", script)}</h2>')
    parts.append(table(["source", "result", "choices", "context", "pages"],
                       [[esc(g[0].source), esc(g[0].result), esc(g[0].choices),
                         esc(g[0].context), pages(g)] for g in grouped("risky")]))
    parts.append(f'<h2 id="unconverted">{_t("unconverted", script)}</h2>')
    parts.append(f"<p>{_t('unconverted_help', script)}</p>")
    parts.append(table(["source", "suggest", "where", "context"],
                       [[esc(e.source), esc(e.result), _link(e, f"{e.path}:{e.line}"),
                         esc(e.context)] for g in grouped("unconverted") for e in g]))
    names = sorted(set(names))
    if names:
        parts.append(f'<h2 id="names">{_t("names", script)}</h2>')
        parts.append("<p>" + "、".join(esc(n) for n in names) + "</p>")
    return "".join(parts)


# --- wrong-script lint ----------------------------------------------------------------

@functools.lru_cache(maxsize=2)
def wrong_script_characters(source_script: str) -> frozenset[str]:
    """Characters that belong only to the other script.

    A character is foreign to Traditional text if OpenCC's s2t changes it
    and it is not also a valid Traditional character (the risky list holds
    those that are both); likewise the other way round.
    """
    chars = [chr(c) for c in range(0x4E00, 0x9FA6)]
    joined = "\n".join(chars)
    if source_script == "zh-Hant":
        # s2t, not s2hk: s2hk also swaps standard Traditional forms for Hong Kong
        # ones (溫→温, 戶→户), and both are correct Traditional text.
        converted = plain("s2t").convert(joined).split("\n")
        both = set(RISKY_FROM_SIMPLIFIED) | {"着", "么", "群", "床", "峰", "秘", "凄", "污"}
        # Hong Kong standard forms (温, 户, 説) that t2hk writes for standard Traditional ones.
        hong_kong = plain("t2hk").convert(joined).split("\n")
        both |= {h for c, h in zip(chars, hong_kong, strict=True) if h != c}
    else:
        converted = plain("hk2s").convert(joined).split("\n")
        both = set(RISKY_FROM_TRADITIONAL)
    return frozenset(c for c, t in zip(chars, converted, strict=True) if t != c and c not in both)


def foreign_characters(text: str, script: str) -> str:
    """The characters of ``text`` that belong only to the other script (each once)."""
    if script_of(script) not in ("zh-Hant", "zh-Hans"):
        return ""
    foreign = wrong_script_characters(script_of(script))
    return "".join(dict.fromkeys(ch for ch in text if ch in foreign))


def wrong_script(source: SourceText, source_script: str,
                 allowed: Sequence[tuple[int, int]] = ()) -> list[Problem]:
    """Characters of the other script in a source page, one problem per line.

    ``allowed`` are ranges (e.g. -{…}- markup) where either script is intended.
    """
    foreign = wrong_script_characters(source_script)
    other = "Simplified" if source_script == "zh-Hant" else "Traditional"
    problems = []
    seen_lines = set()
    lines = source.text.split("\n")
    offset = 0
    for index, line_text in enumerate(lines):
        found = [ch for i, ch in enumerate(line_text)
                 if ch in foreign and not source.in_code(offset + i)
                 and not any(a <= offset + i < b for a, b in allowed)]
        if found and index not in seen_lines:
            seen_lines.add(index)
            chars = "".join(dict.fromkeys(found))
            problems.append(Problem(
                source.path, source.first_line + index,
                f"{other} character(s) {chars} in a {source_script} page",
                "retype them in the page's own script, or wrap a quotation in -{…}-",
                category="script"))
        offset += len(line_text) + 1
    return problems
