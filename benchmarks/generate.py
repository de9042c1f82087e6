"""Synthetic csr-kit reports of any size, for the benchmarks (seeded, reproducible).

    .venv/bin/python benchmarks/generate.py TARGET --pages 200 [--seed 2021] [--plain PLAIN]

writes a complete project into TARGET:

- ``mkdocs.yml`` derived from the repository's own (same theme, extensions, i18n and
  csr-* plugins), with a ``nav:`` that lists every generated page;
- ``data/`` copied as is, ``overrides/``, ``docs/assets/`` and ``docs/images/`` copied;
- ``docs/index.md``, chapter pages ``docs/chNN/pNNNN.md`` and the appendix pages
  (``{{kpi-appendix}}``, one ``{{framework-index …}}`` page per enabled framework,
  ``{{glossary}}``), ``--pages`` Markdown pages in all.

The chapter pages are Traditional Chinese (Hong Kong) prose made of the sample
report's own sentences and headings, shuffled with a seeded generator, with
tables, images (the sample's images with their alt text), inline KPI values
(``{{kpi id}}``), KPI cards and charts (ids from ``data/kpis.yml`` and
``data/charts.yml``), framework tags on headings and in the front matter (valid
codes from ``data/frameworks/*.yml``; every *required* item is tagged once so the
framework rules pass), glossary terms (``data/glossary.yml``), a few admonitions,
links between pages and ``-{…}-`` conversion markup.  The same seed and size give
byte-identical files.

``--plain PLAIN`` also writes the same content for the plain stack (mkdocs +
material + i18n + search): the csr-* plugins removed from ``mkdocs.yml`` and every
directive and conversion markup replaced by plain Markdown text, so that the plain
build is valid in strict mode too.  ``make_plain()`` does the same from Python.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DOCS = ROOT / "docs"
DATA = ROOT / "data"
FRAMEWORKS = ["sri", "cnca", "gri", "hkex", "iso26000", "sdg"]  # as enabled in mkdocs.yml
APPENDIX_PAGES = 2 + len(FRAMEWORKS)  # performance data, one index per framework, glossary
CHAPTER_SIZE = 12  # chapter pages per nav section

# Small Traditional Chinese (HK) templates for glossary terms and KPI sentences.
TERM_TEMPLATES = [
    "本局在{t}方面持續投放資源，並定期檢討成效。",
    "我們會繼續推動{t}的相關工作，與持份者保持溝通。",
    "{t}是本年度管理層關注的重點之一。",
    "年內，各部門就{t}的安排進行了內部檢視。",
    "為加強{t}，本局修訂了相關的內部指引。",
]
KPI_TEMPLATES = [
    "年內{label}為 {ref}。",
    "截至年底，{label}錄得 {ref}。",
    "根據統計，{label}為 {ref}，數據已經內部核對。",
]
ADMONITIONS = [("note", "說明"), ("info", "資料"), ("tip", "小貼士")]
MARKUP = [
    "同事可按《強制性公積金計劃條例》參加-{zh-hans:强制性公积金（强积金）;zh-hant:強積金;}-計劃。",
    "本局的刊物-{可持續發展在香港}-於年內再版。",
]


# --- the sample report's vocabulary ----------------------------------------------------

_FRONT = re.compile(r"^---\n.*?\n---\n", re.S)
_SENTENCE = re.compile(r"[^。！？]+[。！？]")
_IMAGE = re.compile(r"!\[([^\]]+)\]\((?:\.\./)?images/([^)\s]+)\)")
_DIRECTIVE = re.compile(r"\{\{[^{}]*\}\}")


def _body(path: Path) -> str:
    return _FRONT.sub("", path.read_text(encoding="utf-8"), count=1)


def vocabulary() -> dict:
    """Sentences, headings and image/alt pairs of the sample report's chapter pages."""
    sentences: set[str] = set()
    headings: set[str] = set()
    images: dict[str, str] = {}
    for path in sorted(SAMPLE_DOCS.glob("*.md")):
        for line in _body(path).splitlines():
            line = line.strip()
            m = re.match(r"^#{2,4}\s+(.*)$", line)
            if m:
                text = _DIRECTIVE.sub("", m.group(1)).strip()
                if text and not re.search(r"[-{}\[\]<`*]", text) and len(text) <= 20:
                    headings.add(text)
                continue
            for alt, name in _IMAGE.findall(line):
                if (SAMPLE_DOCS / "images" / name).exists() and name != "logo.svg":
                    images[name] = alt
            if not line or line[0] in "#|!{<>`:" or line.startswith(("```", "---", "[^")):
                continue
            line = re.sub(r"^(?:[-*+]|\d+\.)\s+", "", line)
            line = re.sub(r"^\*\*[^*]+\*\*[：:]", "", line)
            ending = "。" if line.endswith(("；", ";")) else ""
            for s in _SENTENCE.findall(line.rstrip("；;") + ending):
                s = s.strip()
                if 12 <= len(s) <= 120 and not re.search(r"[{}\[\]<>`*|]|-\{|\}-|\(http", s):
                    sentences.add(s)
    return {"sentences": sorted(sentences), "headings": sorted(headings),
            "images": sorted(images.items())}


def data_ids() -> dict:
    kpis = yaml.safe_load((DATA / "kpis.yml").read_text(encoding="utf-8"))
    current = str(kpis["periods"]["current"])
    kpi_list = [k for k in kpis["kpis"] if current in {str(p) for p in k["values"]}]
    charts = yaml.safe_load((DATA / "charts.yml").read_text(encoding="utf-8"))["charts"]
    glossary = yaml.safe_load((DATA / "glossary.yml").read_text(encoding="utf-8"))["terms"]
    # Items the report declares omitted must not be tagged too (csr-frameworks refuses both).
    omissions = yaml.safe_load((DATA / "omissions.yml").read_text(encoding="utf-8")) or {}
    omitted = {f"{fid}:{entry['item']}" for fid, entries in omissions.items()
               for entry in entries or []}
    codes, required = {}, []
    for fid in FRAMEWORKS:
        fw = yaml.safe_load((DATA / "frameworks" / f"{fid}.yml").read_text(encoding="utf-8"))
        codes[fid] = []
        for group in fw.get("groups", []):
            for item in group.get("items", []):
                code = str(item["code"])
                if f"{fid}:{code}" in omitted:
                    continue
                codes[fid].append(code)
                if item.get("required"):
                    required.append(f"{fid}:{code}")
    return {"kpis": kpi_list, "units": kpis["units"], "current": current,
            "charts": charts, "terms": [t["zh-Hant"] for t in glossary], "codes": codes,
            "required": required}


# --- one report ------------------------------------------------------------------------

class Writer:
    def __init__(self, pages: int, seed: int):
        if pages < APPENDIX_PAGES + 2:
            raise SystemExit(f"--pages must be at least {APPENDIX_PAGES + 2}")
        self.rng = random.Random(f"csr-kit-bench-{seed}-{pages}")
        self.vocab = vocabulary()
        self.data = data_ids()
        self.pages = pages
        self.chapter_pages = pages - 1 - APPENDIX_PAGES
        self.paths: list[str] = []  # chapter pages, in nav order
        self.titles: dict[str, str] = {}

    def sentence(self) -> str:
        return self.rng.choice(self.vocab["sentences"])

    def term_sentence(self) -> str:
        return self.rng.choice(TERM_TEMPLATES).format(t=self.rng.choice(self.data["terms"]))

    def kpi(self) -> dict:
        return self.rng.choice(self.data["kpis"])

    def kpi_sentence(self) -> str:
        k = self.kpi()
        return self.rng.choice(KPI_TEMPLATES).format(label=k["label"]["zh-Hant"],
                                                     ref=f"{{{{kpi {k['id']}}}}}")

    def codes(self, n: int) -> list[str]:
        out = []
        for _ in range(n):
            fid = self.rng.choice(FRAMEWORKS)
            out.append(f"{fid}:{self.rng.choice(self.data['codes'][fid])}")
        return sorted(set(out), key=out.index)

    def paragraph(self, here: str) -> str:
        parts = []
        for _ in range(self.rng.randint(2, 5)):
            r = self.rng.random()
            if r < 0.15:
                parts.append(self.kpi_sentence())
            elif r < 0.30:
                parts.append(self.term_sentence())
            elif r < 0.34 and len(self.paths) > 1:
                target = self.rng.choice(self.paths)
                if target != here:
                    rel = Path("..", target).as_posix()
                    parts.append(f"詳情可參閱[{self.titles[target]}]({rel})。")
            elif r < 0.35:
                parts.append(self.rng.choice(MARKUP))
            else:
                parts.append(self.sentence())
        return "".join(parts)

    def table(self) -> str:
        if self.rng.random() < 0.6:
            kpis = self.rng.sample(self.data["kpis"], self.rng.randint(3, 6))
            rows = ["| 指標 | 本年度數值 |", "| --- | --- |"]
            rows += [f"| {k['label']['zh-Hant']} | {{{{kpi {k['id']}}}}} |" for k in kpis]
        else:
            rows = ["| 範疇 | 主要措施 |", "| --- | --- |"]
            for _ in range(self.rng.randint(3, 6)):
                rows.append(f"| {self.rng.choice(self.vocab['headings'])} | {self.sentence()} |")
        return "\n".join(rows)

    def block(self, here: str) -> str:
        r = self.rng.random()
        if r < 0.25:
            return self.table()
        if r < 0.40:
            ids = [k["id"] for k in self.rng.sample(self.data["kpis"], self.rng.randint(2, 4))]
            return "{{kpi-cards " + " ".join(ids) + "}}"
        if r < 0.50:
            return "{{chart " + self.rng.choice(self.data["charts"])["id"] + "}}"
        if r < 0.55:
            return "{{kpi-card " + self.kpi()["id"] + "}}"
        if r < 0.65:
            return "\n".join(f"- {self.sentence()}" for _ in range(self.rng.randint(3, 5)))
        if r < 0.72:
            kind, title = self.rng.choice(ADMONITIONS)
            return f'!!! {kind} "{title}"\n\n    {self.sentence()}{self.sentence()}'
        return self.paragraph(here)

    def chapter_page(self, path: str, extra_codes: list[str]) -> str:
        title = self.titles[path]
        heads = self.rng.sample(self.vocab["headings"], 9)
        codes = sorted(set(self.codes(self.rng.randint(1, 3)) + extra_codes))
        lines = ["---", f"title: {title}", f"description: {self.sentence()}",
                 f"addresses: [{', '.join(codes)}]", "---", "", f"# {title}", ""]
        image, alt = self.rng.choice(self.vocab["images"])
        lines += [f"![{alt}](../images/{image})", "", self.paragraph(path), ""]
        used = 0
        for _ in range(self.rng.randint(2, 3)):  # sections
            heading = heads[used]
            used += 1
            codes = " ".join(self.codes(self.rng.randint(1, 4)))
            lines += [f"## {heading} {{{{addresses {codes}}}}}", ""]
            lines += [self.paragraph(path), ""]
            for _ in range(self.rng.randint(1, 2)):  # subsections
                if used >= len(heads):
                    break
                heading = heads[used]
                used += 1
                tag = (f" {{{{addresses {' '.join(self.codes(self.rng.randint(1, 2)))}}}}}"
                       if self.rng.random() < 0.4 else "")
                lines += [f"### {heading}{tag}", "", self.paragraph(path), ""]
                for _ in range(self.rng.randint(1, 3)):
                    lines += [self.block(path), ""]
        return "\n".join(lines)

    def write(self, target: Path) -> None:
        if target.exists():
            shutil.rmtree(target)
        docs = target / "docs"
        shutil.copytree(DATA, target / "data")
        shutil.copytree(ROOT / "overrides", target / "overrides")
        if (SAMPLE_DOCS / "assets").exists():  # gone since csr-site ships the stylesheet
            shutil.copytree(SAMPLE_DOCS / "assets", docs / "assets")
        shutil.copytree(SAMPLE_DOCS / "images", docs / "images")
        # Pages and titles first (links need titles of later pages too).
        chapters: list[tuple[str, list[str]]] = []
        for i in range(self.chapter_pages):
            chapter = i // CHAPTER_SIZE + 1
            if not chapters or len(chapters) < chapter:
                chapters.append((f"第 {chapter} 章 {self.rng.choice(self.vocab['headings'])}", []))
            path = f"ch{chapter:02d}/p{i + 1:04d}.md"
            chapters[-1][1].append(path)
            self.paths.append(path)
            heading = self.rng.choice(self.vocab["headings"])
            self.titles[path] = f"{chapter}.{len(chapters[-1][1])} {heading}"
        required = list(self.data["required"])
        for i, path in enumerate(self.paths):
            extra = required if i == 0 else []
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(self.chapter_page(path, extra) + "\n", encoding="utf-8")
        home_paragraphs = "\n\n".join(self.paragraph("index.md") for _ in range(3))
        (docs / "index.md").write_text(
            f"---\ntitle: 報告概覽\ndescription: {self.sentence()}\n---\n\n# 報告概覽\n\n"
            f"![{self.vocab['images'][0][1]}](images/{self.vocab['images'][0][0]})\n\n"
            f"{home_paragraphs}\n\n{{{{kpi-cards staff.total staff.female_pct}}}}\n",
            encoding="utf-8")
        appendix = docs / "appendix"
        appendix.mkdir()
        (appendix / "performance-data.md").write_text(
            "---\ntitle: 績效數據\ndescription: 本報告引用的全部關鍵績效數據。\n---\n\n"
            f"# 績效數據\n\n{self.sentence()}\n\n{{{{kpi-appendix}}}}\n", encoding="utf-8")
        for fid in FRAMEWORKS:
            (appendix / f"{fid}-index.md").write_text(
                f"---\ntitle: {fid.upper()} 索引\n"
                f"description: 本報告與 {fid.upper()} 的對照索引。\n"
                f"---\n\n# {fid.upper()} 索引\n\n{self.sentence()}\n\n"
                f"{{{{framework-index {fid}}}}}\n", encoding="utf-8")
        (docs / "glossary.md").write_text(
            "---\ntitle: 詞彙表\ndescription: 本報告使用的主要專業詞彙。\n---\n\n# 詞彙表\n\n"
            f"{self.sentence()}\n\n{{{{glossary}}}}\n", encoding="utf-8")
        nav = ["nav:", "  - index.md"]
        for title, paths in chapters:
            nav.append(f"  - {title}:")
            nav += [f"      - {p}" for p in paths]
        nav += ["  - 附錄:", "      - appendix/performance-data.md"]
        nav += [f"      - appendix/{fid}-index.md" for fid in FRAMEWORKS]
        nav += ["      - glossary.md"]
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = re.sub(r"(?ms)^nav:\n.*?(?=^\S)", "\n".join(nav) + "\n\n", config, count=1)
        # The two Chinese editions only, as measured before the English edition existed.
        config = re.sub(r"(?ms)^        - locale: en\n.*?(?=^  - )", "", config, count=1)
        config = re.sub(r"(?m)^  - csr-translation.*\n", "", config)
        (target / "mkdocs.yml").write_text(config, encoding="utf-8")


def generate(target: Path, pages: int, seed: int = 2021) -> Path:
    """Write a synthetic kit project of ``pages`` Markdown pages into ``target``."""
    Writer(pages, seed).write(Path(target))
    return Path(target)


# --- the plain-stack copy --------------------------------------------------------------

def _kpi_text(kpi_id: str, data: dict) -> str:
    kpi = next((k for k in data["kpis"] if k["id"] == kpi_id), None)
    if kpi is None:
        return kpi_id
    value = {str(p): v for p, v in kpi["values"].items()}[data["current"]]
    unit = data["units"].get(kpi["unit"], {})
    suffix = "%" if unit.get("kind") == "percent" else (" " + unit.get("zh-Hant", "")).rstrip()
    return f"**{value}{suffix}**"


def plain_markdown(text: str, data: dict) -> str:
    """Directives and conversion markup replaced by plain Markdown."""
    charts = {c["id"]: c for c in data["charts"]}

    def directive(m: re.Match[str]) -> str:
        words = m.group(1).split()
        name, args = words[0], [w for w in words[1:] if "=" not in w]
        if name == "kpi":
            return _kpi_text(args[0], data)
        if name in ("kpi-card", "kpi-cards"):
            return "\n".join(
                f"- {next(k['label']['zh-Hant'] for k in data['kpis'] if k['id'] == a)}："
                f"{_kpi_text(a, data)}" for a in args)
        if name == "chart":
            return f"圖表：{charts[args[0]]['title']['zh-Hant']}" if args[0] in charts else ""
        if name == "addresses":
            return ""
        if name == "framework-index":
            return f"{args[0].upper()} 對照索引（以插件生成）。"
        if name == "kpi-appendix":
            return "績效數據表（以插件生成）。"
        if name == "glossary":
            return "詞彙表（以插件生成）。"
        return m.group(0)

    text = re.sub(r"\{\{\s*([^{}]*?)\s*\}\}", directive, text)
    text = re.sub(r"[ \t]+$", "", text, flags=re.M)  # headings whose tags were removed
    text = re.sub(r"-\{[^{}]*?zh-hant:([^;{}]*);[^{}]*\}-", r"\1", text)
    return re.sub(r"-\{([^{}]*)\}-", r"\1", text)


def plain_config(text: str) -> str:
    """mkdocs.yml without the csr-* plugins (and their options)."""
    out, skipping = [], False
    for line in text.splitlines():
        if re.match(r"^  - csr-[\w-]+", line):
            skipping = True
            continue
        if skipping and re.match(r"^      ", line):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"


def add_language_partial(project: Path) -> None:
    """Material has no zh-Hans language partial (csr-site ships one): the plain stack
    uses Material's own zh strings for it, as benchmarks/serve_latency.py does."""
    import material

    target = Path(project) / "overrides" / "partials" / "languages" / "zh-Hans.html"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(material.__file__).parent / "templates" / "partials" / "languages"
                        / "zh.html", target)


def make_plain(source: Path, target: Path) -> Path:
    """The same project for the plain stack (mkdocs + material + i18n + search)."""
    source, target = Path(source), Path(target)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".cache", "__pycache__"))
    data = data_ids()
    for page in (target / "docs").rglob("*.md"):
        page.write_text(plain_markdown(page.read_text(encoding="utf-8"), data), encoding="utf-8")
    config = target / "mkdocs.yml"
    config.write_text(plain_config(config.read_text(encoding="utf-8")), encoding="utf-8")
    add_language_partial(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="folder to write the project into (replaced)")
    parser.add_argument("--pages", type=int, default=200, help="Markdown pages in all")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--plain", type=Path, help="also write the plain-stack copy here")
    args = parser.parse_args(argv)
    generate(args.target, args.pages, args.seed)
    print(f"wrote {args.pages} pages into {args.target}")
    if args.plain:
        make_plain(args.target, args.plain)
        print(f"wrote the plain-stack copy into {args.plain}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
