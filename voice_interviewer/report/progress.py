"""Progress across sessions (terminal and HTML): trends of pace, fillers, hedges, pauses, length and
follow-ups over the interview answers, and of the checklist, talking over and dead air over the
role-play calls. The two are kept apart: a call's short turns and its customer, who asks no
follow-ups, would read as a worse or a better interview."""

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


def interview_rows(entries: list[SessionEntry]) -> list[SessionEntry]:
    """The sessions with interview answers (a call-only session has none)."""
    return [e for e in entries if (e.interview_summary() is not None and e.interview_summary().answers > 0)]


def call_rows(entries: list[SessionEntry]) -> list[SessionEntry]:
    return [e for e in entries if e.call is not None]


def trends(entries: list[SessionEntry], config: AnalysisConfig | None = None) -> list[Trend]:
    """Over each session's interview answers only."""
    cfg = config or AnalysisConfig()
    s = [e.interview_summary() for e in interview_rows(entries)]

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


def call_trends(entries: list[SessionEntry]) -> list[Trend]:
    """Over the role-play calls, one point per call."""
    calls = [e.call for e in call_rows(entries)]
    return [
        Trend("Call checklist items met", "items", [c.checklist_passed for c in calls], "higher"),
        Trend("Turns talking over the caller", "per turn", [round(c.talk_overs / c.turns, 2) for c in calls], "lower"),
        Trend("Dead air", "per call", [c.dead_air for c in calls], "lower"),
    ]


def _label(started: str) -> str:
    return started[5:16].replace("T", " ") if len(started) >= 16 else started or "?"


def _trend_lines(found: list[Trend]) -> list[str]:
    lines = []
    for t in found:
        first, last = t.first_last()
        span = "–" if first is None else f"{first:g} → {last:g} {t.unit}"
        lines.append(f"{t.name:<30} {span:<28} {t.verdict()}")
    return lines


def _call_lines(entries: list[SessionEntry]) -> list[str]:
    lines = [f"{'call':<19} {'scenario':<15} {'outcome':<10} {'turns':>5} {'checklist':>9} {'talk-overs':>10} {'dead air':>8}"]
    for e in call_rows(entries):
        c = e.call
        checklist = "–" if c.checklist_passed is None else f"{c.checklist_passed}/{c.checklist_items}"
        lines.append(f"{_label(e.summary.started):<19} {c.scenario:<15} {c.outcome.replace('_', ' '):<10} {c.turns:>5} "
                     f"{checklist:>9} {c.talk_overs:>10} {c.dead_air:>8}")
    return lines + [""] + _trend_lines(call_trends(entries))


def progress_text(entries: list[SessionEntry], config: AnalysisConfig | None = None) -> str:
    rows, calls = interview_rows(entries), call_rows(entries)
    if not rows and not calls:
        return "No sessions with answers yet: run `voice-interviewer interview` (or `demo`) first."
    if not rows:
        return "\n".join(_call_lines(entries))
    lines = [f"{'session':<19} {'answers':>7} {'wpm':>6} {'fill/min':>8} {'hedges':>6} {'pauses':>6} {'avg s':>6} "
             f"{'follow-ups':>10}"]
    for e in rows:
        s = e.interview_summary()

        def f(v: float | None, nd: int = 1) -> str:
            return "–" if v is None else f"{v:.{nd}f}"

        wpm = ("≈" if s.median_wpm_approximate else "") + f(s.median_wpm)  # ≈: every answer's word count was approximate
        lines.append(f"{_label(s.started):<19} {s.answers:>7} {wpm:>6} {f(s.fillers_per_minute):>8} "
                     f"{'–' if s.hedges is None else s.hedges:>6} {s.pauses:>6} {f(s.mean_answer_s):>6} "
                     f"{s.followups_needed:>10}")
    lines += [""] + _trend_lines(trends(entries, config))
    if calls:
        lines += [""] + _call_lines(entries)
    return "\n".join(lines)


def _charts(found: list[Trend], labels: list[str]) -> list[dict]:
    return [{"trend": t, "svg": Markup(line_chart(f"{t.name} ({t.unit})", labels, t.values, t.unit, t.band))} for t in found]


def write_progress_html(entries: list[SessionEntry], path: Path, config: AnalysisConfig | None = None) -> Path:
    rows, calls = interview_rows(entries), call_rows(entries)
    charts = _charts(trends(entries, config), [_label(e.summary.started) for e in rows]) if rows else []
    call_charts = _charts(call_trends(entries), [_label(e.summary.started) for e in calls]) if calls else []
    skipped = [e for e in entries if e.problem]
    html = environment().get_template("progress.html.j2").render(
        rows=rows, charts=charts, calls=calls, call_charts=call_charts, skipped=skipped)
    return write_atomically(path, html)
