"""Starting next year's report from this year's (``csr-kit rollover``).

What changes, by editing only the lines concerned (comments, order and
layout of the files stay as they are):

- ``data/kpis.yml``: the current period becomes the new year and the previous
  period becomes this year, so this year's figures are the comparison;
  every figure already entered is kept;
- ``data/report.yml``: ``year`` and the reporting ``period`` move on one year.

- ``data/published-figures.yml``: this year's figures (and the KPIs' notes) as
  published (see ``kpi/published.py``), so that ``csr-kit check`` asks for a new note
  on a restatement.

Nothing else is written.  The files are copied to
``backups/rollover-<old>-to-<new>/`` first, and the command refuses to run
if the report already is at the new year (or that backup exists), so running
it twice by accident changes nothing.  It then prints a checklist of what the
authors must update, each item as ``file:line: what — how``.

No MkDocs imports here.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .checks import Project, check_data, load_project, page_files
from .datafile import decode_text, load_yaml
from .errors import Problem, SourceError, SourceErrors
from .kpi import published as published_lib
from .runner import format_problems

BACKUP_DIR = "backups"


class RolloverError(Exception):
    """The roll-over cannot go ahead; nothing was changed."""


@dataclass
class TextFile:
    """A file's text split in lines, written back with its own encoding details."""

    path: Path
    shown: str
    lines: list[str]  # without line ends
    newline: str = "\n"
    bom: bool = False
    final_newline: bool = True

    @classmethod
    def read(cls, path: Path, shown: str) -> TextFile:
        raw = path.read_bytes()
        text = decode_text(raw, shown)
        newline = "\r\n" if "\r\n" in text else "\n"
        body = text.replace("\r\n", "\n")
        return cls(path, shown, body.split("\n")[:-1] if body.endswith("\n") else body.split("\n"),
                   newline, raw.startswith(b"\xef\xbb\xbf"), body.endswith("\n"))

    def text(self) -> str:
        body = self.newline.join(self.lines) + (self.newline if self.final_newline else "")
        return body

    def data(self) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + self.text().encode("utf-8")


@dataclass
class Plan:
    old: str
    new: str
    old_previous: str | None
    kpis: TextFile
    report: TextFile | None
    old_year: int | None = None
    new_year: int | None = None
    changes: list[str] = field(default_factory=list)
    inserted_line: bool = False
    checklist: list[Problem] = field(default_factory=list)
    backup: Path | None = None
    # data/published-figures.yml: the closing report's figures, to catch restatements.
    published: TextFile | None = None


def next_period(period: str) -> str | None:
    """'2021' → '2022', '2021/22' → '2022/23', 'FY2021' → 'FY2022'; None if unclear."""
    if m := re.fullmatch(r"(\D*)(\d{4})(\D*)", period):
        return f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}"
    if m := re.fullmatch(r"(\D*)(\d{4})([/-])(\d{2}|\d{4})(\D*)", period):
        second = int(m.group(4)) + 1
        width = len(m.group(4))
        return (f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}"
                f"{second % (10 ** width):0{width}d}{m.group(5)}")
    return None


def _year_in(period: str) -> int | None:
    m = re.search(r"\d{4}", period)
    return int(m.group(0)) if m else None


def _replace_value(line: str, key: str, old: str, new: str) -> str | None:
    """``key: old`` → ``key: new`` on one line, keeping quotes and everything else."""
    pattern = re.compile(r"((?:^|[{,\s])" + re.escape(key) + r"\s*:\s*)([\"']?)"
                         + re.escape(old) + r"\2(?=\s*(?:[,}#]|$))")
    result, count = pattern.subn(lambda m: f"{m.group(1)}{m.group(2)}{new}{m.group(2)}", line,
                                 count=1)
    return result if count else None


def _shift_date(value: datetime.date) -> datetime.date:
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


def _data_path(project: Project, plugin: str, option: str, default: str) -> str:
    options = project.plugin_options(plugin) or {}
    return str(options.get(option) or default)


def make_plan(project: Project, to: str | None = None) -> Plan:
    """Work out the roll-over and its checklist; raises RolloverError, changes nothing."""
    root = project.root
    kpis_shown = _data_path(project, "csr-kpi", "kpis", "data/kpis.yml")
    report_shown = _data_path(project, "csr-frameworks", "report", "data/report.yml")
    kpis_path, report_path = root / kpis_shown, root / report_shown
    if not kpis_path.is_file():
        raise RolloverError(f"{kpis_shown}: the KPI data file is missing — the roll-over "
                            "starts from it; restore it first")
    _refuse_if_rolled_over(project, kpis_path, kpis_shown)
    problems = [p for p in check_data(project) if p.severity == "error"
                and p.path in (kpis_shown, report_shown)]
    if problems:
        raise RolloverError("\n".join(str(p) for p in problems) +
                            "\nThese must be fixed before the roll-over (run csr-kit check).")
    try:
        kpis = TextFile.read(kpis_path, kpis_shown)
        data, lines = load_yaml(kpis.text(), kpis_shown)
    except (SourceError, SourceErrors) as err:
        raise RolloverError(str(err)) from None
    periods = (data or {}).get("periods") or {}
    old = str(periods.get("current"))
    old_previous = periods.get("previous")
    old_previous = str(old_previous) if old_previous is not None else None
    new = to or next_period(old)
    if not new:
        raise RolloverError(f"{kpis_shown}:{lines.get(('periods', 'current'))}: the current "
                            f"period '{old}' is not a year — say which period comes next, "
                            "e.g. csr-kit rollover --to 2022/23")
    if new == old:
        raise RolloverError(f"{kpis_shown}:{lines.get(('periods', 'current'))}: the current "
                            f"period already is {new} — the report has been rolled over; "
                            "nothing was changed")
    known = {str(p) for k in data.get("kpis") or [] for p in (k.get("values") or {})}
    old_year, new_year = _year_in(old), _year_in(new)
    if old_year and new_year and new_year < old_year:
        raise RolloverError(f"the new period {new} comes before the current one ({old}) — "
                            "nothing was changed")
    if old_previous == new:
        raise RolloverError(f"{kpis_shown}: the previous period is {new} already — "
                            "nothing was changed")
    plan = Plan(old, new, old_previous, kpis, None)

    # data/kpis.yml: the two period lines.
    current_line = lines.get(("periods", "current"))
    previous_line = lines.get(("periods", "previous"))
    if current_line is None:  # the checks above read the KPI data: periods.current is there
        raise RolloverError(f"{kpis_shown}: no 'current:' period — nothing was changed")
    index = current_line - 1
    edited = _replace_value(kpis.lines[index], "current", old, new)
    if edited is None:
        raise RolloverError(f"{kpis_shown}:{current_line}: csr-kit could not find "
                            f"'current: {old}' on this line — write it on one line, e.g. "
                            f"periods: {{current: \"{old}\", previous: \"…\"}}")
    kpis.lines[index] = edited
    if previous_line is not None and old_previous is not None:
        index = previous_line - 1
        edited = _replace_value(kpis.lines[index], "previous", old_previous, old)
        if edited is None:
            raise RolloverError(f"{kpis_shown}:{previous_line}: csr-kit could not find "
                                f"'previous: {old_previous}' on this line — write it on one "
                                "line")
        kpis.lines[index] = edited
    else:
        line = kpis.lines[current_line - 1]
        quote = '"' if re.search(r"current\s*:\s*\"", line) else ("'" if re.search(
            r"current\s*:\s*'", line) else '"')
        if re.search(r"\bcurrent\s*:[^}]*\}", line):  # {current: …} on one line
            kpis.lines[current_line - 1] = re.sub(
                r"(\bcurrent\s*:\s*[\"']?" + re.escape(new) + r"[\"']?)",
                lambda m: f"{m.group(1)}, previous: {quote}{old}{quote}", line, count=1)
        else:
            indent = line[:len(line) - len(line.lstrip())]
            kpis.lines.insert(current_line, f"{indent}previous: {quote}{old}{quote}")
            plan.inserted_line = True
    plan.changes.append(f"{kpis_shown}: the current period is now {new}; {old} becomes the "
                        f"previous period (its figures stay, as the comparison)")
    _verify_kpis(kpis, new, old)

    # data/published-figures.yml: this year's figures as published.
    record_path = published_lib.path_for(kpis_path)
    record_shown = Path(kpis_shown).parent.joinpath(published_lib.FILE_NAME).as_posix()
    record_text = published_lib.dump(old, [(str(k.get("id")), k.get("values") or {},
                                            k.get("note"))
                                           for k in data.get("kpis") or []
                                           if isinstance(k, dict)])
    plan.published = TextFile(record_path, record_shown, record_text.split("\n")[:-1])
    plan.changes.append(f"{record_shown}: the {old} figures as published (with the KPIs' "
                        "notes) — csr-kit check then asks for a new note on any earlier "
                        "year's figure changed later (a restatement)")

    # data/report.yml: year and period.
    if report_path.is_file():
        plan.report = _roll_report(report_path, report_shown, old_year, new_year, plan)
    _checklist(project, plan, data, lines, known)
    return plan


def _refuse_if_rolled_over(project: Project, path: Path, shown: str) -> None:
    """A current period without figures means the roll-over was done and not yet filled in."""
    try:
        data, lines = load_yaml(decode_text(path.read_bytes(), shown), shown)
    except (SourceError, SourceErrors, OSError):
        return  # the data check explains what is wrong with the file
    if not isinstance(data, dict) or not isinstance(data.get("periods"), dict):
        return
    current = str(data["periods"].get("current"))
    kpis = [k for k in data.get("kpis") or [] if isinstance(k, dict)]
    empty = [k for k in kpis if current not in {str(p) for p in (k.get("values") or {})}]
    if kpis and len(empty) == len(kpis):
        backups = sorted((project.root / BACKUP_DIR).glob(f"rollover-*-to-{_safe(current)}"))
        where = f" (the files as they were are in {project.shown(backups[-1])}/)" \
            if backups else ""
        raise RolloverError(f"{shown}:{lines.get(('periods', 'current'))}: no KPI has a "
                            f"figure for the current period {current} yet: the report was "
                            f"already rolled over to {current}{where} — fill in the "
                            f"{current} figures first; nothing was changed")


def _verify_kpis(kpis: TextFile, new: str, old: str) -> None:
    try:
        data, _ = load_yaml(kpis.text(), kpis.shown)
    except (SourceError, SourceErrors) as err:  # pragma: no cover - a bug if it happens
        raise RolloverError(f"csr-kit made a mistake editing {kpis.shown} ({err}); nothing "
                            "was changed") from None
    periods = data.get("periods") or {}
    if str(periods.get("current")) != new or str(periods.get("previous")) != old:
        raise RolloverError(f"csr-kit could not edit the periods in {kpis.shown} safely; "
                            f"nothing was changed — set current: \"{new}\" and previous: "
                            f"\"{old}\" by hand")


def _roll_report(path: Path, shown: str, old_year: int | None, new_year: int | None,
                 plan: Plan) -> TextFile:
    report = TextFile.read(path, shown)
    try:
        data, lines = load_yaml(report.text(), shown)
    except (SourceError, SourceErrors) as err:
        raise RolloverError(str(err)) from None
    year = data.get("year")
    if isinstance(year, int):
        target = new_year if (new_year and year == old_year) else year + 1
        if old_year and year != old_year and new_year and year == new_year:
            raise RolloverError(f"{shown}:{lines.get(('year',))}: the report's year is "
                                f"{year} already, but the KPI data's current period is "
                                f"{plan.old} — make them agree by hand first; nothing was "
                                "changed")
        line = lines[("year",)]
        edited = _replace_value(report.lines[line - 1], "year", str(year), str(target))
        if edited is None:
            raise RolloverError(f"{shown}:{line}: csr-kit could not find 'year: {year}' on "
                                "this line; nothing was changed")
        report.lines[line - 1] = edited
        plan.old_year, plan.new_year = year, target
        plan.changes.append(f"{shown}: year {year} → {target}")
    period = data.get("period")
    if isinstance(period, dict):
        for key in ("start", "end"):
            value = period.get(key)
            if not isinstance(value, datetime.date):
                continue
            line = lines[("period", key)]
            moved = _shift_date(value)
            edited = _replace_value(report.lines[line - 1], key, value.isoformat(),
                                    moved.isoformat())
            if edited is None:
                raise RolloverError(f"{shown}:{line}: csr-kit could not find "
                                    f"'{key}: {value.isoformat()}' on this line; nothing "
                                    "was changed")
            report.lines[line - 1] = edited
        plan.changes.append(f"{shown}: the reporting period moves on one year")
    try:
        load_yaml(report.text(), shown)
    except (SourceError, SourceErrors) as err:  # pragma: no cover
        raise RolloverError(f"csr-kit made a mistake editing {shown} ({err}); nothing was "
                            "changed") from None
    return report


_CODE_FENCE = re.compile(r"^\s*(```|~~~)")


def _mentions(path: Path, shown: str, needles: list[str]) -> list[tuple[int, str]]:
    """Lines (outside fenced code) mentioning a year, as a whole number."""
    try:
        text = decode_text(path.read_bytes(), shown)
    except (OSError, SourceError):
        return []
    pattern = re.compile(r"(?<!\d)(?:" + "|".join(re.escape(n) for n in needles) + r")(?!\d)")
    found, fenced = [], False
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if _CODE_FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and pattern.search(line):
            found.append((number, line.strip()))
    return found


def _checklist(project: Project, plan: Plan, data: dict, lines: dict, known: set[str]) -> None:
    items = plan.checklist
    kpis_shown = plan.kpis.shown
    offset = 1 if plan.inserted_line else 0  # a 'previous:' line was added
    periods_line = lines.get(("periods", "current")) or 0

    def moved(line: int | None) -> int | None:
        return line + offset if line and line > periods_line else line

    for i, kpi in enumerate(data.get("kpis") or []):
        values = kpi.get("values") or {}
        kid = kpi.get("id", f"#{i + 1}")
        if plan.new not in {str(k) for k in values}:
            items.append(Problem(kpis_shown, moved(lines.get(("kpis", i, "values"))),
                                 f"KPI '{kid}' has no figure for {plan.new} yet",
                                 f"add \"{plan.new}\": <number> under values: (keep "
                                 f"\"{plan.old}\", it is the comparison)", "warning",
                                 "rollover"))
        if kpi.get("note"):
            items.append(Problem(kpis_shown, moved(lines.get(("kpis", i, "note"))),
                                 f"KPI '{kid}' has a note written for {plan.old}",
                                 f"check that it still applies to {plan.new}, or remove it",
                                 "warning", "rollover"))
    root = project.root
    omissions = _data_path(project, "csr-frameworks", "omissions", "data/omissions.yml")
    if (root / omissions).is_file():
        try:
            odata, olines = load_yaml(decode_text((root / omissions).read_bytes(), omissions),
                                      omissions)
        except (SourceError, SourceErrors, OSError):
            odata, olines = None, {}
        for fid, entries in (odata or {}).items() if isinstance(odata, dict) else []:
            for j, entry in enumerate(entries or []):
                if isinstance(entry, dict):
                    items.append(Problem(omissions, olines.get((fid, j, "item")) or
                                         olines.get((fid, j)),
                                         f"{fid} {entry.get('item')} is omitted "
                                         f"({entry.get('reason')})",
                                         f"check that the reason still holds for {plan.new}, "
                                         "or report the item and remove the omission",
                                         "warning", "rollover"))
    years = [str(plan.old_year)] if plan.old_year else []
    if plan.old not in years:
        years.append(plan.old)
    if not years:
        return
    text_files = [project.config_file]
    data_dir = root / "data"
    if data_dir.is_dir():
        text_files += sorted(p for p in data_dir.rglob("*.yml")
                             if p.resolve() != (root / kpis_shown).resolve()
                             and "frameworks" not in p.relative_to(data_dir).parts)
    text_files += page_files(project)
    report_new = plan.report
    for path in text_files:
        shown = project.shown(path)
        if report_new is not None and path.resolve() == report_new.path.resolve():
            body = report_new.text().split("\n" if report_new.newline == "\n" else "\r\n")
            pattern = re.compile(r"(?<!\d)(?:" + "|".join(map(re.escape, years)) + r")(?!\d)")
            hits = [(n, row.strip()) for n, row in enumerate(body, 1) if pattern.search(row)]
        else:
            hits = _mentions(path, shown, years)
        year_pattern = re.compile(r"(?<!\d)(?:" + "|".join(map(re.escape, years)) + r")(?!\d)")
        for number, line in hits:
            excerpt = line
            if len(line) > 60:
                m = year_pattern.search(line)
                start = max(0, (m.start() if m else 0) - 25)
                excerpt = ("…" if start else "") + line[start:start + 55] + \
                    ("…" if start + 55 < len(line) else "")
            items.append(Problem(shown, number, f"mentions {' or '.join(years)}: {excerpt}",
                                 f"update it for {plan.new} if it is about the report's year",
                                 "warning", "rollover"))


def apply(plan: Plan, project: Project) -> None:
    """Back up the two files, then write both (each replaced in one step)."""
    backup = project.root / BACKUP_DIR / _safe(f"rollover-{plan.old}-to-{plan.new}")
    if backup.exists():
        raise RolloverError(f"{project.shown(backup)}/ exists: this roll-over was done before. "
                            "Nothing was changed — if you restored the old files and really "
                            "want to roll over again, rename or delete that folder first")
    files = [plan.kpis] + ([plan.report] if plan.report else [])
    for item in files + ([plan.published] if plan.published else []):
        if not item.path.exists():
            continue  # a file the roll-over creates
        target = backup / item.shown
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(item.path, target)
    if plan.published:
        files.append(plan.published)
    plan.backup = backup
    written: list[tuple[TextFile, bytes | None]] = []
    try:
        for item in files:
            original = item.path.read_bytes() if item.path.exists() else None
            _write_atomically(item.path, item.data())
            written.append((item, original))
    except BaseException:
        for item, original in written:  # put back what was already written
            if original is None:
                item.path.unlink(missing_ok=True)
            else:
                _write_atomically(item.path, original)
        raise


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name)


def _write_atomically(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def run(config_file: Path, to: str | None = None, dry_run: bool = False) -> int:
    """The ``csr-kit rollover`` command."""
    project, problems = load_project(config_file)
    if project.config is None:
        print(format_problems(problems, labelled=True))
        print("The roll-over needs a readable mkdocs.yml; nothing was changed.")
        return 1
    try:
        plan = make_plan(project, to)
        if not dry_run:
            apply(plan, project)
    except RolloverError as err:
        print(f"{err}")
        print("The roll-over did not run.")
        return 1
    verb = "Would change" if dry_run else "Changed"
    print(f"{'Dry run: ' if dry_run else ''}Roll-over from {plan.old} to {plan.new}.\n")
    print(f"{verb}:")
    for change in plan.changes:
        print(f"  - {change}")
    if plan.backup is not None:
        print(f"\nThe files as they were are kept in {project.shown(plan.backup)}/.")
    if (project.root / ".git").exists():
        print(f"Tip: keep {plan.old}'s report whole in Git too, e.g. "
              f"git tag report-{_safe(plan.old)} (on the commit before this change).")
    else:
        print(f"Tip: keep a copy of the whole report folder as {plan.old}'s edition.")
    print(f"\nChecklist for {plan.new} — {len(plan.checklist)} item(s) to update or review:\n")
    if plan.checklist:
        print(format_problems(plan.checklist, noun="item"))
    print(f"When the figures for {plan.new} are in, run csr-kit check: it lists what is "
          "still missing.")
    return 0
