"""Build one project with two copies of the csr_kit plugins, alternating, and compare.

    .venv/bin/python benchmarks/compare_plugins.py PROJECT BASE_PLUGINS FIXED_PLUGINS [--runs 3]

BASE_PLUGINS and FIXED_PLUGINS are folders holding a ``csr_kit`` package (e.g. a copy
of ``plugins/`` with a patch applied); each build runs ``mkdocs build`` (both scripts,
PDF off) in its own process with that folder first on PYTHONPATH, so the repository's
own plugins are never touched.  Prints the CPU and wall medians and peak RSS of each,
and whether the last two sites are identical (``diff -r``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def build(project: Path, plugins: Path, site: Path) -> tuple[float, float, float]:
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(plugins), "NO_MKDOCS_2_WARNING": "1",
           "CSR_KIT_PDF": "off", "PYTHONDONTWRITEBYTECODE": "1"}
    with open(f"{site}.log", "w", encoding="utf-8") as log:
        started = time.perf_counter()
        process = subprocess.Popen([str(VENV_BIN / "mkdocs"), "build", "-q", "-d", str(site)],
                                   cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the build with {plugins} failed: see {site}.log")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("base", type=Path)
    parser.add_argument("fixed", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="csr-compare-"))
    results: dict[str, list[tuple[float, float, float]]] = {"base": [], "fixed": []}
    for i in range(args.runs):
        for name, plugins in (("base", args.base), ("fixed", args.fixed)):
            figures = build(args.project.resolve(), plugins.resolve(), work / f"site-{name}")
            results[name].append(figures)
            print(f"run {i + 1} {name}: {figures[0]:.1f} s CPU, {figures[1]:.1f} s wall, "
                  f"{figures[2]:.0f} MB", flush=True)
    for name, rows in results.items():
        print(f"{name}: median {statistics.median(r[0] for r in rows):.1f} s CPU, "
              f"{statistics.median(r[1] for r in rows):.1f} s wall, peak "
              f"{max(r[2] for r in rows):.0f} MB")
    same = subprocess.run(["diff", "-rq", str(work / "site-base"), str(work / "site-fixed")],
                          capture_output=True, text=True)
    print("sites identical" if same.returncode == 0 else "sites differ:\n" + same.stdout[:2000])
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
