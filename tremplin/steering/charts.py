"""Geometry of the dashboard's charts: plain numbers in, plain coordinates out, no Django.

The charts are SVG written by the templates from these coordinates. No chart library is
in the stack, and a server-rendered inline SVG needs no JavaScript, carries its own
<title> and <desc> for screen readers, prints as it shows, and sits next to the same
figures in an HTML table. Colour is never the only carrier: bars are labelled with their
value, stacked segments keep a fixed left-to-right order with their percentage written
in them, and trend lines differ by marker shape and dash pattern and are named at their
end.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import ClassVar

MONTH_ABBR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]

# At least 3:1 against white (WCAG 1.4.11), distinct in lightness too.
SERIES_COLOURS = ("#0b5a78", "#a34100", "#5b2a86", "#2a6b2a", "#8c1c3a")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4")
# Ordinal bands from light to dark; text colour chosen per band for contrast.
BAND_COLOURS = ("#e3eef5", "#a9cbe0", "#5f9cc2", "#2b6f97", "#0b3d5c")
BAND_TEXT = ("#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff", "#ffffff")

LABEL_WIDTH = 250  # left margin for the row labels of horizontal bars
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PLOT_WIDTH = 330


def fmt(value: float) -> str:
    """French decimal: 12,5 ; whole numbers without decimals."""
    if value == int(value):
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not shown (too few agents, nothing measured)
    y: float
    width: float
    value_text: str
    text_x: float

    @property
    def text_y(self) -> float:
        return self.y + 13


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bars: list[Bar]
    bar_height: int
    ticks: list[tuple[float, str]]  # (x, label) of the vertical grid lines
    summary: str  # every bar in words, for the <desc>
    body: ClassVar[str] = "steering/_hbars.html"

    @property
    def axis_y(self) -> int:
        return self.height - 8

    @property
    def grid_bottom(self) -> int:
        return self.height - 24


def hbars(
    items: list[tuple[str, float | None]], *, max_value: float | None = None, suffix: str = ""
) -> BarChart:
    """Horizontal bars, one row each, longest value at `max_value` (100 for shares)."""
    known = [v for _label, v in items if v is not None]
    top = max_value if max_value is not None else nice_top(max(known, default=0))
    top = top or 1
    bars = []
    for i, (label, value) in enumerate(items):
        width = 0.0 if value is None else PLOT_WIDTH * min(value, top) / top
        text = "non affiché" if value is None else f"{fmt(value)}{suffix}"
        bars.append(
            Bar(
                label,
                value,
                i * ROW_HEIGHT + 6,
                round(width, 1),
                text,
                round(LABEL_WIDTH + width + 4, 1),
            )
        )
    ticks = [
        (round(LABEL_WIDTH + PLOT_WIDTH * k / 4, 1), f"{fmt(top * k / 4)}{suffix}")
        for k in range(5)
    ]
    return BarChart(
        width=LABEL_WIDTH + PLOT_WIDTH + 90,
        height=len(items) * ROW_HEIGHT + 30,
        label_width=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        bars=bars,
        bar_height=BAR_HEIGHT,
        ticks=ticks,
        summary="; ".join(f"{bar.label} : {bar.value_text}" for bar in bars) + ".",
    )


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    x: float
    width: float
    percent: int
    colour: str
    text_colour: str
    show_text: bool  # wide enough to write its percentage in

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class StackedRow:
    label: str
    total: int
    y: float
    segments: list[Segment]

    @property
    def text_y(self) -> float:
        return self.y + 13


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    rows: list[StackedRow]
    legend: list[tuple[str, str]]  # (label, colour), drawn in HTML under the chart
    summary: str
    body: ClassVar[str] = "steering/_stacked.html"


def stacked(rows: list[tuple[str, list[tuple[str, int]]]]) -> StackedChart:
    """100 % stacked horizontal bars: each row's segments in the same order (bands of a
    scale), each as a share of the row's total."""
    out = []
    for i, (label, segments) in enumerate(rows):
        total = sum(count for _name, count in segments)
        x = float(LABEL_WIDTH)
        parts = []
        for k, (name, count) in enumerate(segments):
            width = PLOT_WIDTH * count / total if total else 0.0
            percent = round(100 * count / total) if total else 0
            parts.append(
                Segment(
                    name,
                    count,
                    round(x, 1),
                    round(width, 1),
                    percent,
                    BAND_COLOURS[k % len(BAND_COLOURS)],
                    BAND_TEXT[k % len(BAND_TEXT)],
                    width >= 30,
                )
            )
            x += width
        out.append(StackedRow(label, total, i * ROW_HEIGHT + 6, parts))
    names = [name for name, _count in rows[0][1]] if rows else []
    legend = [(name, BAND_COLOURS[k % len(BAND_COLOURS)]) for k, name in enumerate(names)]
    return StackedChart(
        width=LABEL_WIDTH + PLOT_WIDTH + 20,
        height=len(rows) * ROW_HEIGHT + 26,
        label_width=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        bar_height=BAR_HEIGHT,
        rows=out,
        legend=legend,
        summary=" ".join(
            f"{row.label} : " + ", ".join(f"{s.percent} % {s.label}" for s in row.segments) + "."
            for row in out
        ),
    )


def month_label(day: dt.date) -> str:
    return f"{MONTH_ABBR[day.month - 1]} {day.year % 100:02d}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    date: dt.date
    value: float


@dataclass
class Line:
    name: str
    colour: str
    marker: str
    dash: str
    points: list[Point]
    path: str  # the "points" attribute of the polyline
    end_x: float
    end_y: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    suffix: str
    summary: str
    body: ClassVar[str] = "steering/_lines.html"

    @property
    def bottom(self) -> int:
        return self.top + self.plot_height

    @property
    def right(self) -> int:
        return self.left + self.plot_width

    @property
    def x_label_y(self) -> int:
        return self.bottom + 18


LINE_LEFT, LINE_TOP, LINE_WIDTH, LINE_HEIGHT = 50, 15, 380, 200


def nice_top(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above the value: round axis ends."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


# Room right of the lines for their names (24 characters of 12 px text, see _lines.html).
LINE_LABEL_SPACE = 190


def lines(
    series: list[tuple[str, list[tuple[dt.date, float]]]],
    *,
    max_value: float | None = None,
    suffix: str = "",
) -> LineChart:
    """Lines over months: x by date order (one step per month), y from 0 to `max_value`
    (100 for shares) or a round figure above the largest value."""
    dates = sorted({day for _name, points in series for day, _v in points})
    values = [v for _name, points in series for _d, v in points]
    top = max_value if max_value is not None else nice_top(max(values, default=0))
    step = LINE_WIDTH / max(len(dates) - 1, 1)
    x_of = {day: LINE_LEFT + i * step for i, day in enumerate(dates)}

    def y_of(value):
        return LINE_TOP + LINE_HEIGHT * (1 - min(value, top) / top)

    out = []
    for k, (name, points) in enumerate(series):
        placed = [Point(round(x_of[d], 1), round(y_of(v), 1), d, v) for d, v in sorted(points)]
        last = (
            placed[-1]
            if placed
            else Point(LINE_LEFT, y_of(0), dates[0] if dates else dt.date.min, 0)
        )
        out.append(
            Line(
                name=name,
                colour=SERIES_COLOURS[k % len(SERIES_COLOURS)],
                marker=MARKERS[k % len(MARKERS)],
                dash=DASHES[k % len(DASHES)],
                points=placed,
                path=" ".join(f"{p.x},{p.y}" for p in placed),
                end_x=round(last.x + 8, 1),
                end_y=round(last.y + 4, 1),
            )
        )
    # Nudge the end labels apart so that two lines ending together stay readable.
    ordered = sorted(out, key=lambda line: line.end_y)
    for previous, line in zip(ordered, ordered[1:], strict=False):
        if line.end_y - previous.end_y < 12:
            line.end_y = round(previous.end_y + 12, 1)
    every = max(1, math.ceil(len(dates) / 6))
    x_ticks = [
        (round(x_of[d], 1), month_label(d))
        for i, d in enumerate(dates)
        if i % every == 0 or i == len(dates) - 1
    ]
    y_ticks = [(round(y_of(top * k / 4), 1), f"{fmt(top * k / 4)}{suffix}") for k in range(5)]
    return LineChart(
        width=LINE_LEFT + LINE_WIDTH + LINE_LABEL_SPACE,
        height=LINE_TOP + LINE_HEIGHT + 30,
        left=LINE_LEFT,
        top=LINE_TOP,
        plot_width=LINE_WIDTH,
        plot_height=LINE_HEIGHT,
        lines=out,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        suffix=suffix,
        summary=" ".join(
            f"{line.name} : de {fmt(line.points[0].value)}{suffix} ({month_label(line.points[0].date)}) "
            f"à {fmt(line.points[-1].value)}{suffix} ({month_label(line.points[-1].date)})."
            for line in out
            if line.points
        ),
    )
