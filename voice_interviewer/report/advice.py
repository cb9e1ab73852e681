"""The three most useful things to work on, each backed by a number and a quote (pure).

Every candidate issue is scored by how many answers it touched, weighted by how much
it costs in a phone screen (not being heard first, then content, then delivery); a filler
rate that is severe in even one answer costs as much as a content follow-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voice_interviewer.analysis.habits import session_habits, speech_habits
from voice_interviewer.analysis.metrics import count_approximate, pace_band_beyond_doubt
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.report.summary import is_call_turn, is_request

CONTENT_ADVICE = {
    "ask_example": ("Tell one specific story", "The interviewer had to ask for a concrete example"),
    "ask_action": ("Say what you did, with \"I\"", "The interviewer had to ask what you did yourself"),
    "ask_result": ("Finish with the outcome", "The interviewer had to ask how it turned out"),
    "competency_probe": ("Show the skill the question is about", "The interviewer had to probe for it"),
    "say_again": ("Speak clearly and steadily", "The interviewer could not make out an answer"),
    "summarize": ("Keep answers to two minutes", "The interviewer asked you to sum up"),
}


@dataclass(frozen=True)
class Advice:
    title: str
    number: str  # the measurement behind it
    quote: str  # the candidate's own words where it showed
    score: float


def _said_words(answer: dict) -> bool:
    return (answer["analysis"].get("word_count") or 0) > 0


def _words(analysis: dict) -> list[dict]:
    return analysis.get("words") or []


def words_of(answer: dict) -> list[dict]:
    return _words(answer["analysis"])


def as_said(text: str) -> str:
    """A phrase as it is written in a sentence: the analysis keeps words lower case ("i think")."""
    return re.sub(r"\bi\b", "I", text)


def spoken_answers(answers: list[dict]) -> list[dict]:
    """The answers proper: turns that said something and did not ask about the question."""
    return [a for a in answers if _said_words(a) and not is_request(a)]


def said_words(answers: list[dict]) -> list[list[str]]:
    """Each answer's words as recognised, for `session_habits`; not those of a loop Whisper
    fell into (a run it wrote over and over, mostly never said)."""
    return [[w["text"] for w in _words(a["analysis"]) if not w.get("looped")] for a in answers]


def _hedge_indexes(analysis: dict) -> list[int]:
    """Where in the answer's words its hedges begin."""
    habits = speech_habits([(w["text"], float(i)) for i, w in enumerate(_words(analysis)) if not w.get("looped")])
    return [int(h["start"]) for h in habits["hedges"]["items"]]


def snippet(words: list[dict], center: int | None = None, before: int = 6, after: int = 8) -> str:
    if not words:
        return ""
    c = 0 if center is None else center
    lo, hi = max(0, c - before), min(len(words), c + after)
    text = " ".join(w["text"] for w in words[lo:hi])
    return ("… " if lo > 0 else "") + text + (" …" if hi < len(words) else "")


def pause_quote(analysis: dict, pause: dict) -> str:
    words = _words(analysis)
    before = [w["text"] for w in words if w["end"] <= pause["start"] + 0.01][-5:]
    after = [w["text"] for w in words if w["start"] >= pause["end"] - 0.01][:5]
    return f"… {' '.join(before)} [{pause['end'] - pause['start']:.1f} s silence] {' '.join(after)} …"


def advice_for(answers: list[dict], config: AnalysisConfig | None = None, limit: int = 3,
               also: Sequence[Advice] = ()) -> list[Advice]:
    """`answers`: answer events (with `analysis` and, when known, the `followup` that came after);
    `also`: more advice to rank with these (a call's, from `call_advice`).

    A turn that asked about the question (`is_request`) is no answer, and is left out.
    """
    cfg = config or AnalysisConfig()
    spoken = spoken_answers(answers)
    if not spoken:
        return []
    n = len(spoken)
    items: list[Advice] = list(also)

    quiet = [a for a in spoken if (a["analysis"].get("volume") or {}).get("speech_dbfs") is not None
             and a["analysis"]["volume"]["speech_dbfs"] < cfg.quiet_dbfs]
    if quiet:
        worst = min(quiet, key=lambda a: a["analysis"]["volume"]["speech_dbfs"])
        items.append(Advice("Speak up, or move closer to the microphone",
                            f"{len(quiet)} of {n} answers quieter than {cfg.quiet_dbfs:.0f} dBFS (quietest {worst['analysis']['volume']['speech_dbfs']:.1f} dBFS)",
                            snippet(_words(worst["analysis"])), 1.5 * len(quiet) / n))

    followed = {}
    for a in spoken:
        kind = (a.get("followup") or {}).get("kind")
        if kind in CONTENT_ADVICE:
            followed.setdefault(kind, []).append(a)
    for kind, hits in followed.items():
        title, why = CONTENT_ADVICE[kind]
        first = hits[0]
        items.append(Advice(title, f"{why} on {len(hits)} of {n} answers ({first['followup'].get('evidence', '')})",
                            snippet(_words(first["analysis"]), before=0, after=14), 1.0 * len(hits) / n + 0.2))

    rates = [(a, a["analysis"]["fillers"].get("per_minute") or 0.0) for a in spoken]
    heavy = [(a, r) for a, r in rates if r > cfg.filler_rate_high]
    if heavy:
        a, rate = max(heavy, key=lambda x: x[1])
        first = next((i for i, w in enumerate(_words(a["analysis"])) if w.get("filler")), None)
        total = sum(x["analysis"]["fillers"]["count"] for x in spoken)
        items.append(Advice("Replace fillers with a short silence",
                            f"{total} fillers in {n} answers; up to {rate:.1f} per minute (aim for under {cfg.filler_rate_high:.0f})",
                            snippet(_words(a["analysis"]), first),
                            1.0 * len(heavy) / n + (0.3 if rate >= cfg.filler_rate_severe else 0.0)))

    # a pace counted from words the speech model was unsure of (or looped on) is no lesson to act
    # on, unless it is so far out of the band that no miscount explains it
    judged = [(a, a["analysis"]["wpm"], pace_band_beyond_doubt(
        a["analysis"].get("wpm"), count_approximate(a["analysis"], cfg.unsure_logprob), cfg)) for a in spoken]
    paced = [(a, w) for a, w, b in judged if b is not None]
    fast = [(a, w) for a, w, b in judged if b == "high"]
    slow = [(a, w) for a, w, b in judged if b == "low"]
    for group, title, pick in ((fast, "Slow down a little", max), (slow, "Pick up the pace a little", min)):
        if group:
            a, w = pick(group, key=lambda x: x[1])
            items.append(Advice(title, f"{len(group)} of {len(paced)} answers outside {cfg.pace_low_wpm:.0f}–{cfg.pace_high_wpm:.0f} wpm ({w:.0f} wpm at the extreme)",
                                snippet(_words(a["analysis"]), before=0, after=12), 0.9 * len(group) / n))

    # a silence on a call is dead air, and the call's own advice says what to do about it
    long_pauses = [(a, p) for a in spoken if not is_call_turn(a)
                   for p in a["analysis"]["pauses"].get("items", []) if p["end"] - p["start"] >= cfg.long_pause_s]
    if long_pauses:
        a, p = max(long_pauses, key=lambda x: x[1]["end"] - x[1]["start"])
        items.append(Advice("Bridge long silences (\"Let me think about that for a second\")",
                            f"{len(long_pauses)} silence{'s' if len(long_pauses) > 1 else ''} of {cfg.long_pause_s:.0f} s or more; "
                            f"the longest {p['end'] - p['start']:.1f} s",
                            pause_quote(a["analysis"], p), 0.7 * len({id(x) for x, _ in long_pauses}) / n))

    hedges = session_habits(said_words(spoken))["hedges"]
    if hedges["count"] >= cfg.hedge_advice_min_count and hedges["answers"] >= cfg.hedge_advice_answer_share * n:
        a, at = max(((x, _hedge_indexes(x["analysis"])) for x in spoken), key=lambda pair: len(pair[1]))
        kinds = ", ".join(f"\"{as_said(k['text'])}\" ×{k['count']}" for k in hedges["kinds"][:3])
        items.append(Advice("Say it with confidence: fewer hedges",
                            f"{hedges['count']} hedges in {hedges['answers']} of {n} answers ({kinds})",
                            snippet(_words(a["analysis"]), at[0]), 0.6 * hedges["answers"] / n))

    # follow-up answers are short by nature: only first answers count here, and the answer
    # that came after a question about the question ("what do you mean by...?"). A turn on a
    # role-play call (it has `talked_over`) is no interview answer: short turns are right there
    firsts, asked = [], set()
    for a in answers:
        if is_call_turn(a):
            continue
        if is_request(a):
            asked.add(a.get("question_id"))
            continue
        if (not a.get("turn") or a.get("question_id") in asked) and _said_words(a):
            firsts.append(a)
        asked.discard(a.get("question_id"))
    short = [a for a in firsts if (a["analysis"].get("span_s") or 0) < cfg.short_answer_s]
    if short:
        a = min(short, key=lambda x: x["analysis"].get("span_s") or 0)
        items.append(Advice("Give fuller answers: situation, what you did, the result",
                            f"{len(short)} of {len(firsts)} first answers shorter than {cfg.short_answer_s:.0f} s (shortest {a['analysis']['span_s']:.1f} s)",
                            snippet(_words(a["analysis"]), before=0, after=14), 0.8 * len(short) / n))
    long = [a for a in spoken if (a["analysis"].get("span_s") or 0) > cfg.long_answer_s]
    if long:
        a = max(long, key=lambda x: x["analysis"].get("span_s") or 0)
        items.append(Advice("Be more concise", f"{len(long)} of {n} answers longer than {cfg.long_answer_s:.0f} s (longest {a['analysis']['span_s']:.0f} s)",
                            snippet(_words(a["analysis"]), before=0, after=14), 0.8 * len(long) / n))

    items.sort(key=lambda x: -x.score)
    return items[:limit]
