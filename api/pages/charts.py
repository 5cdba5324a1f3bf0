"""Charts drawn on the server as inline SVG: they print, need no script and no CDN.

Each chart is an `<svg role="img">` with a title and a description; the page
shows the same figures in a table beside it (the text equivalent WCAG asks
for). Two shapes only: grouped horizontal bars, and a timeline of periods.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from markupsafe import Markup

BAR_HEIGHT = 14
LABEL_WIDTH = 210
PLOT_WIDTH = 380
VALUE_WIDTH = 110
SERIES_CLASSES = ("serie-a", "serie-b", "serie-c", "serie-d")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | int]


def _number(value: Decimal | int, money: bool) -> str:
    if money:
        return f"{value:,.0f}".replace(",", "\u202f") + "\u00a0€"
    return str(value)


def _clip(text: str, size: int = 32) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def bars(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    money: bool = False,
) -> Markup:
    """Horizontal bars, one group per category, one bar per series, each bar labelled."""
    top = 24 if len(series) > 1 else 4
    group = BAR_HEIGHT * len(series) + 10
    height = top + group * max(len(categories), 1) + 4
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    biggest = max((v for s in series for v in s.values), default=0) or 1
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-t '
        f'{chart_id}-d" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">Les mêmes chiffres figurent dans le tableau qui suit.</desc>',
    ]
    if len(series) > 1:
        x = LABEL_WIDTH
        for index, s in enumerate(series):
            parts.append(
                f'<rect x="{x}" y="4" width="12" height="12" class="{SERIES_CLASSES[index % 4]}"/>'
                f'<text x="{x + 16}" y="14" class="legend">{escape(s.label)}</text>'
            )
            x += 20 + 8 * len(s.label)
    if not categories:
        parts.append(f'<text x="0" y="{top + 14}" class="label">Aucune donnée.</text>')
    for row, category in enumerate(categories):
        y = top + row * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + group / 2}" class="label" '
            f'text-anchor="end">{escape(_clip(category))}</text>'
        )
        for index, s in enumerate(series):
            value = s.values[row]
            length = float(value) / float(biggest) * PLOT_WIDTH
            bar_y = y + index * BAR_HEIGHT
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 2}" class="{SERIES_CLASSES[index % 4]}"/>'
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{bar_y + BAR_HEIGHT - 3}" '
                f'class="value">{escape(_number(value, money))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Period:
    row: str
    """The line it sits on (a person)."""
    detail: str
    """What the period is (an organisation, a role)."""
    start: date
    end: date | None
    """None while it lasts."""


def timeline(chart_id: str, title: str, periods: Sequence[Period], today: date) -> Markup:
    """One line per row, a bar per period, years marked along the top."""
    rows = list(dict.fromkeys(p.row for p in periods))
    first = min((p.start for p in periods), default=today)
    last = max([today, *(p.end for p in periods if p.end)])
    span = max((last - first).days, 1)
    line = 22
    top = 22
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    height = top + line * max(len(rows), 1) + 4

    def x_of(day: date) -> float:
        return LABEL_WIDTH + (day - first).days / span * (PLOT_WIDTH + VALUE_WIDTH - 10)

    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-t '
        f'{chart_id}-d" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">Les mêmes périodes figurent dans le tableau qui suit.</desc>',
    ]
    for year in range(first.year + 1, last.year + 1):
        x = x_of(date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{height}" class="tick"/>'
            f'<text x="{x + 2:.1f}" y="12" class="legend">{year}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * line
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" class="label" '
            f'text-anchor="end">{escape(_clip(row))}</text>'
        )
        for p in (p for p in periods if p.row == row):
            start, end = x_of(p.start), x_of(p.end or last)
            ending = p.end.isoformat() if p.end else "en cours"
            parts.append(
                f'<rect x="{start:.1f}" y="{y + 3}" width="{max(end - start, 2):.1f}" '
                f'height="{line - 8}" class="serie-a{" ongoing" if p.end is None else ""}">'
                f"<title>{escape(p.row)} — {escape(p.detail)} : "
                f"{p.start.isoformat()} → {ending}</title></rect>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))
