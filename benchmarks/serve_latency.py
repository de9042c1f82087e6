"""Live-preview latency: from saving a page to the rebuilt page being served.

Runs `csr-kit serve` on a copy of the sample report (the repository's own
docs/ and data/ are never touched), appends a sentence to a page, and polls
the page over HTTP until the sentence appears.  The same is done with plain
`mkdocs serve` on a second copy whose mkdocs.yml has the csr-* plugins
removed (same pages, theme, i18n and search), side by side, and the ratio of
the medians is reported.

    .venv/bin/python benchmarks/serve_latency.py [--runs 7] [--page people.md]

Prints a Markdown table; --json writes the raw figures to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SKIP = {".venv", ".git", "site", ".pytest_cache", ".hypothesis", "benchmarks", ".cache",
        "__pycache__", "screenshots"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(target: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP or n.startswith(".site-")} if \
            Path(folder) == ROOT else {n for n in names if n == "__pycache__"}

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


def plain_config(project: Path) -> None:
    """mkdocs.yml without the csr-* plugins (and not strict: the raw directives stay as text)."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    out, skipping = [], False
    for line in text.splitlines():
        if re.match(r"^  - csr-[\w-]+", line):
            skipping = True
            continue
        if skipping and re.match(r"^      ", line):
            continue
        skipping = False
        out.append(line)
    text = "\n".join(out) + "\n"
    text = re.sub(r"(?m)^strict:\s*true\s*$", "strict: false", text)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    # Material names its Simplified Chinese strings 'zh'; csr-site ships the 'zh-Hans' file
    # the i18n plugin asks for, so the plain stack gets Material's own copy of it.
    import material

    templates = Path(material.__file__).parent / "templates" / "partials" / "languages"
    match = re.search(r"(?m)^  custom_dir:\s*(\S+)", text)
    if match is None:
        text = re.sub(r"(?m)^theme:\n", "theme:\n  custom_dir: overrides\n", text, count=1)
        (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    target = project / (match.group(1) if match else "overrides") / "partials" / "languages"
    if not (target / "zh-Hans.html").exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(templates / "zh.html", target / "zh-Hans.html")


def fetch(url: str, timeout: float = 60) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_until_served(url: str, process: subprocess.Popen, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode})")
        if fetch(url, timeout=5) is not None:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} was not served within {limit:.0f} s")


def measure(command: list[str], project: Path, port: int, page: str, runs: int,
            settle: float, env: dict[str, str], label: str) -> dict[str, list[float]]:
    """Seconds from saving the page to the new text on the page, in each script."""
    name = Path(page).with_suffix("").as_posix()
    urls = {"zh-Hant": f"http://127.0.0.1:{port}/{name}/",
            "zh-Hans": f"http://127.0.0.1:{port}/zh-Hans/{name}/"}
    # Closed in the finally below, once the server has stopped writing to it.
    log = open(project / f"{label}-serve.log", "w", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen(command + ["-a", f"127.0.0.1:{port}"], cwd=project, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    latencies: dict[str, list[float]] = {script: [] for script in urls}
    try:
        for url in urls.values():
            wait_until_served(url, process)
        time.sleep(settle)
        path = project / "docs" / page
        for i in range(runs):
            # Latin letters and digits read the same in both scripts.
            marker = f"latency{label}{i}x{os.getpid()}"
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"\n\n延遲測試 {marker}。\n")
            saved = time.monotonic()
            for script, url in urls.items():
                while True:
                    body = fetch(url)
                    if body is not None and marker in body:
                        latencies[script].append(time.monotonic() - saved)
                        break
                    if process.poll() is not None:
                        raise RuntimeError(f"{label}: the server stopped during the run")
                    if time.monotonic() - saved > 120:
                        raise RuntimeError(f"{label}: edit {i} was not served within 120 s")
                    time.sleep(0.02)
            time.sleep(settle)  # let the server go idle before the next edit
    except RuntimeError:
        log.flush()
        print((project / f"{label}-serve.log").read_text(encoding="utf-8")[-3000:],
              file=sys.stderr)
        raise
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page", default="people.md", help="page under docs/ to edit")
    parser.add_argument("--settle", type=float, default=1.5,
                        help="seconds to wait between edits")
    parser.add_argument("--json", action="store_true", help="write benchmarks/out/serve.json")
    parser.add_argument("--kit-only", action="store_true")
    args = parser.parse_args()

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results: dict[str, dict[str, list[float]]] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="csr-serve-bench-") as folder:
        kit = copy_project(Path(folder) / "kit")
        results["csr-kit serve"] = measure([str(VENV_BIN / "csr-kit"), "serve"], kit,
                                           free_port(), args.page, args.runs, args.settle,
                                           env, "kit")
        if not args.kit_only:
            plain = copy_project(Path(folder) / "plain")
            plain_config(plain)
            results["mkdocs serve (no csr plugins)"] = measure(
                [str(VENV_BIN / "mkdocs"), "serve"], plain, free_port(), args.page, args.runs,
                args.settle, env, "plain")
    load_after = os.getloadavg()
    print(f"Save-to-served latency, {args.runs} edits of docs/{args.page} "
          f"({os.cpu_count()} CPU cores; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after)\n")
    print("| server | page | median | min | max |")
    print("| --- | --- | --- | --- | --- |")
    for name, scripts in results.items():
        for script, values in scripts.items():
            print(f"| {name} | {script} | {statistics.median(values):.2f} s | "
                  f"{min(values):.2f} s | {max(values):.2f} s |")
    if len(results) == 2:
        kit, plain = results.values()
        for script in kit:
            ratio = statistics.median(kit[script]) / statistics.median(plain[script])
            print(f"\nratio csr-kit / plain, {script} page: {ratio:.2f}")
    if args.json:
        out = ROOT / "benchmarks" / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "serve.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
