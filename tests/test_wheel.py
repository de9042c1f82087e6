"""Issue 17: the kit as a versioned dependency. The wheel is built by the project's own
command (`make wheel`'s pip call), installed into a fresh virtual environment, and used
there to start and build a new report, from a folder outside the kit's source.

Honest and fast: the fresh environment gets the wheel with `pip install --no-deps` (the
kit, its entry points and its data files come only from the wheel); its dependencies are
made importable by a .pth line pointing at the project's .venv site-packages, whose own
.pth hooks (the editable install of the kit) are not run that way. The test asserts that
`csr_kit` is imported from the fresh environment. A full `pip install` of the wheel with
its dependencies from the package index takes ~40 s and needs the registry; see README.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # setuptools reuses build/ in the source tree: a file deleted since the last wheel
    # would still be packed (as `make wheel` also knows).
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--disable-pip-version-check", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = out.glob("csr_kit-*.whl")
    return found


def test_wheel_carries_everything_a_report_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("csr_kit/pdf/print.css", "csr_kit/mkdocs/site/csr-site.js",
                   "csr_kit/mkdocs/site/csr-kit.css",
                   "csr_kit/mkdocs/site/templates/partials/languages/zh-Hans.html",
                   "csr_kit/mkdocs/site/templates/partials/languages/zh-Hant.html",
                   "csr_kit/vocabulary/data/office-it.tsv",
                   "csr_kit/templates/new/common/mkdocs.yml",
                   "csr_kit/templates/new/common/github/workflows/publish.yml",
                   "csr_kit/templates/new/hans/docs/index.md",
                   "csr_kit/templates/new/hant/data/kpis.yml",
                   "csr_kit/templates/new/frameworks/gri.yml"):
        assert needed in names, needed
    # The author's guide, which csr-kit new copies into a report (src/csr_kit/guide is a
    # link to the project's guide/ folder).
    guide = {f"csr_kit/guide/{p.name}" for p in (ROOT / "guide").glob("*.md")}
    assert "csr_kit/guide/roll-over.md" in guide and guide <= names, guide - names
    # Every file the source package holds (besides Python caches) is in the wheel.
    package = ROOT / "src" / "csr_kit"
    source = {("csr_kit/" + p.relative_to(package).as_posix()) for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    # The comparison means something: the package's modules, data and templates are there.
    assert {"csr_kit/cli.py", "csr_kit/pdf/print.css", "csr_kit/vocabulary/data/office-it.tsv",
            "csr_kit/templates/new/hans/data/kpis.yml"} <= source
    assert len(source) > 100
    assert source - names == set(), sorted(source - names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for name in ("csr-kit = csr_kit.cli:main", "csr-convert", "csr-glossary", "csr-kpi",
                 "csr-frameworks", "csr-site", "csr-pdf"):
        assert name in text


def test_fresh_environment_starts_and_builds_a_report(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True).stdout.strip()
    (Path(site) / "csr-kit-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q",
                           "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    where = subprocess.run([str(python), "-c", "import csr_kit; print(csr_kit.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path).stdout
    assert where.startswith(str(env_dir)), where

    csr_kit = str(env_dir / "bin" / "csr-kit")
    report = tmp_path / "acme"
    made = subprocess.run([csr_kit, "new", str(report), "--no-input", "--organisation",
                           "示例环保科技有限公司", "--year", "2025", "--source", "zh-Hans"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    assert (report / "guide" / "roll-over.md").is_file()  # the guide, from the wheel
    version = wheel.name.split("-")[1]
    assert f"csr-kit=={version}" in (report / "requirements.txt").read_text(encoding="utf-8")
    built = subprocess.run([csr_kit, "build", "--no-pdf"], capture_output=True, text=True,
                           cwd=report, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    home = (report / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans"' in home and "示例环保科技有限公司" in home
    assert (report / "site" / "zh-Hant" / "index.html").is_file()
