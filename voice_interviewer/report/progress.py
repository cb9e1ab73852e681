"""Progress across sessions: trends of pace, fillers, hedges, pauses, length and follow-ups (terminal and HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from voice_interviewer.config import AnalysisConfig
from voice_interviewer.report.charts import line_chart
from voice_interviewer.report.render import environment, write_atomically
from voice_interviewer.store.catalog import SessionEntry


@dataclass(frozen=True)
class Trend:
    name: str
    unit: str
    values: list[float | None]
    better: str  # "lower", "higher" or "in band"
    band: tuple[float, float] | None = None

    def first_last(self) -> tuple[float | None, float | None]:
        present = [v for v in self.values if v is not None]
        return (present[0], present[-1]) if present else (None, None)

    def verdict(self) -> str:
        first, last = self.first_last()
        if first is None or last is None or len([v for v in self.values if v is not None]) < 2:
            return "not enough sessions yet"
        if abs(last - first) < 1e-9:
            return "no change"
        if self.better == "in band" and self.band:
            def dist(v: float) -> float:
                return max(self.band[0] - v, 0.0, v - self.band[1])
            if dist(last) < dist(first):
                return "better: closer to the target"
            return "steady: inside the target" if dist(last) == 0 else "worse: further from the target"
        improved = last < first if self.better == "lower" else last > first
        return "better" if improved else "worse"


def trends(entries: list[SessionEntry], config: AnalysisConfig | None = None) -> list[Trend]:
    cfg = config or AnalysisConfig()
    s = [e.summary for e in entries if e.summary is not None and e.summary.answers > 0]

    def per_answer(count: int | None, answers: int) -> float | None:
        return round(count / answers, 2) if answers and count is not None else None

    return [
        Trend("Pace", "wpm", [x.median_wpm for x in s], "in band", (cfg.pace_low_wpm, cfg.pace_high_wpm)),
        Trend("Fillers per minute", "per min", [x.fillers_per_minute for x in s], "lower"),
        Trend("Hedges per answer", "per answer", [per_answer(x.hedges, x.answers) for x in s], "lower"),
        Trend("Long pauses per answer", "per answer", [per_answer(x.pauses, x.answers) for x in s], "lower"),
        Trend("Average answer length", "s", [x.mean_answer_s for x in s], "in band", (cfg.short_answer_s, cfg.long_answer_s)),
        Trend("Follow-ups needed per answer", "per answer", [per_answer(x.followups_needed, x.answers) for x in s], "lower"),
    ]


def _label(started: str) -> str:
    return started[5:16].replace("T", " ") if len(started) >= 16 else started or "?"


def progress_text(entries: list[SessionEntry], config: AnalysisConfig | None = None) -> str:
    rows = [e for e in entries if e.summary is not None and e.summary.answers > 0]
    if not rows:
        return "No sessions with answers yet: run `voice-interviewer interview` (or `demo`) first."
    lines = [f"{'session':<19} {'answers':>7} {'wpm':>6} {'fill/min':>8} {'hedges':>6} {'pauses':>6} {'avg s':>6} "
             f"{'follow-ups':>10}"]
    for e in rows:
        s = e.summary

        def f(v: float | None, nd: int = 1) -> str:
            return "–" if v is None else f"{v:.{nd}f}"

        wpm = ("≈" if s.median_wpm_approximate else "") + f(s.median_wpm)  # ≈: every answer's word count was approximate
        lines.append(f"{_label(s.started):<19} {s.answers:>7} {wpm:>6} {f(s.fillers_per_minute):>8} "
                     f"{'–' if s.hedges is None else s.hedges:>6} {s.pauses:>6} {f(s.mean_answer_s):>6} "
                     f"{s.followups_needed:>10}")
    lines.append("")
    for t in trends(entries, config):
        first, last = t.first_last()
        span = "–" if first is None else f"{first:g} → {last:g} {t.unit}"
        lines.append(f"{t.name:<30} {span:<28} {t.verdict()}")
    return "\n".join(lines)


def write_progress_html(entries: list[SessionEntry], path: Path, config: AnalysisConfig | None = None) -> Path:
    rows = [e for e in entries if e.summary is not None and e.summary.answers > 0]
    labels = [_label(e.summary.started) for e in rows]
    charts = [
        {"trend": t, "svg": Markup(line_chart(f"{t.name} ({t.unit})", labels, t.values, t.unit, t.band))}
        for t in trends(entries, config)
    ]
    skipped = [e for e in entries if e.problem]
    html = environment().get_template("progress.html.j2").render(rows=rows, labels=labels, charts=charts, skipped=skipped)
    return write_atomically(path, html)
