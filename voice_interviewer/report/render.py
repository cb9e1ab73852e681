"""Build report.md and report.html from a session folder's events."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from voice_interviewer.config import AnalysisConfig
from voice_interviewer.errors import UserError
from voice_interviewer.store.session_store import read_events

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class AnswerView:
    number: int
    question_id: str
    prompt: str
    analysis: dict
    followup: dict | None
    audio: str | None
    pieces: list[tuple[str, bool]] = field(default_factory=list)  # (text, is_filler)


def _median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def session_view(folder: Path, config: AnalysisConfig | None = None) -> dict:
    """Everything the templates show, from the events of one session."""
    cfg = config or AnalysisConfig()
    events = read_events(folder)
    start = events[0]
    end = next((e for e in events if e["type"] == "session_end"), None)
    answers: list[AnswerView] = []
    for e in events:
        if e["type"] == "answer":
            a = e.get("analysis") or {}
            view = AnswerView(len(answers) + 1, e.get("question_id", ""), e.get("prompt", ""), a, None, e.get("audio"))
            view.pieces = [(w["text"], bool(w.get("filler"))) for w in a.get("words", [])]
            answers.append(view)
        elif e["type"] == "followup" and answers:
            answers[-1].followup = e
    spoken_min = sum((a.analysis.get("span_s") or 0) for a in answers) / 60.0
    fillers = sum((a.analysis.get("fillers") or {}).get("count", 0) for a in answers)
    summary = {
        "answers": len(answers),
        "median_wpm": _median([a.analysis.get("wpm") for a in answers]),
        "fillers": fillers,
        "fillers_per_minute": round(fillers / spoken_min, 1) if spoken_min > 0 else None,
        "pauses": sum((a.analysis.get("pauses") or {}).get("count", 0) for a in answers),
        "followups": sum(1 for a in answers if a.followup and a.followup.get("kind") != "next_question"),
    }
    return {
        "folder": str(folder),
        "started": start.get("started_at", ""),
        "bank": start.get("bank", ""),
        "mode": start.get("mode", ""),
        "finished": end is not None,
        "end_reason": end.get("reason") if end else "cut off (no session_end event)",
        "answers": answers,
        "summary": summary,
        "cfg": cfg,
    }


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, nd=1: "–" if v is None else f"{v:.{nd}f}"
    return env


def write_reports(folder: str | Path, config: AnalysisConfig | None = None) -> tuple[Path, Path]:
    """Write report.md and report.html into the session folder (atomically) and return their paths."""
    folder = Path(folder)
    view = session_view(folder, config)
    env = _env()
    out = []
    for name in ("report.md", "report.html"):
        text = env.get_template(name + ".j2").render(**view)
        path = folder / name
        tmp = folder / (name + ".part")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            raise UserError(f"Could not write {path}: {exc.strerror}.") from exc
        out.append(path)
    return out[0], out[1]
