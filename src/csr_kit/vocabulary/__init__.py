"""The regional vocabulary pack: Hong Kong ⇄ mainland wording shipped with the kit.

OpenCC converts characters; the words a Hong Kong writer and a mainland editor
choose differently (電郵 / 电子邮件, 的士 / 出租车, 透過 / 通过) are in none of its
dictionaries.  The pack supplies them, domain by domain, in ``data/*.tsv`` (the
format is described in ``data/README.md``).  A report's own glossary overrides
the pack, and a report can switch off single entries or whole domains.

Every pair says in which direction it may be applied (``use``): a reverse rule
is always written out, never derived by inverting a forward one, because many
mainland words are wider than the Hong Kong word they replace (质量 is both
質素 and 質量).  ``flag`` entries are never applied, only reported; ``keep``
entries are longer words converted character by character, which stops a
shorter rule from firing inside them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ..text import script_of

DATA = "data"
Use = Literal["both", "to-hans", "to-hant", "flag", "keep"]
# The domains' names in the review report (Traditional, Simplified).
DOMAIN_NAMES = {
    "office-it": ("辦公及資訊科技", "办公及信息技术"),
    "telecoms-internet": ("電訊及互聯網", "电信及互联网"),
    "buildings-facilities": ("樓宇及設施", "楼宇及设施"), "appliances": ("電器", "电器"),
    "food-drink": ("飲食", "饮食"), "transport": ("交通運輸", "交通运输"),
    "people-hr": ("人力資源", "人力资源"), "governance": ("管治", "治理"),
    "finance-accounting-law": ("財務、會計及法律", "财务、会计及法律"),
    "environment-energy": ("環境及能源", "环境及能源"),
    "health-safety": ("健康及安全", "健康及安全"),
    "community-nonprofit": ("社區及非牟利", "社区及非营利"),
    "education-training-events": ("教育、培訓及活動", "教育、培训及活动"),
    "connectives": ("常用詞", "常用词"),
}
# Which uses apply when converting towards each script.
APPLIED = {"zh-Hans": ("both", "to-hans", "keep"), "zh-Hant": ("both", "to-hant", "keep")}


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    hant: str
    hans: str
    use: Use
    origin: Literal["csr-kit", "opencc"]
    note: str = ""
    domain: str
    line: int

    def form(self, script: str) -> str:
        return self.hans if script_of(script) == "zh-Hans" else self.hant

    @property
    def where(self) -> str:
        return f"vocabulary/data/{self.domain}.tsv:{self.line}"


# Characters Hong Kong text writes either way (the HK standard form and the common
# one): 温度 and 溫度, 週年 and 周年 are the same word.  A Traditional rule also
# matches its other spellings, so a report typed with either form is converted.
VARIANT_PAIRS = ("温溫", "説說", "衞衛", "綫線", "户戶", "麪麵", "羣群", "閲閱", "峯峰", "裏裡",
                 "週周", "着著", "床牀", "污汙", "啓啟", "爲為", "僞偽", "衆眾", "鈎鉤")
_OTHER_FORM = ({pair[0]: pair[1] for pair in VARIANT_PAIRS}
               | {pair[1]: pair[0] for pair in VARIANT_PAIRS})


def spellings(word: str, limit: int = 8) -> set[str]:
    """The other spellings of a Traditional word (at most ``limit``), not the word itself."""
    forms = {""}
    for ch in word:
        other = _OTHER_FORM.get(ch)
        forms = {f + ch for f in forms} | ({f + other for f in forms} if other else set())
        if len(forms) > limit:
            return set()
    forms.discard(word)
    return forms


class PackError(ValueError):
    """A malformed row in the kit's own data (a bug in the kit, caught by its tests)."""


def _rows(domain: str, text: str) -> Iterable[Entry]:
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        # A row short of cells leaves fields out, which Entry reports below.
        values: dict[str, Any] = dict(zip(header, (c.strip() for c in cells), strict=False))
        try:
            yield Entry(**values, domain=domain, line=number)
        except (ValidationError, TypeError) as err:
            raise PackError(f"vocabulary/data/{domain}.tsv:{number}: {err}") from err


class Pack:
    """The entries of the pack that a report uses."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)

    @property
    def domains(self) -> list[str]:
        return sorted({e.domain for e in self.entries})

    def without(self, domains: Iterable[str] = (), words: Iterable[str] = ()) -> Pack:
        """The pack less whole domains and single entries (named by either form)."""
        domains, words = set(domains), set(words)
        return Pack(e for e in self.entries
                    if e.domain not in domains and e.hant not in words and e.hans not in words)

    def rules(self, target: str) -> dict[str, str]:
        """Source wording → target wording for conversion towards ``target``
        (a Traditional word with each of its other spellings)."""
        return {word: result for word, (result, _) in self.applied(target).items()}

    def applied(self, target: str) -> dict[str, tuple[str, Entry]]:
        """Source wording → (target wording, the entry it comes from)."""
        target = script_of(target)
        source = "zh-Hant" if target == "zh-Hans" else "zh-Hans"
        out: dict[str, tuple[str, Entry]] = {}
        # A pair wins over a keep row for the same word: the keep row then serves the
        # other direction only (花椰菜 is kept in Hong Kong text, and mainland 花椰菜
        # still becomes 椰菜花).
        for e in sorted(self.entries, key=lambda e: e.use == "keep"):
            if e.use in APPLIED[target]:
                out.setdefault(e.form(source), (e.form(target), e))
        return _with_spellings(out, source)

    def regional_words(self, target: str) -> dict[str, str]:
        """Source-region wording (with its other spellings) → the target region's word."""
        target = script_of(target)
        source = "zh-Hant" if target == "zh-Hans" else "zh-Hans"
        return _with_spellings({e.form(source): e.form(target) for e in self.regional(target)},
                               source)

    def regional(self, target: str) -> list[Entry]:
        """Entries whose source-region wording should not survive into ``target`` text."""
        target = script_of(target)
        uses = {"zh-Hans": ("both", "to-hans", "flag"), "zh-Hant": ("both", "to-hant", "flag")}
        return [e for e in self.entries if e.use in uses[target]]

    def __len__(self) -> int:
        return len(self.entries)


_Value = TypeVar("_Value")


def _with_spellings(words: dict[str, _Value], source: str) -> dict[str, _Value]:
    """``words`` plus each Traditional word's other spellings, with the same value."""
    if source == "zh-Hant":
        for word, value in list(words.items()):
            for other in spellings(word):
                words.setdefault(other, value)
    return words


@functools.lru_cache(maxsize=1)
def load() -> Pack:
    """Every entry of the shipped pack, read once per process."""
    folder = resources.files(__package__) / DATA
    entries: list[Entry] = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".tsv"):
            entries.extend(_rows(item.name[:-4], item.read_text(encoding="utf-8")))
    return Pack(entries)
