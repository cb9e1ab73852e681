"""Small inline SVG charts for the reports (pure functions returning markup; text is escaped).

Hand-written SVG keeps reports self-contained and offline: no script, no library, no network.
"""

from __future__ import annotations

import math
from html import escape

WIDTH = 640
BLUE, GREEN_BAND, RED, YELLOW, GREY, INK = "#4f74c8", "#dcefe2", "#d9534f", "#f2b705", "#9aa3b5", "#1d2330"


def _nice_max(value: float) -> float:
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def bar_chart(
    title: str,
    labels: list[str],
    values: list[float | None],
    unit: str,
    band: tuple[float, float] | None = None,
    limit: float | None = None,
    height: int = 190,
    approximate: list[bool] | None = None,
    off_target: list[bool] | None = None,
) -> str:
    """Bars per answer; `band` shades the target range, `limit` draws a dashed line (e.g. a maximum).

    A bar marked in `approximate` is grey, neither on target nor off it, and its value reads "≈";
    unless it is also marked in `off_target` (off the band beyond doubt): then it is red."""
    pad_l, pad_r, pad_t, pad_b = 44, 12, 26, 28
    top = max([v for v in values if v is not None] + [band[1] * 1.15 if band else 0, (limit or 0) * 1.15, 0.0])
    y_max = _nice_max(top)
    plot_w, plot_h = WIDTH - pad_l - pad_r, height - pad_t - pad_b
    n = max(len(values), 1)
    slot = plot_w / n
    bar_w = min(46.0, slot * 0.6)

    def y(v: float) -> float:
        return pad_t + plot_h * (1 - min(v, y_max) / y_max)

    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
             f'<text x="{pad_l}" y="16" font-size="13" font-weight="600" fill="{INK}">{escape(title)}</text>']
    if band:
        parts.append(f'<rect class="band" x="{pad_l}" y="{y(band[1]):.1f}" width="{plot_w}" height="{y(band[0]) - y(band[1]):.1f}" fill="{GREEN_BAND}"/>')
        # the band's label sits on the title line, where no bar can cover it
        parts.append(f'<text x="{WIDTH - pad_r}" y="16" font-size="11" text-anchor="end" fill="#26734d">shaded: target {band[0]:g}–{band[1]:g} {escape(unit)}</text>')
    for tick in (0, y_max / 2, y_max):
        parts.append(f'<line x1="{pad_l}" x2="{WIDTH - pad_r}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e3e6ee"/>')
        parts.append(f'<text class="tick" x="{pad_l - 6}" y="{y(tick) + 4:.1f}" font-size="10" text-anchor="end" fill="{GREY}">{tick:g}</text>')
    if limit is not None:
        parts.append(f'<line x1="{pad_l}" x2="{WIDTH - pad_r}" y1="{y(limit):.1f}" y2="{y(limit):.1f}" stroke="{RED}" stroke-dasharray="5 4"/>')
    rough = approximate or [False] * len(values)
    for i, (label, v) in enumerate(zip(labels, values)):
        cx = pad_l + slot * (i + 0.5)
        parts.append(f'<text x="{cx:.1f}" y="{height - 10}" font-size="11" text-anchor="middle" fill="{GREY}">{escape(label)}</text>')
        if v is None:
            parts.append(f'<text x="{cx:.1f}" y="{y(0) - 4:.1f}" font-size="10" text-anchor="middle" fill="{GREY}">–</text>')
            continue
        outside = (band and not band[0] <= v <= band[1]) or (limit is not None and v > limit)
        approx = i < len(rough) and rough[i]
        surely_off = bool(off_target) and i < len(off_target) and off_target[i]
        color = RED if outside and (surely_off or not approx) else GREY if approx else BLUE
        parts.append(f'<rect class="bar{" approximate" if approx else ""}" x="{cx - bar_w / 2:.1f}" y="{y(v):.1f}" '
                     f'width="{bar_w:.1f}" height="{y(0) - y(v):.1f}" fill="{color}" rx="2"/>')
        parts.append(f'<text x="{cx:.1f}" y="{y(v) - 4:.1f}" font-size="10" text-anchor="middle" fill="{INK}">'
                     f'{"≈" if approx else ""}{v:.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def answer_timeline(analysis: dict, height: int = 46) -> str:
    """One answer from start to end: speech (blue), fillers (yellow), pauses of 1 s or more (red)."""
    duration = max(float(analysis.get("duration_s") or 0.0), 0.1)
    pad_l, pad_r = 6, 6
    plot_w = WIDTH - pad_l - pad_r

    def x(t: float) -> float:
        return pad_l + plot_w * max(0.0, min(t, duration)) / duration

    parts = [f'<svg class="timeline" role="img" aria-label="answer timeline" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
             f'<rect x="{pad_l}" y="8" width="{plot_w}" height="18" fill="#f2f4f8"/>']
    for w in analysis.get("words", []):
        if w.get("start") is None or w.get("end") is None:
            continue
        color = YELLOW if w.get("filler") else BLUE
        parts.append(f'<rect class="{"filler" if w.get("filler") else "word"}" x="{x(w["start"]):.1f}" y="8" '
                     f'width="{max(x(w["end"]) - x(w["start"]), 1.0):.1f}" height="18" fill="{color}"/>')
    for p in (analysis.get("pauses") or {}).get("items", []):
        parts.append(f'<rect class="pause" x="{x(p["start"]):.1f}" y="8" width="{max(x(p["end"]) - x(p["start"]), 1.0):.1f}" '
                     f'height="18" fill="{RED}" opacity="0.75"/>')
    for t in range(0, int(duration) + 1, 5 if duration <= 60 else 15):
        parts.append(f'<text x="{x(t):.1f}" y="{height - 6}" font-size="9" text-anchor="middle" fill="{GREY}">{t}s</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, labels: list[str], values: list[float | None], unit: str,
               band: tuple[float, float] | None = None, height: int = 190) -> str:
    """A trend across sessions (oldest left); gaps where a session has no value."""
    pad_l, pad_r, pad_t, pad_b = 44, 16, 26, 30
    present = [v for v in values if v is not None]
    y_max = _nice_max(max(present + [band[1] * 1.15 if band else 0, 0.0]))
    plot_w, plot_h = WIDTH - pad_l - pad_r, height - pad_t - pad_b
    n = len(values)

    def xy(i: int, v: float) -> tuple[float, float]:
        xi = pad_l + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2)
        return xi, pad_t + plot_h * (1 - min(v, y_max) / y_max)

    parts = [f'<svg class="chart trend" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
             f'<text x="{pad_l}" y="16" font-size="13" font-weight="600" fill="{INK}">{escape(title)}</text>']
    if band:
        y_hi, y_lo = xy(0, band[1])[1], xy(0, band[0])[1]
        parts.append(f'<rect class="band" x="{pad_l}" y="{y_hi:.1f}" width="{plot_w}" height="{y_lo - y_hi:.1f}" fill="{GREEN_BAND}"/>')
    for tick in (0, y_max / 2, y_max):
        ty = xy(0, tick)[1]
        parts.append(f'<line x1="{pad_l}" x2="{WIDTH - pad_r}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#e3e6ee"/>')
        parts.append(f'<text class="tick" x="{pad_l - 6}" y="{ty + 4:.1f}" font-size="10" text-anchor="end" fill="{GREY}">{tick:g}</text>')
    points = [xy(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        parts.append('<polyline class="line" fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            BLUE, " ".join(f"{px:.1f},{py:.1f}" for px, py in points)))
    for (px, py), v in zip(points, present):
        parts.append(f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{BLUE}"><title>{v:g} {escape(unit)}</title></circle>')
    for i, label in enumerate(labels):
        lx = xy(i, 0)[0]
        anchor = "end" if n > 1 and i == n - 1 else "middle"  # centred on the right edge, it was cut off
        parts.append(f'<text x="{lx:.1f}" y="{height - 10}" font-size="10" text-anchor="{anchor}" fill="{GREY}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
