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
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from ..convert.html import protect
from ..text import COLON, Labels, MissingLabel, script_of, ui, ui_text
from .model import KPI, ChartSpec, KPIData, Unit

UI = {
    "versus": {"zh-Hant": "較", "zh-Hans": "较", "en": "vs"},
    "year": {"zh-Hant": "年", "zh-Hans": "年", "en": ""},  # English writes the year alone
    "assured": {"zh-Hant": "經獨立驗證", "zh-Hans": "经独立验证", "en": "Independently assured"},
    "points": {"zh-Hant": "個百分點", "zh-Hans": "个百分点", "en": "percentage points"},
    "unchanged": {"zh-Hant": "持平", "zh-Hans": "持平", "en": "unchanged"},
    "indicator": {"zh-Hant": "指標", "zh-Hans": "指标", "en": "Indicator"},
    "scope": {"zh-Hant": "範圍", "zh-Hans": "范围", "en": "Scope"},
    "unit": {"zh-Hant": "單位", "zh-Hans": "单位", "en": "Unit"},
    "note": {"zh-Hant": "附註", "zh-Hans": "附注", "en": "Note"},
    "assurance": {"zh-Hant": "驗證", "zh-Hans": "验证", "en": "Assurance"},
    "download": {"zh-Hant": "下載全部數據", "zh-Hans": "下载全部数据", "en": "Download all data"},
    "out_of": {"zh-Hant": "滿分", "zh-Hans": "满分", "en": "out of"},
}

# Money in scaled units, largest first: Chinese counts in 萬 (10⁴) and 億 (10⁸),
# English in millions and billions.
CHINESE_SCALES = ((100_000_000, {"zh-Hant": "億", "zh-Hans": "亿"}),
                  (10_000, {"zh-Hant": "萬", "zh-Hans": "万"}))
ENGLISH_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"))


def _ui_text(key: str, script: str) -> str:
    return ui_text(UI[key], script)


def _english(script: str) -> bool:
    return script_of(script) == "en"


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
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0  # not an int only for inf and NaN
    return max(0, min(places, 2))


Convert = Callable[[str], str] | None


def format_value(kpi: KPI, unit: Unit, value: float, script: str, with_unit: bool = True,
                 large_money: bool = True, source_script: str = "zh-Hant",
                 convert: Convert = None) -> str:
    """A KPI value as plain text in ``script`` (e.g. '1,234 人', '6.5%', '1,200萬港元',
    '160 persons', 'USD 35 billion').

    ``convert`` turns source-script text into ``script`` for a unit that has
    no label of its own in that script.
    """
    places = decimals_for(kpi, unit, value)
    english = _english(script)
    unit_text = _labels_text(unit.labels, script, source_script, convert) if with_unit else ""
    if unit.kind == "percent":
        return format_number(value, places) + ("%" if with_unit else "")
    if unit.kind == "money" and large_money and unit.chinese_units:
        scales = ENGLISH_SCALES if english else tuple(
            (size, ui_text(words, script)) for size, words in CHINESE_SCALES)
        for size, word in scales:
            if abs(value) >= size:
                scaled = value / size
                scaled_places = 0 if scaled.is_integer() else min(2, max(places, 1))
                number = format_number(scaled, scaled_places)
                if english:
                    number += " " + word
                    return _currency(unit_text, number) if with_unit else number
                number += word
                return f"{number}{unit_text}" if with_unit else number
    number = format_number(value, places)
    if unit.kind == "score" and unit.out_of and with_unit:
        return f"{number} / {unit.out_of:g}"
    if not with_unit or not unit_text:
        return number
    if english and unit.kind == "money":
        return _currency(unit_text, number)
    if _singular(unit, number, script):
        unit_text = unit.en_one or ""
    return f"{number} {unit_text}"


def _singular(unit: Unit, number: str, script: str) -> bool:
    """Whether English needs the unit's singular: a count or quantity shown as '1'."""
    if not (_english(script) and number == "1" and unit.kind in ("count", "quantity")):
        return False
    if unit.en_one is None:
        raise MissingLabel(f"no singular (en_one) for the unit {unit.en!r}")
    return True


def _currency(currency: str, number: str) -> str:
    """English puts the currency first: 'USD 35 billion', 'HK$12.3 million'."""
    if not currency or currency.endswith("$"):
        return f"{currency}{number}"
    return f"{currency} {number}"


def change(kpi: KPI, unit: Unit, current: str, previous: str | None) -> tuple[float, str] | None:
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


def format_change(kpi: KPI, unit: Unit, current: str, previous: str | None, script: str) -> str:
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

def previous_period(data: KPIData, period: str | None) -> str | None:
    """The period a change is measured against: the report's previous period for
    the current one, else the latest period before ``period``."""
    if not period or period == data.periods.current:
        return data.periods.previous
    earlier = [p for p in data.all_periods() if p < period]
    return earlier[-1] if earlier else None


def inline(data: KPIData, kpi: KPI, script: str, *, period: str | None = None,
           mode: str = "full", source_script: str = "zh-Hant", convert: Convert = None) -> str:
    """A figure in running text; its raw number and period are attributes
    (``data-value``, or ``data-change`` for a change), the same in every edition."""
    unit = data.units[kpi.unit]
    period = period or data.periods.current
    if mode == "change":
        against = previous_period(data, period)
        text = format_change(kpi, unit, period, against, script)
        found = change(kpi, unit, period, against)
        figure = f' data-change="{found[0]:+.1f}"' if found else ""
    else:
        text = format_value(kpi, unit, kpi.values[period], script, with_unit=(mode == "full"),
                            source_script=source_script, convert=convert)
        figure = f' data-value="{raw_number(kpi.values[period])}"'
    return (f'<span class="csr-kpi" data-kpi="{html.escape(kpi.id)}"{figure} '
            f'data-period="{html.escape(period, quote=True)}">{_protect_text(text)}</span>')


def raw_number(value: float) -> str:
    """A figure as the data gives it, for tools (1234, not 1234.0 or 1,234)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _html(labels: Labels | None, script: str, source_script: str, convert: Convert) -> str:
    """A label as HTML in ``script``: its own, or the source text converted now
    (when ``convert`` is given) or left to the page's conversion."""
    if not labels or not labels.text(script, source_script):
        return ""
    if convert and not labels.get(script) and script_of(script) != script_of(source_script):
        return _protect_text(_labels_text(labels, script, source_script, convert))
    return labels.html(script, source_script)


def _protect_text(text: str) -> str:
    # Formatted values are already in the page's script.

    return protect(html.escape(text))


def card(data: KPIData, kpi: KPI, script: str, source_script: str,
         convert: Convert = None) -> str:
    unit = data.units[kpi.unit]
    current, previous = data.periods.current, data.periods.previous
    value = format_value(kpi, unit, kpi.values[current], script, with_unit=False)
    unit_label = "%" if unit.kind == "percent" else (
        f"/ {unit.out_of:g}" if unit.kind == "score" and unit.out_of else
        html.escape(unit.en_one or "") if _singular(unit, value, script) else
        _html(unit.labels, script, source_script, convert))
    scope = _html(data.scopes[kpi.scope], script, source_script, convert)
    number = (f'<span class="csr-kpi-card__number" data-value="{raw_number(kpi.values[current])}" '
              f'data-period="{html.escape(current, quote=True)}">{_protect_text(value)}</span>')
    unit_span = f'<span class="csr-kpi-card__unit">{unit_label}</span>'
    # English writes a currency before the amount (USD 35 billion).
    shown = (f"{unit_span} {number}" if _english(script) and unit.kind == "money"
             else f"{number} {unit_span}")
    parts = [
        f'<div class="csr-kpi-card" data-kpi="{html.escape(kpi.id)}">',
        f'<p class="csr-kpi-card__label">{_html(kpi.label, script, source_script, convert)}</p>',
        f'<p class="csr-kpi-card__value">{shown}</p>',
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
            f'{html.escape(previous or "")}'
            + (f' {ui(UI["year"], script)}' if _ui_text("year", script) else "")
            + '</span></p>')
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
#
# Bars and trends are drawn here as plain SVG; pygal (kept for the donuts) truncates
# long axis labels with an ellipsis, cannot wrap them, spaces years evenly whatever
# the gap between them and starts a line chart's axis near its smallest value.
# Text is drawn at 14 units in a 400-unit-wide picture, so it is at least 12 px
# wherever the chart is shown 350 px wide or wider (a phone in portrait).

CHART_COLOURS = ("#00695c", "#c75000", "#1565c0", "#6a1b9a", "#c62828", "#2e7d32", "#4e342e")
CHART_WIDTH = 400
CHART_TEXT = 14
CHART_INK = "#212121"
CHART_GRID = "#d0d7d6"
CHART_FONTS = {
    "zh-Hant": ("'Noto Sans CJK HK', 'Noto Sans CJK TC', 'Noto Sans TC', 'Source Han Sans HC', "
                "'PingFang HK', 'PingFang TC', 'Microsoft JhengHei', sans-serif"),
    "zh-Hans": ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
                "'Microsoft YaHei', sans-serif"),
    # Latin faces first; a Chinese name in an English chart takes the Hong Kong glyphs.
    "en": ("'Noto Sans', 'Helvetica Neue', Arial, 'Noto Sans CJK HK', 'Noto Sans CJK TC', "
           "'PingFang HK', 'Microsoft JhengHei', sans-serif"),
}
CHART_UI = {
    "data": {"zh-Hant": "圖表數據", "zh-Hans": "图表数据", "en": "Chart data"},
    "item": {"zh-Hant": "項目", "zh-Hans": "项目", "en": "Item"},
    "value": {"zh-Hant": "數值", "zh-Hans": "数值", "en": "Value"},
    "period": {"zh-Hant": "年度", "zh-Hans": "年度", "en": "Year"},
}


def _text_width(text: str, size: float = CHART_TEXT) -> float:
    """Roughly how wide a text is drawn: CJK characters are square, Latin ones narrower."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def wrap_label(text: str, width: float, size: float = CHART_TEXT) -> list[str]:
    """Lines of at most ``width``, broken between characters (CJK needs no spaces)
    but never inside a run of Latin letters or digits."""
    tokens = re.findall(r"[A-Za-z0-9.,%/+\-]+|.", text)
    lines, line = [], ""
    for token in tokens:
        if line and _text_width(line + token, size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line:
        lines.append(line)
    return lines or [""]


def nice_axis(top: float, steps: int = 4) -> tuple[float, float]:
    """(step, maximum) of an axis from zero with about ``steps`` round steps
    (1, 2, 2.5, 5 × 10ⁿ)."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / steps
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    maximum = step * -(-top // step)
    return step, maximum


def _svg_text(x: float, y: float, text: str, *, anchor: str = "start", weight: str = "400",
              size: float = CHART_TEXT, fill: str = CHART_INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" font-weight="{weight}" '
            f'fill="{fill}" text-anchor="{anchor}">{html.escape(text)}</text>')


def _svg(title: str, height: float, body: list[str], script: str) -> str:
    font = ui_text(CHART_FONTS, script)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height:.0f}" '
            f'role="img" aria-label="{html.escape(title, quote=True)}" '
            f'font-family="{html.escape(font, quote=True)}">'
            f"<title>{html.escape(title)}</title>{''.join(body)}</svg>")


def bar_svg(title: str, bars: list[tuple[str, float, str]], script: str) -> str:
    """Horizontal bars from zero, each with its label above it and its value at its end."""
    left, right = 4, 4
    value_room = max(_text_width(text) for _, _, text in bars) + 8
    plot = CHART_WIDTH - left - right - value_room
    step, maximum = nice_axis(max(v for _, v, _ in bars))
    body, y = [], 8
    rows = []
    for label, value, text in bars:
        lines = wrap_label(label, CHART_WIDTH - left - right)
        for line in lines:
            y += CHART_TEXT + 4
            rows.append(_svg_text(left, y, line))
        y += 6
        length = max(plot * value / maximum, 1 if value else 0)
        rows.append(f'<rect x="{left}" y="{y:.1f}" width="{length:.1f}" height="20" '
                    f'fill="{CHART_COLOURS[0]}"/>')
        rows.append(_svg_text(left + length + 6, y + 15, text, weight="700"))
        y += 20 + 12
    bottom = y
    ticks = []
    k = 0
    while k * step <= maximum + 1e-9:
        x = left + plot * (k * step) / maximum
        ticks.append(f'<line x1="{x:.1f}" y1="12" x2="{x:.1f}" y2="{bottom:.1f}" '
                     f'stroke="{CHART_GRID}" stroke-width="1"/>')
        ticks.append(_svg_text(x, bottom + CHART_TEXT + 4, axis_number(k * step),
                               anchor="start" if k == 0 else "middle", fill="#424242"))
        k += 1
    body = ticks + rows
    return _svg(title, bottom + CHART_TEXT + 12, body, script)


def _year(period: str) -> float | None:
    found = re.match(r"\d{4}", period)
    return float(found.group(0)) if found else None


def trend_svg(title: str, points: list[tuple[str, float, str]], script: str) -> str:
    """A line over a true time axis (2014, 2020 and 2021 are spaced as the years are)
    and a value axis from zero with gridlines at round steps."""
    step, maximum = nice_axis(max(v for _, v, _ in points))
    ticks = []
    k = 0
    while k * step <= maximum + 1e-9:
        ticks.append(k * step)
        k += 1
    left = max(_text_width(axis_number(t)) for t in ticks) + 10
    edge = max(_text_width(text) for _, _, text in points) / 2 + 6
    top, height = 12 + CHART_TEXT + 8, 190
    x0, x1 = left + edge, CHART_WIDTH - edge
    years = [y for y in (_year(p) for p, _, _ in points) if y is not None]
    if len(years) == len(points) and len(set(years)) == len(years) and len(years) > 1:
        first, last = min(years), max(years)
        xs = [x0 + (x1 - x0) * (y - first) / (last - first) for y in years]
    else:  # periods that are not years: evenly spaced categories
        xs = [x0 + (x1 - x0) * i / max(len(points) - 1, 1) for i in range(len(points))]

    def y_of(v: float) -> float:
        return top + height * (1 - v / maximum)

    body = []
    for t in ticks:
        y = y_of(t)
        body.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{CHART_WIDTH - 2}" y2="{y:.1f}" '
                    f'stroke="{CHART_GRID}" stroke-width="1"/>')
        body.append(_svg_text(left - 6, y + 5, axis_number(t), anchor="end", fill="#424242"))
    path = " ".join(f"{x:.1f},{y_of(v):.1f}" for x, (_, v, _) in zip(xs, points, strict=True))
    body.append(f'<polyline points="{path}" fill="none" stroke="{CHART_COLOURS[0]}" '
                f'stroke-width="3"/>')
    previous_end, above = -1e9, True
    for x, (period, value, text) in zip(xs, points, strict=True):
        y = y_of(value)
        half = _text_width(text) / 2
        # A label that would run into its neighbour's goes on the other side of the line.
        above = not above if x - half < previous_end + 4 else True
        previous_end = x + half
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{CHART_COLOURS[0]}"/>')
        body.append(_svg_text(x, y - 10 if above else y + 10 + CHART_TEXT, text,
                              anchor="middle", weight="700"))
        body.append(_svg_text(x, top + height + CHART_TEXT + 8, period, anchor="middle",
                              fill="#424242"))
    return _svg(title, top + height + CHART_TEXT + 16, body, script)


def donut_svg(title: str, parts: list[tuple[str, float, str]], script: str, chart_id: str) -> str:
    """A donut by pygal, static (its script removed), legend below and never truncated."""
    import pygal
    from pygal.style import Style

    style = Style(background="transparent", plot_background="transparent",
                  foreground=CHART_INK, foreground_strong=CHART_INK, foreground_subtle="#616161",
                  colors=CHART_COLOURS, font_family=ui_text(CHART_FONTS, script),
                  label_font_size=CHART_TEXT, major_label_font_size=CHART_TEXT,
                  value_font_size=CHART_TEXT, legend_font_size=CHART_TEXT,
                  title_font_size=CHART_TEXT, tooltip_font_size=CHART_TEXT,
                  value_label_font_size=CHART_TEXT)
    chart = pygal.Pie(inner_radius=0.45, style=style, js=[], disable_xml_declaration=True,
                      explicit_size=False, width=CHART_WIDTH, height=320, print_values=True,
                      legend_at_bottom=True, legend_at_bottom_columns=1, truncate_legend=-1,
                      margin=8, value_formatter=axis_number)
    for label, value, text in parts:
        chart.add(label, [{"value": value, "formatter": lambda v, text=text: text}])
    svg = chart.render(is_unicode=True)
    # pygal names each chart with a random uuid; a stable id keeps builds reproducible.
    # It differs from the figure's id: an id must be unique in the page.
    svg = re.sub(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                 f"chart-{chart_id}-svg", svg)
    # A static chart: no script (pygal's interactive config), no comments (they
    # carry the build date), and the legend ids pygal's script used made unique.
    svg = re.sub(r"<script\b.*?</script\s*>", "", svg, flags=re.S | re.I)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\bid="activate-serie-(\d+)"', rf'id="chart-{chart_id}-serie-\1"', svg)
    svg = re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)}</title>", svg,
                 count=1, flags=re.S)
    label = html.escape(title, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def chart(data: KPIData, spec: ChartSpec, script: str, source_script: str,
          convert: Convert = None) -> str:
    """A static SVG chart in the page's script, with its figures as a table for
    readers who cannot see it (a collapsed block under the chart).

    The SVG is protected from the page conversion, so labels the data gives
    only in the source script are converted here with ``convert``.
    """
    kpis = [k for k in map(data.get, spec.series) if k is not None]  # load_charts checked ids
    unit = data.units[kpis[0].unit]

    def label(k: KPI) -> str:
        return _labels_text(k.label, script, source_script, convert)

    def fmt(k: KPI, v: float) -> str:
        return format_value(k, unit, v, script, with_unit=True,
                            source_script=source_script, convert=convert)

    current = data.periods.current
    title = _labels_text(spec.title, script, source_script, convert)
    if spec.type == "trend":
        k = kpis[0]
        series = [(p, k.values[p], fmt(k, k.values[p])) for p in sorted(k.values)]
        # A long unit (點（2014 年 = 100）) is in the title; the points show the numbers.
        shown = [(p, v, t if _text_width(t) <= 80 else
                  format_value(k, unit, v, script, with_unit=False)) for p, v, t in series]
        svg = trend_svg(title, shown, script)
        first_head = ui(CHART_UI["period"], script)
    else:
        series = [(label(k), k.values[current], fmt(k, k.values[current])) for k in kpis]
        svg = (donut_svg(title, series, script, spec.id) if spec.type == "donut"
               else bar_svg(title, series, script))
        first_head = ui(CHART_UI["item"], script)
    rows = "".join(f"<tr><td>{_protect_text(name)}</td><td class=\"csr-num\">"
                   f"{_protect_text(text)}</td></tr>" for name, _, text in series)
    table = (f'<details class="csr-chart__data"><summary>{ui(CHART_UI["data"], script)}</summary>'
             f'<table class="csr-chart__table"><thead><tr><th scope="col">{first_head}</th>'
             f'<th scope="col">{ui(CHART_UI["value"], script)}</th></tr></thead>'
             f"<tbody>{rows}</tbody></table></details>")
    return (f'<figure class="csr-chart csr-chart--{spec.type}" id="chart-{spec.id}">'
            f'<div class="csr-chart__svg" data-noconvert>{svg}</div>'
            f'<figcaption>{_html(spec.title, script, source_script, convert)}</figcaption>'
            f"{table}</figure>")


# --- the appendix and downloads --------------------------------------------------------

def _labels_text(labels: Labels | None, script: str, source_script: str,
                 convert: Convert = None) -> str:
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


def _table(caption: str, caption_id: str, heads: list[tuple[str, str]], rows: list[str],
           css: str) -> str:
    """A report table in a sideways-scrolling region a keyboard can reach (a phone
    scrolls a wide table instead of squeezing its columns to one character)."""
    head = "".join(f'<th scope="col" class="{c}">{h}</th>' if c else f'<th scope="col">{h}</th>'
                   for h, c in heads)
    return (f'<div class="csr-table-scroll" role="region" tabindex="0" '
            f'aria-labelledby="{caption_id}">'
            f'<table class="{css}"><caption id="{caption_id}">{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def appendix(data: KPIData, script: str, source_script: str, download_base: str,
             convert: Convert = None) -> str:
    """All KPIs grouped, periods side by side, with units, notes and assurance.

    In each group's table a period with no figure, the notes when there are
    none and the assurance column when nothing is assured are left out: empty
    columns tell a reader nothing and push the figures off a phone's screen.
    """
    out = []
    for group_key, group_labels in data.groups.items():
        members = [k for k in data.kpis if k.group == group_key]
        if not members:
            continue
        periods = [p for p in data.all_periods() if any(p in k.values for k in members)]
        with_notes = any(k.note for k in members)
        with_assurance = any(k.assured for k in members)
        heads = [(ui(UI["indicator"], script), ""), (ui(UI["scope"], script), "csr-nowrap"),
                 (ui(UI["unit"], script), "csr-nowrap")]
        heads += [(html.escape(p), "csr-num") for p in periods]
        if with_notes:
            heads.append((ui(UI["note"], script), "csr-note"))
        if with_assurance:
            heads.append((ui(UI["assurance"], script), "csr-nowrap"))
        rows = []
        for k in members:
            unit = data.units[k.unit]
            unit_cell = ("%" if unit.kind == "percent" else
                         _html(unit.labels, script, source_script, convert)
                         or _out_of(unit, script))
            scope = _html(data.scopes[k.scope], script, source_script, convert)
            cells = [f'<th scope="row">{_html(k.label, script, source_script, convert)}</th>',
                     f'<td class="csr-nowrap">{scope}</td>',
                     f'<td class="csr-nowrap">{unit_cell}</td>']
            for p in periods:
                v = k.values.get(p)
                cells.append('<td class="csr-num">' + ("—" if v is None else _protect_text(
                    format_value(k, unit, v, script, with_unit=False, large_money=False)))
                    + "</td>")
            if with_notes:
                note = _html(k.note, script, source_script, convert)
                cells.append(f'<td class="csr-note">{note}</td>')
            if with_assurance:
                cells.append('<td class="csr-nowrap">' + (
                    f'<span aria-hidden="true">✔</span><span class="csr-visually-hidden">'
                    f'{ui(UI["assured"], script)}</span>' if k.assured else "") + "</td>")
            rows.append(f'<tr id="kpi-{html.escape(k.id)}">{"".join(cells)}</tr>')
        out.append(_table(_html(group_labels, script, source_script, convert),
                          html.escape(f"kpi-group-{group_key}", quote=True), heads, rows,
                          "csr-kpi-table"))
    downloads = (f'<p class="csr-downloads">{ui(UI["download"], script)}{ui_text(COLON, script)}'
                 f'<a href="{download_base}kpi-data.csv" download>CSV</a> · '
                 f'<a href="{download_base}kpi-data.json" download>JSON</a></p>')
    return downloads + "".join(out)


def rows_for_download(data: KPIData, script: str, source_script: str,
                      convert: Convert = None) -> list[dict[str, object]]:
    rows = []
    for k in data.kpis:
        unit = data.units[k.unit]

        def text(labels: Labels | None) -> str:
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
