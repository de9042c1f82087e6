"""What a person should check before release: the conversion review report,
and the lint for characters of the wrong script in a source page.

Both read the Markdown source (outside code), so every entry carries the
file and line an author can open.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from ..errors import Problem
from ..mdsource import SourceText
from .engine import plain

# Characters whose conversion depends on the word around them, per direction.
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
}
# Traditional → Simplified: a Traditional character kept in some words only.
RISKY_FROM_TRADITIONAL = {
    "乾": "乾/干", "著": "著/着", "瞭": "瞭/了", "覆": "覆/复", "徵": "徵/征", "藉": "藉/借",
    "餘": "馀/余", "鍾": "锺/钟", "夥": "夥/伙", "麼": "么/麽", "於": "于/於", "剋": "克/剋",
    "僕": "仆", "穀": "谷", "醜": "丑", "裏": "里", "髮": "发", "發": "发", "後": "后",
    "臺": "台", "颱": "台", "檯": "台", "麵": "面", "幹": "干", "製": "制", "係": "系",
    "繫": "系", "鬆": "松", "衝": "冲", "曆": "历", "歷": "历", "複": "复", "準": "准",
    "鬥": "斗", "週": "周", "劃": "划", "採": "采", "樸": "朴", "誌": "志", "彙": "汇",
}


@dataclass(frozen=True)
class ReviewEntry:
    kind: str  # "glossary" or "risky"
    path: str
    line: int
    source: str  # the phrase or character in the source
    result: str  # what the site shows
    context: str  # source text around it
    choices: str = ""


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return text[max(line_start, start - width):min(line_end, end + width)].strip()


@functools.lru_cache(maxsize=8)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


# Parts of the prose that the site shows as written, so nothing in them is converted:
# link destinations, autolinks and bare URLs, raw HTML tags, attribute lists ({#id}).
_UNCONVERTED = re.compile(
    r"\]\(\s*<?[^)\s>]*>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"  # ](target "title")
    r"|^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S+"                          # [ref]: target
    r"|<(?:https?|ftp|mailto):[^>\s]*>"                              # <https://…>
    r"|(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'（）「」『』《》〈〉【】，。、；：！？]+"
    r"|</?[A-Za-z][^<>]*>"                                            # raw HTML tags
    r"|\{:?[ \t]*[#.][^{}\n]*\}",                                    # {#id .class}
    re.M | re.I)


def unconverted_ranges(source: SourceText) -> list[tuple[int, int]]:
    """Where the prose holds text that conversion leaves alone (URLs, targets, tags, ids)."""
    return [(m.start(), m.end()) for m in source.prose_matches(_UNCONVERTED)]


def review_page(source: SourceText, convert, rules: dict[str, str],
                source_script: str, kept: list[tuple[int, int]] = ()) -> list[ReviewEntry]:
    """Glossary substitutions and risky one-to-many characters in one page.

    ``kept`` are ranges the author protected (-{…}- markup); they, code, URLs
    and link targets are not converted, so nothing in them is listed.
    """
    entries: list[ReviewEntry] = []
    text = source.text
    pattern = _phrase_pattern(tuple(k for k, v in rules.items() if k != v))
    covered: list[tuple[int, int]] = list(kept) + unconverted_ranges(source)
    if pattern:
        for m in source.prose_matches(pattern):
            if any(a <= m.start() < b for a, b in covered):
                continue
            covered.append((m.start(), m.end()))
            entries.append(ReviewEntry("glossary", source.path, source.line_at(m.start()),
                                       m.group(0), rules[m.group(0)],
                                       _context(text, m.start(), m.end())))
    risky = RISKY_FROM_TRADITIONAL if source_script == "zh-Hant" else RISKY_FROM_SIMPLIFIED
    risky_re = re.compile("[" + "".join(risky) + "]")
    for m in source.prose_matches(risky_re):
        if any(a <= m.start() < b for a, b in covered):
            continue
        context = _context(text, m.start(), m.end(), 6)
        converted = convert(context)
        entries.append(ReviewEntry("risky", source.path, source.line_at(m.start()), m.group(0),
                                   converted, context, risky[m.group(0)]))
    return entries


def review_html(entries: list[ReviewEntry], title: str, config_name: str) -> str:
    """The review report as an HTML fragment for a page outside the navigation."""
    glossary = [e for e in entries if e.kind == "glossary"]
    risky = [e for e in entries if e.kind == "risky"]

    def table(rows: list[ReviewEntry], with_choices: bool) -> str:
        head = "<tr><th>File:line</th><th>Source</th><th>Result</th><th>Context</th>"
        head += "<th>Possible forms</th></tr>" if with_choices else "</tr>"
        body = []
        for e in rows:
            cells = [f"{e.path}:{e.line}", e.source, e.result, e.context]
            if with_choices:
                cells.append(e.choices)
            body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"

    return (f"<h1>{html.escape(title)}</h1>"
            f"<p>OpenCC configuration: <code>{html.escape(config_name)}</code>. "
            f"{len(glossary)} glossary substitutions, {len(risky)} risky characters.</p>"
            f"<h2 id=\"glossary-substitutions\">Glossary substitutions</h2>{table(glossary, False)}"
            f"<h2 id=\"risky-characters\">Risky one-to-many characters</h2>{table(risky, True)}")


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
        both |= {h for c, h in zip(chars, hong_kong) if h != c}
    else:
        converted = plain("hk2s").convert(joined).split("\n")
        both = set(RISKY_FROM_TRADITIONAL)
    return frozenset(c for c, t in zip(chars, converted) if t != c and c not in both)


def wrong_script(source: SourceText, source_script: str,
                 allowed: list[tuple[int, int]] = ()) -> list[Problem]:
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
                severity="warning", category="script"))
        offset += len(line_text) + 1
    return problems
