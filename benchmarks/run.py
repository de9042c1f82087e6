"""csr-kit against the plain stack: build time, cost per page, memory, PDF and rebuilds.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python benchmarks/run.py [--sizes 50,200] [--runs 3]
        [--pdf-runs 3] [--rebuild-runs 7] [--skip build,pdf,rebuild] [--keep]

Measures, side by side in one run (every build in a child process of its own):

(a) full build of both scripts (`mkdocs build`, PDF off) of a synthetic report
    (benchmarks/generate.py) with all csr-* plugins, against the same content on the
    plain stack (mkdocs + material + i18n + search; csr-* plugins removed from
    mkdocs.yml, directives and conversion markup replaced by plain text), as a ratio;
(b) cost per page for each size, and the marginal cost per added page between sizes;
(c) peak memory: the maximum resident set size of each build's process (os.wait4);
(d) the PDF edition of the sample report: per script, the csr-pdf plugin's time
    (document assembly + WeasyPrint, cache emptied first) against raw WeasyPrint
    (``HTML(string=…).write_pdf``) on the very same assembled HTML, sizes and pages/s;
(e) rebuild latency of the sample after a one-page edit: in one process, after
    warm-up, edit docs/people.md and rebuild both scripts (PDF off) with MkDocs' own
    ``build()`` (as ``mkdocs serve`` does), for the plain stack and the kit
    (``benchmarks/serve_latency.py`` measures ``csr-kit serve`` end to end).

Times are medians over the runs; wall-clock and CPU time (user + system of the build
process) are both reported, CPU time being less sensitive to other work on the machine.
Prints Markdown tables; the raw figures go to benchmarks/out/run-<time>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

SKIP = {".venv", ".git", "site", ".pytest_cache", ".hypothesis", "benchmarks", ".cache",
        "__pycache__", "screenshots", ".github", ".ci"}
PACKAGES = ["mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pymdown-extensions", "Markdown",
            "jieba", "opencc", "weasyprint", "pydyf", "fonttools", "csr-kit"]


def env(pdf: bool = False) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CSR_KIT_PDF": "on" if pdf else "off",
            "PYTHONDONTWRITEBYTECODE": "1"}


def run_child(command: list[str], cwd: Path, environment: dict[str, str],
              log: Path) -> dict:
    """Run a command; its wall time, CPU time and peak RSS (of that process alone)."""
    with open(log, "w", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=out,
                                   stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd} (exit {process.returncode}); "
                           f"see {log}:\n" + log.read_text(encoding="utf-8")[-3000:])
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss_mb": usage.ru_maxrss / 1024}


def copy_sample(target: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder) == ROOT:
            return {n for n in names if n in SKIP or n.startswith(".site-")}
        return {n for n in names if n == "__pycache__"}

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


def med(values: list[float]) -> float:
    return statistics.median(values)


# --- (a)–(c): full builds ------------------------------------------------------------------

def mkdocs_build(project: Path, site: Path, log: Path) -> dict:
    if site.exists():
        shutil.rmtree(site)
    return run_child([str(VENV_BIN / "mkdocs"), "build", "-q", "-d", str(site)], project,
                     env(pdf=False), log)


def bench_builds(sizes: list[int], runs: int, work: Path, seed: int) -> dict:
    results: dict = {}
    for size in sizes:
        folder = work / f"pages-{size}"
        kit = generate.generate(folder / "kit", size, seed)
        plain = generate.make_plain(kit, folder / "plain")
        if size == sizes[0]:
            # One untimed build of each first: fills the OS file cache and jieba's cache file.
            mkdocs_build(kit, folder / "site-kit", folder / "kit-warmup.log")
            mkdocs_build(plain, folder / "site-plain", folder / "plain-warmup.log")
        rows: dict[str, list[dict]] = {"kit": [], "plain": []}
        for i in range(runs):  # alternate, so that drifting load hits both alike
            for name, project in (("kit", kit), ("plain", plain)):
                figures = mkdocs_build(project, folder / f"site-{name}",
                                       folder / f"{name}-{i}.log")
                rows[name].append(figures)
                print(f"  {size} pages, {name}, run {i + 1}: {figures['wall']:.1f} s wall, "
                      f"{figures['cpu']:.1f} s CPU, {figures['maxrss_mb']:.0f} MB", flush=True)
        results[size] = rows
    return results


def report_builds(results: dict, runs: int) -> list[str]:
    out = ["### (a) Full build of both scripts, kit vs plain stack (PDF off)", "",
           f"Medians of {runs} runs per cell (each a `mkdocs build` in its own process).", "",
           "| pages | plain wall | kit wall | ratio (wall) | plain CPU | kit CPU | ratio (CPU) "
           "| plugins add (CPU) |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    summary = {}
    for size, rows in results.items():
        pw, kw = med([r["wall"] for r in rows["plain"]]), med([r["wall"] for r in rows["kit"]])
        pc, kc = med([r["cpu"] for r in rows["plain"]]), med([r["cpu"] for r in rows["kit"]])
        summary[size] = (pw, kw, pc, kc)
        out.append(f"| {size} | {pw:.1f} s | {kw:.1f} s | {kw / pw:.2f} | {pc:.1f} s | "
                   f"{kc:.1f} s | {kc / pc:.2f} | +{(kc / pc - 1) * 100:.0f}% |")
    out += ["", "### (b) Cost per page", "",
            "| pages | plain s/page (wall) | kit s/page (wall) | plain s/page (CPU) "
            "| kit s/page (CPU) |", "| ---: | ---: | ---: | ---: | ---: |"]
    for size, (pw, kw, pc, kc) in summary.items():
        out.append(f"| {size} | {pw / size:.3f} | {kw / size:.3f} | {pc / size:.3f} | "
                   f"{kc / size:.3f} |")
    sizes = list(summary)
    if len(sizes) > 1:
        out += ["", "Marginal cost of an added page (CPU seconds, difference of medians "
                "between sizes):", "", "| between | plain s/page | kit s/page |",
                "| --- | ---: | ---: |"]
        for a, b in itertools.pairwise(sizes):
            out.append(f"| {a} → {b} | {(summary[b][2] - summary[a][2]) / (b - a):.4f} | "
                       f"{(summary[b][3] - summary[a][3]) / (b - a):.4f} |")
    out += ["", "### (c) Peak memory (max RSS of the build process)", "",
            "| pages | plain, max of runs | kit, max of runs |", "| ---: | ---: | ---: |"]
    for size, rows in results.items():
        out.append(f"| {size} | {max(r['maxrss_mb'] for r in rows['plain']):.0f} MB | "
                   f"{max(r['maxrss_mb'] for r in rows['kit']):.0f} MB |")
    return out


# --- (d): the PDF edition ----------------------------------------------------------------

def child_pdf_build(project: str, site: str, out: str) -> None:
    """In a child: `mkdocs build` with the PDF on; saves each script's assembled document.

    Only the plugin's ``document()`` (and, where it is still called, ``render.render``)
    are wrapped, to save the document and to time the assembly and the render: the
    build itself runs as the plugin does it (in-process or in its worker processes).
    """
    import functools

    import csr_kit.pdf.render as render_module
    from csr_kit.mkdocs.pdf.plugin import PdfPlugin

    folder = Path(out).parent
    stem = Path(out).stem
    assembled: list[dict] = []
    instances: list = []

    original_document = PdfPlugin.document

    @functools.wraps(original_document)
    def document(self, config, script):
        started = time.perf_counter()
        text = original_document(self, config, script)
        path = folder / f"{stem}-document-{script}.html"
        path.write_text(text, encoding="utf-8")
        assembled.append({"script": script, "assemble_seconds": time.perf_counter() - started,
                          "document_file": str(path), "base_url": str(Path(site)) + "/"})
        return text

    original_render = render_module.render

    @functools.wraps(original_render)
    def render(document, base_url, target):  # may run in a worker process: report via a file
        started = time.perf_counter()
        pages = original_render(document, base_url, target)
        Path(folder / f"{stem}-render-{Path(target).stem}.json").write_text(json.dumps(
            {"target": str(target), "pages": pages,
             "render_seconds": time.perf_counter() - started}), encoding="utf-8")
        return pages

    original_init = PdfPlugin.__init__

    @functools.wraps(original_init)
    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        instances.append(self)

    PdfPlugin.document = document
    PdfPlugin.__init__ = init
    render_module.render = render
    os.chdir(project)
    from mkdocs.__main__ import cli

    started = time.perf_counter()
    cli(["build", "-q", "-d", site], standalone_mode=False)
    build_seconds = time.perf_counter() - started
    editions = {}
    for plugin in instances:
        for language, edition in (getattr(plugin, "editions", None) or {}).items():
            editions[language] = {k: v for k, v in edition.items()
                                  if isinstance(v, (int, float, str, bool)) and k != "document"}
    renders = [json.loads(p.read_text(encoding="utf-8"))
               for p in sorted(folder.glob(f"{stem}-render-*.json"))]
    Path(out).write_text(json.dumps({"build_seconds": build_seconds, "assembled": assembled,
                                     "renders": renders, "editions": editions}),
                         encoding="utf-8")


def child_raw_weasyprint(document_file: str, base_url: str, target: str, out: str) -> None:
    """In a child: raw WeasyPrint on an assembled document."""
    started = time.perf_counter()
    from weasyprint import HTML
    imported = time.perf_counter()
    document = Path(document_file).read_text(encoding="utf-8")
    rendered = HTML(string=document, base_url=base_url).render()
    laid_out = time.perf_counter()
    rendered.write_pdf(target)
    done = time.perf_counter()
    Path(out).write_text(json.dumps({
        "import_seconds": imported - started, "render_seconds": laid_out - imported,
        "write_seconds": done - laid_out, "seconds": done - imported,
        "pages": len(rendered.pages), "bytes": os.path.getsize(target)}), encoding="utf-8")


def pdf_files(site: Path) -> dict[str, dict]:
    """The PDFs a build wrote, by file name: pages and bytes (read back with pypdf)."""
    found = {}
    for path in sorted(site.rglob("*.pdf")):
        try:
            from pypdf import PdfReader

            pages = len(PdfReader(str(path)).pages)
        except Exception:  # noqa: BLE001 - pypdf missing: size only
            pages = None
        found[path.name] = {"pages": pages, "bytes": path.stat().st_size}
    return found


def bench_pdf(runs: int, work: Path) -> dict:
    folder = work / "pdf"
    sample = copy_sample(folder / "sample")
    site = folder / "site"
    results: dict = {"on": [], "off": [], "raw": []}
    me = str(Path(__file__).resolve())
    for i in range(runs):
        # Without the PDF: the same build, so the difference is what the PDF edition costs.
        results["off"].append(mkdocs_build(sample, folder / "site-off", folder / f"off-{i}.log"))
        shutil.rmtree(sample / ".cache", ignore_errors=True)  # no PDF cache: render for real
        if site.exists():
            shutil.rmtree(site)
        out = folder / f"on-{i}.json"
        process = run_child([sys.executable, me, "--child-pdf", str(sample), str(site), str(out)],
                            sample, env(pdf=True), folder / f"on-{i}.log")
        data = json.loads(out.read_text(encoding="utf-8"))
        data.update(process=process, files=pdf_files(site))
        results["on"].append(data)
        print(f"  PDF run {i + 1}: build with PDF {process['wall']:.1f} s wall / "
              f"{process['cpu']:.1f} s CPU, without {results['off'][-1]['wall']:.1f} s / "
              f"{results['off'][-1]['cpu']:.1f} s; "
              + ", ".join(f"{n}: {f['pages']} pages {f['bytes'] / 1e6:.2f} MB"
                          for n, f in data["files"].items()), flush=True)
        for doc in data["assembled"]:
            raw_out = folder / f"raw-{i}-{doc['script']}.json"
            figures = run_child([sys.executable, me, "--child-raw", doc["document_file"],
                                 doc["base_url"], str(folder / f"raw-{doc['script']}.pdf"),
                                 str(raw_out)], folder, env(pdf=True), folder / f"raw-{i}.log")
            raw = json.loads(raw_out.read_text(encoding="utf-8"))
            raw.update(script=doc["script"], process=figures)
            results["raw"].append(raw)
            print(f"    raw WeasyPrint, {doc['script']}: {raw['seconds']:.1f} s "
                  f"({raw['render_seconds']:.1f} layout + {raw['write_seconds']:.1f} write), "
                  f"{raw['pages']} pages, {raw['bytes'] / 1e6:.2f} MB", flush=True)
    return results


def report_pdf(results: dict, runs: int) -> list[str]:
    on, off, raw = results["on"], results["off"], results["raw"]
    on_wall, off_wall = med([r["process"]["wall"] for r in on]), med([r["wall"] for r in off])
    on_cpu, off_cpu = med([r["process"]["cpu"] for r in on]), med([r["cpu"] for r in off])
    names = sorted({n for r in on for n in r["files"]})
    total_pages = sum(on[0]["files"][n]["pages"] or 0 for n in names)
    scripts = sorted({r["script"] for r in raw})
    raw_total = sum(med([r["seconds"] for r in raw if r["script"] == s]) for s in scripts)
    pdf_wall, pdf_cpu = on_wall - off_wall, on_cpu - off_cpu
    out = ["### (d) PDF edition of the sample report", "",
           f"Medians of {runs} runs. The plugin's PDF time is the difference between the "
           "sample's `mkdocs build` with `CSR_KIT_PDF=on` (PDF cache emptied before each "
           "build) and the same build with `CSR_KIT_PDF=off`, each in its own process; raw "
           "WeasyPrint is `HTML(string=doc, base_url=site).render()` + `write_pdf()` on the very "
           "document the plugin assembled (saved from its `document()` method), one script "
           "after the other, each in a fresh process (WeasyPrint import not counted).", "",
           "| | wall | CPU (all processes) |", "| --- | ---: | ---: |",
           f"| build with PDF | {on_wall:.1f} s | {on_cpu:.1f} s |",
           f"| build without PDF | {off_wall:.1f} s | {off_cpu:.1f} s |",
           f"| **PDF editions (difference)** | **{pdf_wall:.1f} s** | {pdf_cpu:.1f} s |",
           f"| raw WeasyPrint, both scripts one after the other | {raw_total:.1f} s | |",
           f"| ratio plugin / raw | {pdf_wall / raw_total:.2f} | |",
           f"| pages per second, both PDFs ({total_pages} pages) | plugin "
           f"{total_pages / pdf_wall:.1f} | raw {total_pages / raw_total:.1f} |", "",
           "| script | PDF file | pages | size (plugin) | size (raw) | assembly | "
           "render in plugin | raw: layout + write | raw pages/s |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for script in scripts:
        mine = [r for r in raw if r["script"] == script]
        name = next((n for n in names if script in n), "?")
        files = [r["files"][name] for r in on if name in r["files"]]
        assembly = [a["assemble_seconds"] for r in on for a in r["assembled"]
                    if a["script"] == script]
        renders = [x["render_seconds"] for r in on for x in r["renders"]
                   if script in Path(x["target"]).stem]
        total = med([r["seconds"] for r in mine])
        out.append(
            f"| {script} | {name} | {files[0]['pages'] if files else '?'} | "
            f"{med([f['bytes'] for f in files]) / 1e6:.2f} MB | "
            f"{med([r['bytes'] for r in mine]) / 1e6:.2f} MB | {med(assembly):.2f} s | "
            + (f"{med(renders):.1f} s" if renders else "n/a") + " | "
            f"{med([r['render_seconds'] for r in mine]):.1f} s + "
            f"{med([r['write_seconds'] for r in mine]):.1f} s | "
            f"{mine[0]['pages'] / total:.1f} |")
    out += ["", f"Peak RSS: build with PDF {max(r['process']['maxrss_mb'] for r in on):.0f} MB "
            "(largest single process of the build, workers included), raw WeasyPrint "
            f"{max(r['process']['maxrss_mb'] for r in raw):.0f} MB. WeasyPrint import "
            f"{med([r['import_seconds'] for r in raw]):.1f} s."]
    return out


# --- (e): rebuilds after a one-page edit ------------------------------------------------

def child_rebuild(project: str, mode: str, runs: int, warmup: int, page: str, out: str) -> None:
    """In a child: edit a page and rebuild, ``warmup + runs`` times, in this one process."""
    import logging

    os.chdir(project)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    config_file = Path(project) / "mkdocs.yml"
    folder = Path(tempfile.mkdtemp(prefix="csr-rebuild-"))
    path = Path(project) / "docs" / page
    times = []
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def rebuild(i: int) -> None:
        site = folder / f"site-{i}"
        config = load_config(str(config_file), site_dir=str(site))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        shutil.rmtree(site, ignore_errors=True)

    for i in range(warmup + runs):
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"\n\n本句為重建測試第 {i} 次修改。\n")
        started = time.perf_counter()
        rebuild(i)
        if i >= warmup:
            times.append(time.perf_counter() - started)
    shutil.rmtree(folder, ignore_errors=True)
    Path(out).write_text(json.dumps(times), encoding="utf-8")


def bench_rebuild(runs: int, warmup: int, work: Path, page: str) -> dict:
    folder = work / "rebuild"
    kit = copy_sample(folder / "kit")
    plain = folder / "plain"
    shutil.copytree(kit, plain, symlinks=True)
    for md in (plain / "docs").rglob("*.md"):
        md.write_text(generate.plain_markdown(md.read_text(encoding="utf-8"),
                                              generate.data_ids()), encoding="utf-8")
    config = plain / "mkdocs.yml"
    config.write_text(generate.plain_config(config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    generate.add_language_partial(plain)
    results = {}
    for label, project, mode in (("plain stack, mkdocs build", plain, "build"),
                                 ("csr-kit, mkdocs build", kit, "build")):
        out = folder / f"{mode}-{project.name}.json"
        figures = run_child([sys.executable, str(Path(__file__).resolve()), "--child-rebuild",
                             str(project), mode, str(runs), str(warmup), page, str(out)],
                            project, env(pdf=False), folder / f"{mode}-{project.name}.log")
        times = json.loads(out.read_text(encoding="utf-8"))
        results[label] = {"times": times, "process": figures}
        print(f"  rebuild, {label}: median {med(times):.2f} s "
              f"({', '.join(f'{t:.2f}' for t in times)})", flush=True)
    return results


def report_rebuild(results: dict, runs: int, warmup: int, page: str) -> list[str]:
    out = ["### (e) Rebuild of the sample after a one-page edit (both scripts, PDF off)", "",
           f"One process per row: {warmup} warm-up rebuilds, then {runs} timed ones, each after "
           f"appending a sentence to docs/{page}. Median, min and max of the timed ones.", "",
           "| what | median | min | max | peak RSS |", "| --- | ---: | ---: | ---: | ---: |"]
    for label, data in results.items():
        times = data["times"]
        out.append(f"| {label} | {med(times):.2f} s | {min(times):.2f} s | {max(times):.2f} s "
                   f"| {data['process']['maxrss_mb']:.0f} MB |")
    labels = list(results)
    if len(labels) >= 2:
        plain = med(results[labels[0]]["times"])
        out += [""] + [f"- {label} / plain: {med(results[label]['times']) / plain:.2f}"
                       for label in labels[1:]]
    return out


# --- the machine -------------------------------------------------------------------------

def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "loadavg": os.getloadavg()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    info["packages"] = versions
    try:
        import hashlib

        import csr_kit

        kit = Path(csr_kit.__file__).parent
        digest = hashlib.sha256()
        for path in sorted(kit.rglob("*.py")):
            digest.update(path.relative_to(kit).as_posix().encode() + path.read_bytes())
        info["csr_kit"] = {"path": str(kit), "sha256_of_py_files": digest.hexdigest()[:16]}
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--short", "plugins"],
                               capture_output=True, text=True).stdout.split("\n")
        info["git"] = {"head": head, "uncommitted_in_plugins": [d for d in dirty if d]}
    except Exception as err:  # noqa: BLE001 - informative only
        info["csr_kit"] = {"error": str(err)}
    return info


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child-pdf":
        child_pdf_build(*argv[1:4])
        return 0
    if argv and argv[0] == "--child-raw":
        child_raw_weasyprint(*argv[1:5])
        return 0
    if argv and argv[0] == "--child-rebuild":
        project, mode, runs, warmup, page, out = argv[1:7]
        child_rebuild(project, mode, int(runs), int(warmup), page, out)
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200",
                        help="report sizes in pages, comma-separated (e.g. 50,200,1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed builds per size and stack")
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--rebuild-runs", type=int, default=7)
    parser.add_argument("--rebuild-warmup", type=int, default=2)
    parser.add_argument("--rebuild-page", default="people.md")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--skip", default="", help="comma-separated: build, pdf, rebuild")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    work = args.work or Path(tempfile.mkdtemp(prefix="csr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    started = time.time()
    raw: dict = {"machine": info, "args": vars(args) | {"work": str(work)}}
    lines = [f"Machine: {info.get('cpu', '?')}, {info['nproc']} cores, "
             f"{info.get('memory_gib', '?')} GiB, Python {info['python']}; load average at "
             f"start {info['loadavg'][0]:.2f}.",
             "Packages: " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()),
             f"csr_kit code: {info.get('csr_kit')}; repository HEAD {info.get('git')}", ""]
    sections = [("build", lambda: bench_builds(sizes, args.runs, work, args.seed),
                 lambda r: report_builds(r, args.runs), f"Full builds: sizes {sizes}, "
                 f"{args.runs} runs each"),
                ("pdf", lambda: bench_pdf(args.pdf_runs, work),
                 lambda r: report_pdf(r, args.pdf_runs), f"PDF: {args.pdf_runs} runs"),
                ("rebuild", lambda: bench_rebuild(args.rebuild_runs, args.rebuild_warmup, work,
                                                  args.rebuild_page),
                 lambda r: report_rebuild(r, args.rebuild_runs, args.rebuild_warmup,
                                          args.rebuild_page),
                 f"Rebuilds: {args.rebuild_warmup} + {args.rebuild_runs}")]
    try:
        for name, measure, report, title in sections:
            if name in skip:
                continue
            print(title, flush=True)
            try:
                raw[name] = measure()
                lines.extend(report(raw[name]) + [""])
            except Exception as err:  # noqa: BLE001 - keep the other sections' figures
                import traceback

                traceback.print_exc()
                raw[name] = {"error": repr(err)}
                lines.extend([f"### {name}: FAILED", "", f"    {err!r}"[:2000], ""])
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    lines.append(f"Total benchmark time {(time.time() - started) / 60:.1f} min; load average "
                 f"at the end {os.getloadavg()[0]:.2f}.")
    outdir = HERE / "out"
    outdir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (outdir / f"run-{stamp}.json").write_text(json.dumps(raw, indent=1, default=str),
                                             encoding="utf-8")
    (outdir / f"run-{stamp}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
