"""Proper names that wording rules must not touch, and a matcher that finds words
the way OpenCC segments text.

A wording rule (質素 → 质量) is right in running prose and wrong inside a name:
香港品質保證局 stays 香港品质保证局, 《個人資料（私隱）條例》 stays a Hong Kong
ordinance's title.  Names come from three places: the glossary's
``proper_name`` terms, the report's own list in ``mkdocs.yml``, and names
found in the pages themselves: every title between 《》 or 〈〉, and every
organisation-like name (ending in 局, 公司, 協會, 中心…) used at least twice.
A name becomes a phrase rule that converts it character by character; OpenCC
matches the longest phrase first, so no shorter rule fires inside it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping

import ahocorasick

# Endings of organisation names, in both scripts (longest first).
_SUFFIXES = ("有限公司", "股份有限公司", "基金會", "基金会", "委員會", "委员会", "研究院",
             "研究所", "協會", "协会", "學會", "学会", "商會", "商会", "聯會", "联会",
             "總會", "总会", "公司", "集團", "集团", "銀行", "银行", "醫院", "医院", "大學",
             "大学", "學院", "学院", "中心", "學校", "学校", "局", "署", "處", "处")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A name starts after punctuation, a space, Markdown syntax or one of the short
# words that introduce a noun phrase (與 / 和 / 由 …); it is 2 to 16 characters
# before its ending.
_LEAD = "與与和及由在向為为於于的是將将把被對对從从經经同跟獲获等及、"
_FOLLOW = "的及與与和、在於于為为是將将已亦也獲获"
_ORGANISATION = re.compile(
    rf"(?:^|(?<=[^{_CJK}])|(?<=[{_LEAD}]))"
    rf"([{_CJK}]{{2,16}}?(?:{'|'.join(_SUFFIXES)}))"
    rf"(?=[^{_CJK}]|$|[{_FOLLOW}])", re.M)
_TITLE = re.compile(r"《([^《》\n]{1,40})》|〈([^〈〉\n]{1,40})〉")


def titles(text: str) -> set[str]:
    """Titles of works, laws and standards: what stands between 《》 or 〈〉."""
    return {m.group(1) or m.group(2) for m in _TITLE.finditer(text)}


def organisations(texts: Iterable[str], at_least: int = 2,
                  not_starting: Iterable[str] = ()) -> set[str]:
    """Organisation-like names used at least ``at_least`` times across ``texts``.

    A candidate that starts with a wording rule's source (透過… ) is a phrase of
    prose, not a name: ``not_starting`` lists those words.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        for m in _ORGANISATION.finditer(text):
            name = m.group(1)
            if len(name) >= 4:
                counts[name] += 1
    starts = tuple(not_starting)
    return {n for n, c in counts.items() if c >= at_least and not n.startswith(starts)}


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
