"""PDF edition speed and size: csr-pdf's render against raw WeasyPrint on the same HTML.

    .venv/bin/python benchmarks/pdf_speed.py [--runs 3] [--work /tmp/pdf-speed]

1. Builds the sample report once with the PDF on and keeps the print document
   csr-pdf assembled for each edition (zh-Hant, zh-Hans, en: the HTML WeasyPrint is
   given), with its base URL and the files it embeds.
2. Renders each document, in a fresh process per run (the WeasyPrint import is
   not counted):
   - raw: ``HTML(string=doc, base_url=site).render().write_pdf(target)``, WeasyPrint's
     defaults (untagged, no variant, no attachments);
   - kit: ``csr_kit.pdf.render.render`` as the plugin calls it (tagged PDF/UA-1 or
     PDF/A-3a, page labels, the data files embedded).
3. Renders the two Chinese editions with the kit at the same time (two processes, as
   the plugin's two workers do) and times the pair.

Prints a Markdown table of medians: pages, seconds, pages per second and size.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ("zh-Hant", "zh-Hans", "en")
PAIR = ("zh-Hant", "zh-Hans")  # the two Chinese editions, rendered at once as the plugin does


def script_of(target) -> str:
    """The edition a PDF path belongs to (…-zh-Hant.pdf, …-zh-Hans.pdf, …-en.pdf)."""
    name = Path(target).name
    return next(script for script in SCRIPTS if script in name)


def capture(work: Path) -> None:
    """Build the sample with the PDF on; keep each script's render arguments."""
    os.environ.update(NO_MKDOCS_2_WARNING="1", CSR_KIT_PDF="on")
    sys.path.insert(0, str(ROOT / "plugins"))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import csr_kit.mkdocs.pdf.plugin as plugin

    class Keep:
        """Stands in for the plugin's worker pool: keeps each job instead of running it."""

        def submit(self, function, document, base_url, target, *rest):
            script = script_of(target)
            with open(work / f"job-{script}.pickle", "wb") as out:
                pickle.dump((document, base_url, str(target), rest), out)
            # An empty file where the PDF goes, so the build's end (sizes, cache) runs as usual.
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            Path(target).touch()

            class Done:
                def result(self_inner):
                    return 0

                def cancel(self_inner):
                    return True
            return Done()

        def shutdown(self, **_options):
            pass

    plugin.ProcessPoolExecutor = lambda **_options: Keep()  # capture instead of rendering
    os.chdir(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(work / "site"))
    config.plugins["csr-pdf"].config.cache_dir = str(work / "no-cache")
    build(config)


def render_once(mode: str, job: Path, out: Path) -> None:
    """One render in this process; prints JSON: seconds, pages, bytes."""
    sys.path.insert(0, str(ROOT / "plugins"))
    document, base_url, _target, rest = pickle.loads(job.read_bytes())
    import weasyprint  # noqa: F401  (imported before the clock starts)

    from csr_kit.pdf import render

    start = time.perf_counter()
    if mode == "raw":
        rendered = weasyprint.HTML(string=document, base_url=base_url).render()
        rendered.write_pdf(out)
        pages = len(rendered.pages)
    else:
        pages = render.render(document, base_url, out, *rest)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "pages": pages, "bytes": out.stat().st_size}))


def child(mode: str, job: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--child", mode, str(job), str(out)],
                            stdout=subprocess.PIPE, text=True)


def result(process: subprocess.Popen) -> dict:
    stdout, _ = process.communicate()
    if process.returncode:
        raise SystemExit("a render failed")
    return json.loads(stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/csr-kit-pdf-speed")
    args = parser.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, __file__, "--capture", str(work)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows, pairs = {}, []
    for _run in range(args.runs):
        for script in SCRIPTS:
            job = work / f"job-{script}.pickle"
            for mode in ("raw", "kit"):
                data = result(child(mode, job, work / f"{mode}-{script}.pdf"))
                rows.setdefault((script, mode), []).append(data)
        start = time.perf_counter()
        both = [child("kit", work / f"job-{s}.pickle", work / f"pair-{s}.pdf") for s in PAIR]
        pages = sum(result(p)["pages"] for p in both)
        pairs.append((time.perf_counter() - start, pages))
    print(f"Medians of {args.runs} runs, each render in a fresh process.\n")
    print("| script | renderer | pages | seconds | pages/s | size |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for (script, mode), runs in rows.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        pages = runs[0]["pages"]
        size = runs[0]["bytes"] / 1_000_000
        name = "raw WeasyPrint" if mode == "raw" else "csr-pdf (tagged, labels, attachments)"
        print(f"| {script} | {name} | {pages} | {seconds:.1f} | {pages / seconds:.1f} "
              f"| {size:.2f} MB |")
    wall = statistics.median(w for w, _ in pairs)
    print(f"\nBoth scripts with csr-pdf at once (two processes): {pairs[0][1]} pages in "
          f"{wall:.1f} s wall, {pairs[0][1] / wall:.1f} pages/s.")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--capture"]:
        capture(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--child"]:
        render_once(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
