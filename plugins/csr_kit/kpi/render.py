"""KPI values as text and HTML: inline values, callout cards, charts, the appendix.

Every function takes the page's script; labels the data gives for that
script are used as written, others come from the source script and are
converted with the rest of the page.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Optional

from ..text import Labels, script_of, ui
from .model import KPI, ChartSpec, KPIData, Unit

UI = {
    "versus": {"zh-Hant": "較", "zh-Hans": "较"},
    "year": {"zh-Hant": "年", "zh-Hans": "年"},
    "assured": {"zh-Hant": "經獨立驗證", "zh-Hans": "经独立验证"},
    "points": {"zh-Hant": "個百分點", "zh-Hans": "个百分点"},
    "unchanged": {"zh-Hant": "持平", "zh-Hans": "持平"},
    "indicator": {"zh-Hant": "指標", "zh-Hans": "指标"},
    "scope": {"zh-Hant": "範圍", "zh-Hans": "范围"},
    "unit": {"zh-Hant": "單位", "zh-Hans": "单位"},
    "note": {"zh-Hant": "附註", "zh-Hans": "附注"},
    "assurance": {"zh-Hant": "驗證", "zh-Hans": "验证"},
    "download": {"zh-Hant": "下載全部數據", "zh-Hans": "下载全部数据"},
    "out_of": {"zh-Hant": "滿分", "zh-Hans": "满分"},
    "ten_thousand": {"zh-Hant": "萬", "zh-Hans": "万"},
    "hundred_million": {"zh-Hant": "億", "zh-Hans": "亿"},
}


def _ui_text(key: str, script: str) -> str:
    return UI[key].get(script_of(script)) or UI[key]["zh-Hant"]


# --- numbers ---------------------------------------------------------------------------

def format_number(value: float, decimals: int) -> str:
    """Thousands separators and fixed decimals, as both Chinese locales write them.

    Halves round up (away from zero), as a spreadsheet does: 5678.25 → 5,678.3.
    """
    exact = Decimal(repr(float(abs(value))))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return ("−" if value < 0 and rounded != 0 else "") + text


def axis_number(value: float) -> str:
    """A chart axis number as the page writes numbers (1,200, not 1200), without
    trailing zeros."""
    text = format_number(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimals_for(kpi: KPI, unit: Unit, value: float) -> int:
    if kpi.decimals is not None:
        return kpi.decimals
    if unit.decimals is not None:
        return unit.decimals
    if unit.kind == "count":
        return 0
    if float(value).is_integer():
        return 0
    places = -Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, min(places, 2))


Convert = Optional[Callable[[str], str]]


def format_value(kpi: KPI, unit: Unit, value: float, script: str, with_unit: bool = True,
                 large_money: bool = True, source_script: str = "zh-Hant",
                 convert: Convert = None) -> str:
    """A KPI value as plain text in ``script`` (e.g. '1,234 人', '6.5%', '1,200萬港元').

    ``convert`` turns source-script text into ``script`` for a unit that has
    no label of its own in that script.
    """
    places = decimals_for(kpi, unit, value)
    unit_text = _labels_text(unit.labels, script, source_script, convert) if with_unit else ""
    if unit.kind == "percent":
        return format_number(value, places) + ("%" if with_unit else "")
    if unit.kind == "money" and large_money and unit.chinese_units and abs(value) >= 10_000:
        for size, key in ((100_000_000, "hundred_million"), (10_000, "ten_thousand")):
            if abs(value) >= size:
                scaled = value / size
                scaled_places = 0 if scaled.is_integer() else min(2, max(places, 1))
                number = format_number(scaled, scaled_places) + _ui_text(key, script)
                return f"{number}{unit_text}" if with_unit else number
    number = format_number(value, places)
    if unit.kind == "score" and unit.out_of and with_unit:
        return f"{number} / {unit.out_of:g}"
    if not with_unit or not unit_text:
        return number
    return f"{number} {unit_text}"


def change(kpi: KPI, unit: Unit, current: str, previous: Optional[str]) -> Optional[tuple[float, str]]:
    """Change against the previous period: (amount, 'up'|'down'|'flat'); points for percents."""
    if not previous or previous not in kpi.values or current not in kpi.values:
        return None
    before, now = kpi.values[previous], kpi.values[current]
    if unit.kind == "percent":
        amount = now - before
    elif before == 0:
        return None
    else:
        amount = (now - before) / abs(before) * 100
    direction = "flat" if round(amount, 1) == 0 else ("up" if amount > 0 else "down")
    return amount, direction


def format_change(kpi: KPI, unit: Unit, current: str, previous: Optional[str], script: str) -> str:
    found = change(kpi, unit, current, previous)
    if found is None:
        return ""
    amount, direction = found
    if direction == "flat":
        return _ui_text("unchanged", script)
    sign = "+" if amount > 0 else "−"
    if unit.kind == "percent":
        return f"{sign}{abs(amount):.1f} {_ui_text('points', script)}"
    return f"{sign}{abs(amount):.1f}%"


# --- inline and cards ------------------------------------------------------------------

def previous_period(data: KPIData, period: Optional[str]) -> Optional[str]:
    """The period a change is measured against: the report's previous period for
    the current one, else the latest period before ``period``."""
    if not period or period == data.periods.current:
        return data.periods.previous
    earlier = [p for p in data.all_periods() if p < period]
    return earlier[-1] if earlier else None


def inline(data: KPIData, kpi: KPI, script: str, *, period: Optional[str] = None,
           mode: str = "full", source_script: str = "zh-Hant", convert: Convert = None) -> str:
    unit = data.units[kpi.unit]
    period = period or data.periods.current
    if mode == "change":
        text = format_change(kpi, unit, period, previous_period(data, period), script)
    else:
        text = format_value(kpi, unit, kpi.values[period], script, with_unit=(mode == "full"),
                            source_script=source_script, convert=convert)
    return f'<span class="csr-kpi" data-kpi="{html.escape(kpi.id)}">{_protect_text(text)}</span>'


def _html(labels: Optional[Labels], script: str, source_script: str, convert: Convert) -> str:
    """A label as HTML in ``script``: its own, or the source text converted now
    (when ``convert`` is given) or left to the page's conversion."""
    if not labels or not labels.text(script, source_script):
        return ""
    if convert and not labels.get(script) and script_of(script) != script_of(source_script):
        return _protect_text(_labels_text(labels, script, source_script, convert))
    return labels.html(script, source_script)


def _protect_text(text: str) -> str:
    # Formatted values are already in the page's script.
    from ..convert.html import protect

    return protect(html.escape(text))


def card(data: KPIData, kpi: KPI, script: str, source_script: str,
         convert: Convert = None) -> str:
    unit = data.units[kpi.unit]
    current, previous = data.periods.current, data.periods.previous
    value = format_value(kpi, unit, kpi.values[current], script, with_unit=False)
    unit_label = "%" if unit.kind == "percent" else (
        f"/ {unit.out_of:g}" if unit.kind == "score" and unit.out_of else
        _html(unit.labels, script, source_script, convert))
    scope = _html(data.scopes[kpi.scope], script, source_script, convert)
    parts = [
        f'<div class="csr-kpi-card" data-kpi="{html.escape(kpi.id)}">',
        f'<p class="csr-kpi-card__label">{_html(kpi.label, script, source_script, convert)}</p>',
        f'<p class="csr-kpi-card__value"><span class="csr-kpi-card__number">'
        f'{_protect_text(value)}</span> <span class="csr-kpi-card__unit">{unit_label}</span></p>',
        f'<p class="csr-kpi-card__meta">{html.escape(current)} · {scope}</p>',
    ]
    found = change(kpi, unit, current, previous)
    if found:
        _, direction = found
        arrow = {"up": "▲", "down": "▼", "flat": "■"}[direction]
        text = format_change(kpi, unit, current, previous, script)
        parts.append(
            f'<p class="csr-kpi-card__change csr-kpi-card__change--{direction}">'
            f'<span aria-hidden="true">{arrow}</span> {_protect_text(text)} '
            f'<span class="csr-kpi-card__versus">{ui(UI["versus"], script)} '
            f'{html.escape(previous or "")} {ui(UI["year"], script)}</span></p>')
    if kpi.assured:
        parts.append(f'<p class="csr-kpi-card__assured"><span aria-hidden="true">✔</span> '
                     f'{ui(UI["assured"], script)}</p>')
    parts.append("</div>")
    return "".join(parts)


def cards(data: KPIData, kpis: list[KPI], script: str, source_script: str,
          convert: Convert = None) -> str:
    return ('<div class="csr-kpi-cards">'
            + "".join(card(data, k, script, source_script, convert) for k in kpis) + "</div>")


# --- charts ----------------------------------------------------------------------------

CHART_COLOURS = ("#00695c", "#f57c00", "#1565c0", "#6a1b9a", "#c62828", "#2e7d32", "#4e342e")
CJK_FONTS = ("'Noto Sans CJK TC', 'Noto Sans CJK SC', 'Noto Sans TC', 'Noto Sans SC', "
             "'PingFang TC', 'PingFang SC', 'Microsoft JhengHei', 'Microsoft YaHei', sans-serif")


def chart(data: KPIData, spec: ChartSpec, script: str, source_script: str,
          convert: Convert = None) -> str:
    """A static SVG chart made with pygal, labels in the page's script, no scripts.

    The SVG is protected from the page conversion, so labels the data gives
    only in the source script are converted here with ``convert``.
    """
    import pygal
    from pygal.style import Style

    kpis = [data.get(k) for k in spec.series]
    unit = data.units[kpis[0].unit]
    style = Style(background="transparent", plot_background="transparent",
                  foreground="#212121", foreground_strong="#212121", foreground_subtle="#757575",
                  colors=CHART_COLOURS, font_family=CJK_FONTS, label_font_size=14,
                  major_label_font_size=14, value_font_size=13, legend_font_size=14,
                  title_font_size=16, tooltip_font_size=13, value_label_font_size=13)
    options = dict(style=style, js=[], disable_xml_declaration=True, explicit_size=False,
                   width=640, height=360, print_values=True, show_legend=True,
                   legend_at_bottom=True, margin=12, value_formatter=axis_number)
    label = lambda k: _labels_text(k.label, script, source_script, convert)  # noqa: E731
    fmt = lambda k, v: format_value(k, unit, v, script, with_unit=True,  # noqa: E731
                                    source_script=source_script, convert=convert)
    current = data.periods.current
    if spec.type == "donut":
        c = pygal.Pie(inner_radius=0.45, **options)
        for k in kpis:
            c.add(label(k), [{"value": k.values[current], "formatter": lambda v, k=k: fmt(k, v)}])
    elif spec.type == "bar":
        c = pygal.Bar(**{**options, "show_legend": False})
        c.x_labels = [label(k) for k in kpis]
        c.add(label(kpis[0]), [{"value": k.values[current],
                                "formatter": lambda v, k=k: fmt(k, v)} for k in kpis])
    else:
        k = kpis[0]
        periods = sorted(k.values)
        c = pygal.Line(**{**options, "show_legend": False})
        c.x_labels = periods
        c.add(label(k), [{"value": k.values[p], "formatter": lambda v, k=k: fmt(k, v)}
                         for p in periods])
    svg = c.render(is_unicode=True)
    # pygal names each chart with a random uuid; a stable id keeps builds reproducible.
    # It differs from the figure's id: an id must be unique in the page.
    svg = re.sub(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                 f"chart-{spec.id}-svg", svg)
    # A static chart: no script (pygal's interactive config), no comments (they
    # carry the build date), and the legend ids pygal's script used made unique.
    svg = re.sub(r"<script\b.*?</script\s*>", "", svg, flags=re.S | re.I)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\bid="activate-serie-(\d+)"', rf'id="chart-{spec.id}-serie-\1"', svg)
    title = _labels_text(spec.title, script, source_script, convert)
    svg = re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)}</title>", svg,
                 count=1, flags=re.S)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(title)}" ', 1)
    summary = "；".join(f"{label(k)} {fmt(k, k.values[current])}" for k in kpis) \
        if spec.type != "trend" else "；".join(
            f"{p}: {fmt(kpis[0], kpis[0].values[p])}" for p in sorted(kpis[0].values))
    return (f'<figure class="csr-chart" id="chart-{spec.id}">'
            f'<div class="csr-chart__svg" data-noconvert>{svg}</div>'
            f'<figcaption>{_html(spec.title, script, source_script, convert)}'
            f'<span class="csr-visually-hidden">：{_protect_text(summary)}</span></figcaption>'
            f"</figure>")


# --- the appendix and downloads --------------------------------------------------------

def _labels_text(labels: Optional[Labels], script: str, source_script: str,
                 convert=None) -> str:
    """Plain text for a download file, which no page conversion will see."""
    if not labels:
        return ""
    own = labels.get(script)
    if own:
        return own
    text = labels.text(script, source_script)
    return convert(text) if convert and script_of(script) != script_of(source_script) else text


def _out_of(unit: Unit, script: str) -> str:
    """A score's unit: its maximum (滿分 7)."""
    if unit.kind == "score" and unit.out_of:
        return f"{ui(UI['out_of'], script)} {unit.out_of:g}"
    return ""


def appendix(data: KPIData, script: str, source_script: str, download_base: str,
             convert: Convert = None) -> str:
    """All KPIs grouped, periods side by side, with units, notes and assurance."""
    periods = data.all_periods()
    heads = [ui(UI["indicator"], script), ui(UI["scope"], script), ui(UI["unit"], script)]
    heads += [html.escape(p) for p in periods] + [ui(UI["note"], script),
                                                   ui(UI["assurance"], script)]
    out = []
    for group_key, group_labels in data.groups.items():
        members = [k for k in data.kpis if k.group == group_key]
        if not members:
            continue
        rows = []
        for k in members:
            unit = data.units[k.unit]
            cells = [_html(k.label, script, source_script, convert),
                     _html(data.scopes[k.scope], script, source_script, convert),
                     "%" if unit.kind == "percent" else
                     _html(unit.labels, script, source_script, convert) or _out_of(unit, script)]
            for p in periods:
                v = k.values.get(p)
                cells.append("—" if v is None else
                             _protect_text(format_value(k, unit, v, script, with_unit=False,
                                                        large_money=False)))
            cells.append(_html(k.note, script, source_script, convert))
            cells.append("✔" if k.assured else "")
            rows.append(f'<tr id="kpi-{html.escape(k.id)}">'
                        + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append(f'<table class="csr-kpi-table"><caption>'
                   f'{_html(group_labels, script, source_script, convert)}'
                   f"</caption><thead><tr>{''.join(f'<th>{h}</th>' for h in heads)}</tr></thead>"
                   f"<tbody>{''.join(rows)}</tbody></table>")
    downloads = (f'<p class="csr-downloads">{ui(UI["download"], script)}：'
                 f'<a href="{download_base}kpi-data.csv" download>CSV</a> · '
                 f'<a href="{download_base}kpi-data.json" download>JSON</a></p>')
    return downloads + "".join(out)


def rows_for_download(data: KPIData, script: str, source_script: str,
                      convert=None) -> list[dict[str, object]]:
    rows = []
    for k in data.kpis:
        unit = data.units[k.unit]

        def text(labels: Optional[Labels]) -> str:
            return _labels_text(labels, script, source_script, convert)

        row: dict[str, object] = {
            "id": k.id,
            "group": text(data.groups.get(k.group)),
            "label": text(k.label),
            "label_en": k.label.en or "",
            "scope": text(data.scopes.get(k.scope)),
            "unit": "%" if unit.kind == "percent" else text(unit.labels) or (
                f"/ {unit.out_of:g}" if unit.kind == "score" and unit.out_of else ""),
            "unit_en": unit.en or ("%" if unit.kind == "percent" else
                                   f"/ {unit.out_of:g}" if unit.kind == "score" and unit.out_of
                                   else ""),
        }
        for p in data.all_periods():
            v = k.values.get(p)
            # Counts and other whole numbers as written in the data (1234, not 1234.0).
            row[p] = int(v) if v is not None and float(v).is_integer() else v
        row["assured"] = k.assured
        row["source"] = text(k.source)
        row["note"] = text(k.note)
        row["frameworks"] = " ".join(k.frameworks)
        rows.append(row)
    return rows


def to_csv(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def to_json(data: KPIData, rows: list[dict[str, object]]) -> str:
    return json.dumps({"periods": data.periods.model_dump(), "kpis": rows},
                      ensure_ascii=False, indent=2)
