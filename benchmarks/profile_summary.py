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

PACKAGE = re.compile(r"(?:site-packages/|/lib/python3\.\d+/(?!site-packages))([^/]+)")


def _real(frame) -> bool:
    path = frame.file_path or ""
    return not getattr(frame, "is_synthetic", False) and bool(path) and not path.startswith("<")


def package(frame, parent: str = "<root>") -> str:
    """The package a frame's code is in; built-ins (str.replace, re's C code) and
    pyinstrument's synthetic frames ([self]…) count for the package that called them."""
    if not _real(frame):
        return parent
    path = frame.file_path
    if "/csr_kit/" in path:
        return "csr_kit"
    m = PACKAGE.search(path)
    if m:
        name = m.group(1)
        return name[:-3] if name.endswith(".py") else name
    return "other"


def self_time(frame) -> float:
    return max(0.0, frame.time - sum(c.time for c in frame.children))


def label(frame) -> str:
    return f"{frame.function}  {frame.file_path_short}:{frame.line_no}"


def walk(frame, parent_pkg="<root>", owner=None, outer=None):
    """Yield (frame, package, nearest real frame, outermost csr_kit frame or None)."""
    pkg = package(frame, parent_pkg)
    if _real(frame):
        owner = frame
        if outer is None and pkg == "csr_kit":
            outer = frame
    yield frame, pkg, owner, outer
    for child in frame.children:
        yield from walk(child, pkg, owner, outer)


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
    kit_self: dict[str, float] = defaultdict(float)
    under_kit: dict[str, float] = defaultdict(float)
    for frame, pkg, owner, outer in walk(root):
        own = self_time(frame)
        by_package[pkg] += own
        if outer is not None:
            if outer is frame:
                kit_outer[label(frame)] += frame.time
            kit_outer_pkgs[label(outer)][pkg] += own
            under_kit[pkg] += own
        if pkg == "csr_kit" and own and owner is not None:
            kit_self[label(owner)] += own
    print(f"Profile: {args.session}; {total:.1f} s in all (sampled wall time)\n")
    print("(1) Self time by package (built-ins counted for their caller's package)")
    for pkg, t in sorted(by_package.items(), key=lambda x: -x[1])[:args.top]:
        print(f"  {t:8.2f} s  {t / total * 100:5.1f}%  {pkg}")
    kit_total = sum(kit_outer.values())
    print(f"\n(2) Time below csr_kit frames (outermost csr_kit call, libraries it calls "
          f"included): {kit_total:.2f} s = {kit_total / total * 100:.1f}% of the build")
    for key, t in sorted(kit_outer.items(), key=lambda x: -x[1])[:args.top]:
        print(f"  {t:8.2f} s  {t / total * 100:5.1f}%  {key}")
    print("\n    ...of which, by the package the time is spent in:")
    for pkg, t in sorted(under_kit.items(), key=lambda x: -x[1])[:12]:
        print(f"  {t:8.2f} s  {pkg}")
    print("\n(3) Costliest csr_kit entry points, by package below them")
    for key, t in sorted(kit_outer.items(), key=lambda x: -x[1])[:10]:
        parts = ", ".join(f"{p} {v:.2f}" for p, v in
                          sorted(kit_outer_pkgs[key].items(), key=lambda x: -x[1])[:6])
        print(f"  {t:7.2f} s  {key}\n             {parts}")
    print("\n(4) Self time in csr_kit functions (built-ins they call included)")
    for key, t in sorted(kit_self.items(), key=lambda x: -x[1])[:args.top]:
        print(f"  {t:8.2f} s  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
