"""Summarise a pyinstrument session of a build: where the time goes, by package and plugin.

    .venv/bin/pyinstrument -r session -o build.pyisession -m mkdocs build -q -d /tmp/site
    .venv/bin/python benchmarks/profile_summary.py build.pyisession [--top 25]

Prints (1) self time by package (csr_kit, material, mkdocs_static_i18n, jieba,
markdown, …), (2) time under the csr-kit plugins: each outermost csr_kit frame's
inclusive time (what the plugin costs, libraries it calls included) summed by
function, and (3) for the costliest of those, which packages the time is spent in.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict

from pyinstrument.session import Session

PACKAGE = re.compile(r"(?:site-packages|lib/python3\.\d+)/([^/]+)")


def package(frame) -> str:
    path = frame.file_path or ""
    if "/csr_kit/" in path:
        return "csr_kit"
    m = PACKAGE.search(path)
    if m:
        name = m.group(1)
        return name[:-3] if name.endswith(".py") else name
    if path.startswith("<") or not path:
        return "<builtin>"
    return "other"


def self_time(frame) -> float:
    return max(0.0, frame.time - sum(c.time for c in frame.children))


def walk(frame, inside_kit=None, path=()):
    """Yield (frame, outermost csr_kit ancestor or None)."""
    yield frame, inside_kit
    mine = package(frame) == "csr_kit"
    for child in frame.children:
        yield from walk(child, inside_kit if inside_kit is not None or not mine else frame)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("session")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    session = Session.load(args.session)
    root = session.root_frame()
    total = root.time
    by_package: dict[str, float] = defaultdict(float)
    kit_outer: dict[str, float] = defaultdict(float)
    kit_outer_pkgs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    kit_self_by_func: dict[str, float] = defaultdict(float)
    under_kit_by_pkg: dict[str, float] = defaultdict(float)
    for frame, outer in walk(root):
        own = self_time(frame)
        pkg = package(frame)
        by_package[pkg] += own
        if pkg == "csr_kit" and outer is None:
            # Outermost csr_kit frame: the plugin's whole cost below this call.
            pass
        key_frame = frame if (pkg == "csr_kit" and outer is None) else outer
        if key_frame is not None:
            key = f"{key_frame.function}  {key_frame.file_path_short}:{key_frame.line_no}"
            if key_frame is frame:
                kit_outer[key] += frame.time
            kit_outer_pkgs[key][pkg] += own
            under_kit_by_pkg[pkg] += own
        if pkg == "csr_kit":
            kit_self_by_func[f"{frame.function}  {frame.file_path_short}:{frame.line_no}"] += own
    print(f"Profile: {args.session}; {total:.1f} s in all (wall, sampled)\n")
    print("(1) Self time by package")
    for pkg, t in sorted(by_package.items(), key=lambda x: -x[1])[:args.top]:
        print(f"  {t:8.2f} s  {t / total * 100:5.1f}%  {pkg}")
    kit_total = sum(kit_outer.values())
    print(f"\n(2) Time under csr_kit frames (outermost csr_kit call, libraries included): "
          f"{kit_total:.2f} s = {kit_total / total * 100:.1f}% of the build")
    for key, t in sorted(kit_outer.items(), key=lambda x: -x[1])[:args.top]:
        print(f"  {t:8.2f} s  {t / total * 100:5.1f}%  {key}")
    print("\n    …of which, by package where the time is spent:")
    for pkg, t in sorted(under_kit_by_pkg.items(), key=lambda x: -x[1])[:12]:
        print(f"  {t:8.2f} s  {pkg}")
    print("\n(3) Costliest csr_kit entry points, by package below them")
    for key, t in sorted(kit_outer.items(), key=lambda x: -x[1])[:8]:
        parts = ", ".join(f"{p} {v:.2f}" for p, v in
                          sorted(kit_outer_pkgs[key].items(), key=lambda x: -x[1])[:6])
        print(f"  {t:7.2f} s  {key}\n            {parts}")
    print("\n(4) Self time in csr_kit functions")
    for key, t in sorted(kit_self_by_func.items(), key=lambda x: -x[1])[:args.top]:
        print(f"  {t:8.2f} s  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
