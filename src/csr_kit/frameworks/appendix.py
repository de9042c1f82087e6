"""A generated index appendix: each item → where the report addresses it.

The web edition links each location; the PDF edition prints the page number
of the same link target (see ``csr_kit.pdf``), so both come from one table.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..convert.html import protect
from ..errors import Problem
from ..text import CLOSE_PAREN, COLON, OPEN_PAREN, Labels, script_of, ui, ui_text
from .model import REASON_TEXT, Framework, Omission
from .tags import Location

UI = {
    "item": {"zh-Hant": "編號", "zh-Hans": "编号", "en": "Code"},
    "title": {"zh-Hant": "內容", "zh-Hans": "内容", "en": "Disclosure"},
    "location": {"zh-Hant": "報告位置", "zh-Hans": "报告位置", "en": "Location"},
    "omission": {"zh-Hant": "省略原因及說明", "zh-Hans": "省略原因及说明",
                 "en": "Omission: reason and explanation"},
    "reported": {"zh-Hant": "已披露", "zh-Hans": "已披露", "en": "reported"},
    "omitted": {"zh-Hant": "已省略", "zh-Hans": "已省略", "en": "omitted"},
    "missing": {"zh-Hant": "未涵蓋", "zh-Hans": "未涵盖", "en": "not covered"},
    "missing_item": {"zh-Hant": "未涵蓋", "zh-Hans": "未涵盖", "en": "Not covered"},
    "coverage": {"zh-Hant": "涵蓋情況", "zh-Hans": "涵盖情况", "en": "Coverage"},
    "items": {"zh-Hant": "項", "zh-Hans": "项", "en": "items"},
    # About the Chinese wording of an item: an English index shows the official titles.
    "own": {"zh-Hant": "標有 * 的內容為本報告自譯，非官方譯本。",
            "zh-Hans": "标有 * 的内容为本报告自译，非官方译本。", "en": ""},
    "statement": {"zh-Hant": "使用聲明", "zh-Hans": "使用声明", "en": "Statement of use"},
    "gri1": {"zh-Hant": "所用 GRI 1", "zh-Hans": "所用 GRI 1", "en": "GRI 1 used"},
    "sector": {"zh-Hant": "適用的 GRI 行業標準", "zh-Hans": "适用的 GRI 行业标准",
               "en": "Applicable GRI Sector Standard(s)"},
    "none": {"zh-Hant": "不適用", "zh-Hans": "不适用", "en": "None"},
    "whole": {"zh-Hant": "（整體）", "zh-Hans": "（整体）", "en": " (as a whole)"},
}

@dataclass(frozen=True)
class Target:
    """What a location links to, in the page's script.

    ``lang`` is set for a link to another edition (an English index pointing at a
    section only the Chinese edition has): the link then says which language it
    opens (``hreflang``) and its text is marked as that language (``lang``).
    """

    href: str
    text: str
    lang: str | None = None


@dataclass
class Coverage:
    reported: list[str]
    omitted: list[str]
    missing: list[str]

    @property
    def total(self) -> int:
        return len(self.reported) + len(self.omitted) + len(self.missing)


def coverage(framework: Framework, locations: dict[str, list[Location]],
             omissions: dict[str, Omission]) -> Coverage:
    result = Coverage([], [], [])
    for _, item in framework.items():
        if locations.get(item.code):
            result.reported.append(item.code)
        elif item.code in omissions:
            result.omitted.append(item.code)
        else:
            result.missing.append(item.code)
    return result


def rule_problems(framework: Framework, cov: Coverage, config_path: str,
                  line: int | None = None) -> list[Problem]:
    """A required item that no page addresses breaks the framework's rules."""
    problems = []
    for code in cov.missing:
        item = framework.item(code)
        if item and item.required:
            problems.append(Problem(
                config_path, line,
                f"{framework.id} {code} must be reported but no page addresses it",
                f"tag the section that covers it with {{{{addresses {framework.id}:{code}}}}}"
                + ("" if item.omission_allowed else " (it may not be omitted)"),
                category="frameworks"))
    return problems


def _link(t: Target) -> str:
    # The text is a page's and a section's title, already in the page's script:
    # converting it again would undo the -{…}- markup that kept part of it.
    language = (f' hreflang="{html.escape(t.lang, quote=True)}" '
                f'lang="{html.escape(t.lang, quote=True)}"' if t.lang else "")
    return (f'<a class="csr-loc" href="{html.escape(t.href, quote=True)}"{language} '
            f'data-noconvert>{html.escape(t.text)}</a>')


def _labels(labels: Labels | None, script: str, source_script: str) -> str:
    return labels.html(script, source_script) if labels else ""


def _chinese_date(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year} 年 {month} 月 {day} 日"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _english_date(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def gri_header(statement: str, organisation: Labels, period: tuple[str, str], script: str,
               source_script: str) -> str:
    """The statement of use and GRI 1 line that GRI requires at the top of the index."""
    org = organisation.text(script, source_script)
    if script_of(script) == "en":
        use = ("with reference to" if statement == "with-reference" else "in accordance with")
        start, end = (_english_date(d) for d in period)
        sentence = (f"{org} has reported {use} the GRI Standards for the period "
                    f"{start} to {end}.")
    elif script_of(script) == "zh-Hans":
        # A space between Chinese and a number, as everywhere in the report (報告 2021 年).
        start, end = (_chinese_date(d) for d in period)
        use = ("已参照 GRI 标准报告" if statement == "with-reference" else "已按照 GRI 标准报告")
        sentence = f"{org}{use} {start}至 {end}期间的信息。"
    else:
        start, end = (_chinese_date(d) for d in period)
        use = ("已參照 GRI 標準報告" if statement == "with-reference" else "已按照 GRI 標準報告")
        sentence = f"{org}{use} {start}至 {end}期間的資訊。"
    return ('<dl class="csr-gri-header">'
            f'<dt>{ui(UI["statement"], script)}</dt><dd>{protect(html.escape(sentence))}</dd>'
            f'<dt>{ui(UI["gri1"], script)}</dt><dd lang="en">GRI 1: Foundation 2021</dd>'
            f'<dt>{ui(UI["sector"], script)}</dt><dd>{ui(UI["none"], script)}</dd></dl>')


def render(framework: Framework, locations: dict[str, list[Location]],
           omissions: dict[str, Omission], target: Callable[[Location], Target],
           script: str, source_script: str, header: str = "") -> str:
    cov = coverage(framework, locations, omissions)
    summary = (f'<p class="csr-coverage"><strong>{ui(UI["coverage"], script)}</strong>'
               f'{ui_text(COLON, script)}'
               f'{ui(UI["reported"], script)} {len(cov.reported)} · '
               f'{ui(UI["omitted"], script)} {len(cov.omitted)} · '
               f'{ui(UI["missing"], script)} {len(cov.missing)} '
               f'{ui_text(OPEN_PAREN, script)}{cov.total} {ui(UI["items"], script)}'
               f'{ui_text(CLOSE_PAREN, script)}</p>')
    # Own translations are of Chinese titles: an English index shows GRI's own wording.
    english = script_of(script) == "en"
    has_omissions = bool(framework.omission_reasons)
    heads = [UI["item"], UI["title"], UI["location"]] + ([UI["omission"]] if has_omissions else [])
    thead = "<thead><tr>" + "".join(f'<th scope="col">{ui(h, script)}</th>' for h in heads) \
        + "</tr></thead>"
    tables = []
    for group in framework.groups:
        rows = []
        own_translation = False
        item_codes = {i.code for i in group.items}
        if group.code not in item_codes and locations.get(group.code):
            group_links = "<br>".join(_link(target(loc)) for loc in locations[group.code])
            rows.append(f'<tr class="csr-item csr-item--group"><td><span class="csr-code">'
                        f'{html.escape(group.code)}</span></td>'
                        f'<td>{_labels(group.title, script, source_script)}'
                        f'{ui(UI["whole"], script)}</td><td>{group_links}</td>'
                        + ("<td></td>" if has_omissions else "") + "</tr>")
        for item in group.items:
            status = ("reported" if item.code in cov.reported else
                      "omitted" if item.code in cov.omitted else "missing")
            title = _labels(item.title, script, source_script)
            if item.own_translation and not english:
                # Marked on the item, explained once under the table.
                own_translation = True
                title += '<span class="csr-own-translation" aria-hidden="true">*</span>'
            if item.description:
                title += f'<br><small>{_labels(item.description, script, source_script)}</small>'
            links = []
            for loc in locations.get(item.code, []):
                links.append(_link(target(loc)))
            where = "<br>".join(links) if links else (
                "—" if status == "omitted" else f'<span class="csr-missing">'
                                                f'{ui(UI["missing_item"], script)}</span>')
            cells = [f'<span class="csr-code">{html.escape(item.code)}</span>', title, where]
            if has_omissions:
                om = omissions.get(item.code)
                cells.append(
                    f'{ui(REASON_TEXT[om.reason], script)}{ui_text(COLON, script)}'
                    f'{_labels(om.explanation, script, source_script)}' if om else "")
            rows.append(f'<tr class="csr-item csr-item--{status}" '
                        f'id="{html.escape(framework.id)}-{html.escape(item.code)}">'
                        + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        caption = (f'<span class="csr-code">{html.escape(group.code)}</span> '
                   f'{_labels(group.title, script, source_script)}')
        caption_id = html.escape(f"{framework.id}-{re.sub(r'[^A-Za-z0-9]+', '-', group.code)}"
                                 "-caption", quote=True)
        note = (f'<p class="csr-table-note">{ui(UI["own"], script)}</p>'
                if own_translation else "")
        # A region that scrolls sideways on a phone (and a keyboard can scroll).
        tables.append(f'<div class="csr-table-scroll" role="region" tabindex="0" '
                      f'aria-labelledby="{caption_id}"><table class="csr-index">'
                      f'<caption id="{caption_id}">{caption}'
                      f"</caption>{thead}<tbody>{''.join(rows)}</tbody></table></div>{note}")
    return f'<div class="csr-framework-index" data-framework="{html.escape(framework.id)}">' \
           f"{header}{summary}{''.join(tables)}</div>"
