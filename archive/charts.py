"""Bar charts as inline SVG, drawn on the server from the rows of a canned query.

No JavaScript and no asset from anywhere: a chart is part of the HTML page, so it shows offline, under a
no-script policy and in a published `--immutable` copy alike, and costs nothing beyond its query. Each bar is an
SVG `<rect>` with the value in `data-value` and a `<title>` tooltip, so the numbers can be read and checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH, HEIGHT = 960, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 46
MAX_BAR_WIDTH = 48
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_MONTHS = 600  # fifty years of months: a stray date (year 1970 or 2099) must not make a chart of ten thousand


@dataclass(slots=True, frozen=True)
class Bar:
    label: str
    value: int


def month_bars(rows: Iterable[Sequence]) -> list[Bar]:
    """(month `YYYY-MM`, count) rows as one bar per month from the first to the last, the silent months as 0."""
    counts: dict[tuple[int, int], int] = {}
    for month, count in rows:
        if isinstance(month, str) and (found := MONTH.match(month)):
            key = (int(found[1]), int(found[2]))
            counts[key] = counts.get(key, 0) + int(count or 0)
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    bars = []
    while (year, month) <= last and len(bars) < MAX_MONTHS:
        bars.append(Bar(f"{year:04d}-{month:02d}", counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return bars


def category_bars(rows: Iterable[Sequence]) -> list[Bar]:
    """(label, count) rows as one bar each, in the query's order; an empty label reads "(none)"."""
    return [Bar(str(label) if label not in (None, "") else "(none)", int(count or 0)) for label, count in rows]


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str, months: bool) -> Markup:
    """An SVG bar chart of `bars`; month charts label each January with its year, others label every bar."""
    if not bars:
        return Markup('<p class="warta-chart-empty">Nothing to chart: the query found no rows.</p>')
    top = max(bar.value for bar in bars) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / len(bars)
    width = min(max(step * 0.8, 0.5), MAX_BAR_WIDTH)  # a school with three months gets bars, not walls
    parts = [Markup(
        '<svg class="warta-chart" role="img" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
    ).format(w=WIDTH, h=HEIGHT, title=title)]
    for value in sorted({top, top // 2} - {0}):
        y = TOP + plot_height * (1 - value / top)
        parts.append(Markup(
            '<line class="warta-grid" x1="{x1}" x2="{x2}" y1="{y:.1f}" y2="{y:.1f}"/>'
            '<text class="warta-axis" x="{x:.0f}" y="{ty:.1f}" text-anchor="end">{value:,}</text>'
        ).format(x1=LEFT, x2=WIDTH - RIGHT, y=y, x=LEFT - 6, ty=y + 4, value=value))
    baseline = TOP + plot_height
    for index, bar in enumerate(bars):
        height = plot_height * bar.value / top
        x = LEFT + index * step
        parts.append(Markup(
            '<rect class="warta-bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" data-label="{label}"'
            ' data-value="{value}"><title>{label}: {value:,} {unit}</title></rect>'
        ).format(x=x + (step - width) / 2, y=baseline - height, w=width, h=height, label=bar.label,
                 value=bar.value, unit=unit))
        if (label := _axis_label(bar.label, index, months, len(bars))) is not None:
            parts.append(Markup('<text class="warta-axis" x="{x:.1f}" y="{y}" text-anchor="{anchor}">{text}</text>')
                         .format(x=x + step / 2 if not months else x, y=baseline + 16, text=label,
                                 anchor="middle" if not months else "start"))
    parts.append(Markup('<line class="warta-baseline" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"/></svg>').format(
        x1=LEFT, x2=WIDTH - RIGHT, y=baseline))
    return Markup("").join(parts)


def _axis_label(label: str, index: int, months: bool, count: int) -> str | None:
    if not months:
        return label
    # Every January with its year (or the first bar); every other year when the years would crowd.
    year, month = label[:4], label[5:]
    if month != "01" and index != 0:
        return None
    every = 1 if count <= 12 * 12 else 2
    return year if int(year) % every == 0 or index == 0 else None
