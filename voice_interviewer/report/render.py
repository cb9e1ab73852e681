"""Build report.md and report.html from a session folder's events."""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from voice_interviewer.config import AnalysisConfig, LiveConfig
from voice_interviewer.errors import UserError
from voice_interviewer.analysis.fillers import is_filled_pause
from voice_interviewer.analysis.habits import session_habits
from voice_interviewer.analysis.metrics import count_approximate, pace_band_beyond_doubt, words_unsure
from voice_interviewer.call.roleplay import model_sentences
from voice_interviewer.call.scenario import load_scenarios
from voice_interviewer.report.advice import advice_for, as_said, said_words, spoken_answers
from voice_interviewer.report.call_advice import LOOK_UP_EXAMPLE, call_advice
from voice_interviewer.report.charts import answer_timeline, bar_chart
from voice_interviewer.report.summary import (dead_air_heard, is_call_turn, is_request, response_delay, summarize,
                                              with_followups)
from voice_interviewer.store.session_store import read_events

TEMPLATES = Path(__file__).resolve().parent / "templates"


def transcript_pieces(analysis: dict, pause_s: float) -> list[dict]:
    """Words in order, fillers and uncounted words marked, and a marker where a pause of `pause_s` or more falls."""
    pauses = sorted((p["start"], p["end"]) for p in (analysis.get("pauses") or {}).get("items", []) if p["end"] - p["start"] >= pause_s)
    pieces: list[dict] = []
    for w in analysis.get("words", []):
        while pauses and w.get("start") is not None and w["start"] >= pauses[0][1] - 0.01:
            a, b = pauses.pop(0)
            pieces.append({"kind": "pause", "text": f"{b - a:.1f} s"})
        # a word left out of the word count as barely heard (analysis `counted`; old logs have no such key)
        kind = "filler" if w.get("filler") else "word" if w.get("counted", True) else "uncounted"
        pieces.append({"kind": kind, "text": w["text"]})
    return pieces


def pace_flag(analysis: dict, cfg: AnalysisConfig) -> str | None:
    """ "low" or "high" where an answer's pace is out of the band beyond doubt; else None."""
    judged = pace_band_beyond_doubt(analysis.get("wpm"), count_approximate(analysis, cfg.unsure_logprob), cfg)
    return judged if judged in ("low", "high") else None


def session_view(folder: Path, config: AnalysisConfig | None = None) -> dict:
    """Everything the templates show, from the events of one session."""
    cfg = config or AnalysisConfig()
    events = read_events(folder)
    answers = with_followups(events)
    labels = [f"A{i}" for i in range(1, len(answers) + 1)]
    requests = [is_request(a) for a in answers]
    views = []
    for i, (a, asked) in enumerate(zip(answers, requests), 1):
        views.append({
            "number": i,
            "label": labels[i - 1],
            "question_id": a.get("question_id", ""),
            "prompt": a.get("prompt", ""),
            "analysis": a["analysis"],
            # a question about the question is not held to an answer's length and pace
            "bands": {k: v for k, v in (a["analysis"].get("bands") or {}).items() if not asked or k == "too_quiet"},
            "request": asked,
            # the speech model was unsure of the words, or looped on them: word count and pace are approximate
            "approximate": not asked and count_approximate(a["analysis"], cfg.unsure_logprob),
            # "low" / "high" where the pace is out of the band beyond doubt, approximate or not
            "pace_flag": None if asked else pace_flag(a["analysis"], cfg),
            "unsure": not asked and words_unsure(a["analysis"], cfg.unsure_logprob),
            "looped": not asked and bool((a["analysis"].get("asr") or {}).get("looped")),
            "followup": a["followup"],
            "audio": a.get("audio") if a.get("audio") and (folder / a["audio"]).exists() else None,
            "pieces": transcript_pieces(a["analysis"], cfg.pause_s),
            # words heard but not in its word count: barely heard where the model was unsure
            "uncounted": [w["text"] for w in a["analysis"].get("words", [])
                          if not w.get("counted", True) and not is_filled_pause(w["text"])],
            "call_turn": is_call_turn(a),
            "talked_over": bool(a.get("talked_over")),
            "timeline": Markup(answer_timeline(a["analysis"])),
            "response_delay": response_delay(a.get("timing") or {}),
        })
    # a question about the question is drawn as no bar: it is no answer
    analyses = [{} if asked else a["analysis"] for a, asked in zip(answers, requests)]
    charts = {
        "pace": bar_chart("Pace per answer (words per minute)", labels, [a.get("wpm") for a in analyses], "wpm",
                          band=(cfg.pace_low_wpm, cfg.pace_high_wpm),
                          approximate=[v["approximate"] for v in views],
                          off_target=[v["pace_flag"] is not None for v in views]),
        "fillers": bar_chart("Fillers per minute", labels, [(a.get("fillers") or {}).get("per_minute") for a in analyses],
                             "per min", limit=cfg.filler_rate_high),
        "length": bar_chart("Answer length (seconds)", labels, [a.get("span_s") for a in analyses], "s",
                            band=(cfg.short_answer_s, cfg.long_answer_s)),
    }
    ends = [e for e in events if e.get("type") == "session_end" and e.get("call")]
    call = ends[-1]["call"] if ends else None
    dead_air = dead_air_heard(events)
    hold_s = LiveConfig().on_hold_silence_s
    on_call = call_advice(answers, call, dead_air, cfg, hold_s, scenario_examples(call))
    summary = summarize(events, cfg)
    # a session that was only a role-play call (not an interview that ended with one)
    call_only = summary.mode == "call"
    # an interview that ended with a call: its answers and the call's short turns apart
    interview_part, call_part = summarize(events, cfg, part="interview"), summarize(events, cfg, part="call")
    if not call_only and interview_part.answers and call_part.answers:
        summary_rows = [{"label": "Interview answers", "summary": interview_part, "call": False},
                        {"label": "Call turns", "summary": call_part, "call": True}]
    else:
        summary_rows = [{"label": "", "summary": summary, "call": call_only}]
    return {
        "folder": str(folder),
        "heading": "Call practice report" if call_only else "Interview practice report",
        "call_only": call_only,
        "call": call,
        "look_up_example": LOOK_UP_EXAMPLE,
        "dead_air": dead_air,
        "hold_s": hold_s,
        "summary": summary,
        "summary_rows": summary_rows,
        "answers": views,
        "advice": advice_for(answers, cfg, also=on_call),
        # over the answers proper, as the advice counts them
        "habits": session_habits(said_words(spoken_answers(answers)), cfg.session_word_min_count),
        "charts": {k: Markup(v) for k, v in charts.items()},
        "cfg": cfg,
    }


def scenario_examples(call: dict | None) -> dict[str, str]:
    """The call scenario's own example of each checklist item; none if the scenario is gone or
    its file no longer loads (the report of an old call must still be written)."""
    if not call:
        return {}
    try:
        scenario = load_scenarios().get(call.get("scenario"))
    except UserError:
        return {}
    return model_sentences(scenario) if scenario else {}


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, nd=1: "–" if v is None else f"{v:.{nd}f}"
    env.filters["spoken"] = as_said
    return env


def write_atomically(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"Could not write {path}: {exc.strerror}.") from exc
    return path


def write_reports(folder: str | Path, config: AnalysisConfig | None = None) -> tuple[Path, Path]:
    """Write report.md and report.html into the session folder and return their paths."""
    folder = Path(folder)
    view = session_view(folder, config)
    env = environment()
    md = write_atomically(folder / "report.md", env.get_template("report.md.j2").render(**view))
    html = write_atomically(folder / "report.html", env.get_template("report.html.j2").render(**view))
    return md, html
