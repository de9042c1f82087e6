"""Proper names that wording rules must not touch, and a matcher that finds words
the way OpenCC segments text.

A wording rule (質素 → 质量) is right in running prose and wrong inside a name:
香港品質保證局 stays 香港品质保证局, 《個人資料（私隱）條例》 stays a Hong Kong
ordinance's title.  Names come from three places: the glossary's
``proper_name`` terms, the report's own list in ``mkdocs.yml``, and names
found in the pages themselves: every title between 《》 or 〈〉, and every
organisation-like name (ending in 局, 公司, 協會, 中心…) used at least twice, or
once when it starts with a place (香港…, 北京…).
A name becomes a phrase rule that converts it character by character; OpenCC
matches the longest phrase first, so no shorter rule fires inside it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import ahocorasick

if TYPE_CHECKING:
    from ..vocabulary import Pack

# Endings of organisation names, in both scripts.
_SUFFIXES = ("有限公司", "股份有限公司", "基金會", "基金会", "委員會", "委员会", "研究院",
             "研究所", "協會", "协会", "學會", "学会", "商會", "商会", "聯會", "联会",
             "總會", "总会", "公司", "集團", "集团", "銀行", "银行", "醫院", "医院", "大學",
             "大学", "學院", "学院", "中心", "學校", "学校", "基金", "幼稚園", "幼稚园",
             "幼兒園", "幼儿园", "條例", "条例", "局", "署", "處", "处")
# A name that starts with a place (香港…, 北京…) is a proper name even when used once.
_PLACES = ("香港", "九龍", "九龙", "新界", "中國", "中国", "中華", "中华", "北京", "上海",
           "廣州", "广州", "廣東", "广东", "深圳", "澳門", "澳门", "南京", "國家", "国家",
           "亞洲", "亚洲", "國際", "国际", "世界")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A name starts after punctuation, a space, Markdown syntax or one of the short
# words that introduce a noun phrase (與 / 和 / 由 …); it is 2 to 16 characters
# before its ending.
_LEAD = "與与和及由在向為为於于的是將将把被對对從从經经同跟獲获等及、"
_MULTI = [x for x in _SUFFIXES if len(x) > 1]
_SINGLE = "".join(x for x in _SUFFIXES if len(x) == 1)
# 局, 署, 處 end a name, not a word such as 處理, 局面 or 署理.
_NOT_AFTER_SINGLE = "理於于面限部勢势置境分長长名事"
_ORGANISATION = re.compile(
    rf"(?:^|(?<=[^{_CJK}])|(?<=[{_LEAD}]))"
    rf"([{_CJK}]{{2,16}}?(?:{'|'.join(_MULTI)}|[{_SINGLE}](?![{_NOT_AFTER_SINGLE}])))", re.M)
_LEADING = re.compile(rf"^.*[{_LEAD}]")
_TITLE = re.compile(r"《([^《》\n]{1,40})》|〈([^〈〉\n]{1,40})〉")


def titles(text: str) -> set[str]:
    """Titles of works, laws and standards: what stands between 《》 or 〈〉."""
    return {m.group(1) or m.group(2) for m in _TITLE.finditer(text)}


def organisations(texts: Iterable[str], at_least: int = 2,
                  not_starting: Iterable[str] = ()) -> set[str]:
    """Organisation-like names used at least ``at_least`` times across ``texts``
    (once is enough for a name that starts with a place: 香港…局, 北京…集团).

    A candidate that starts with a wording rule's source (透過… ) is a phrase of
    prose, not a name: ``not_starting`` lists those words.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        for m in _ORGANISATION.finditer(text):
            # A match from the start of a clause may begin with prose (我們與…):
            # the name starts after the last word that introduces it.
            name = _LEADING.sub("", m.group(1))
            if len(name) >= 4:
                counts[name] += 1
    starts = tuple(not_starting)
    return {n for n, c in counts.items()
            if (c >= at_least or n.startswith(_PLACES)) and not n.startswith(starts)}


def found_in(texts: Iterable[str], pack: Pack | None, source_script: str) -> set[str]:
    """The names a report's pages show: every title, and the organisation names."""
    texts = list(texts)
    found = set().union(*(titles(text) for text in texts)) if texts else set()
    return found | organisations(texts, not_starting=prose_words(pack, source_script))


def prose_words(pack: Pack | None, source_script: str) -> list[str]:
    """Words that start a clause of prose, never a name (透過…, 通过…): the
    vocabulary's everyday connective words."""
    if pack is None:
        return []
    return [e.form(source_script) for e in pack.entries
            if e.domain == "connectives" and e.use != "keep"]


class Matcher:
    """Leftmost-longest, non-overlapping word matching (as OpenCC segments text)."""

    def __init__(self, words: Mapping[str, object]):
        self.words = dict(words)
        self._automaton = ahocorasick.Automaton()
        for word in self.words:
            if word:
                self._automaton.add_word(word, word)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def finditer(self, text: str) -> Iterable[tuple[int, int, str]]:
        """(start, end, word) of each match."""
        if self._empty or not text:
            return
        for end, word in self._automaton.iter_long(text):
            yield end - len(word) + 1, end + 1, word
