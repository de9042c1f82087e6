"""Cost of the script conversion: the sample report built with csr-convert and without.

    .venv/bin/python benchmarks/conversion_ratio.py --runs 5

Both variants build the same pages (both scripts, PDF off) in fresh processes,
alternating, from a copy of the project; the second variant's mkdocs.yml has
the csr-convert plugin removed (its Simplified pages then show the Traditional
text). Prints the median wall time of each and their ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(project: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CSR_KIT_PDF="off")
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "-d", str(site)],
                   cwd=project, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="csr-conversion-"))
    projects = {}
    for name in ("with", "without"):
        target = work / name
        shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(
            ".venv", ".git", "site", ".cache", "benchmarks", "tests", "screenshots"))
        projects[name] = target
    config = projects["without"] / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"  - csr-convert:\n(      .*\n)*", "", text), encoding="utf-8")
    times: dict[str, list[float]] = {"with": [], "without": []}
    build(projects["with"], work / "warm")  # jieba's cache and the OS file cache
    for _ in range(args.runs):
        for name, project in projects.items():
            times[name].append(build(project, work / f"site-{name}"))
    with_, without = statistics.median(times["with"]), statistics.median(times["without"])
    print(f"runs: {args.runs}; load average {os.getloadavg()[0]:.2f}")
    print(f"with csr-convert:    median {with_:.2f} s  {[round(t, 2) for t in times['with']]}")
    print(f"without csr-convert: median {without:.2f} s  {[round(t, 2) for t in times['without']]}")
    print(f"ratio with / without: {with_ / without:.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
