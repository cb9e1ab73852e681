"""Headline numbers of one session, from its events (pure): used by the report, `sessions` and `progress`."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from voice_interviewer.analysis.metrics import count_approximate
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.interview.policy import FINAL_KINDS, KINDS, REQUEST_KINDS


@dataclass(frozen=True)
class SessionSummary:
    started: str
    bank: str
    mode: str
    status: str  # complete, interrupted, error, cut off
    questions_planned: int
    questions_done: int
    answers: int
    median_wpm: float | None
    fillers_per_minute: float | None
    fillers: int
    pauses: int  # silent gaps of 1 s or more, over all answers
    longest_pause_s: float | None
    mean_answer_s: float | None
    followups_needed: int  # interviewer follow-ups other than moving on
    hedges: int | None = None  # "I think", "maybe"... over all answers (None: logged before habits were)
    # answers whose word count is approximate (the speech model was unsure of the words, or
    # looped on them): their pace is left out of median_wpm, unless no answer was sure, when
    # the median is theirs and approximate
    pace_unsure: int = 0
    median_wpm_approximate: bool = False


def without_continued(events: list[dict]) -> list[dict]:
    """The events without answers the candidate went on with (and their follow-ups).

    In a hands-free session a candidate who starts talking again right after the
    turn closed is continuing: a `continue` command is logged and the whole answer
    is logged again, so the first, partial one is dropped here.
    """
    drop: set[int] = set()
    for i, e in enumerate(events):
        if e.get("type") == "command" and e.get("command") == "continue":
            key = (e.get("question_id"), e.get("turn"))
            for j in range(i - 1, -1, -1):
                if events[j].get("type") in ("answer", "followup") and (events[j].get("question_id"), events[j].get("turn")) == key:
                    drop.add(j)
                    if events[j].get("type") == "answer":
                        break
    return [e for i, e in enumerate(events) if i not in drop]


def answers_of(events: list[dict]) -> list[dict]:
    return [e for e in without_continued(events) if e.get("type") == "answer" and isinstance(e.get("analysis"), dict)]


def with_followups(events: list[dict]) -> list[dict]:
    """Answer events, each with the follow-up that came right after it (`followup`, None if none)."""
    out: list[dict] = []
    for e in without_continued(events):
        if e.get("type") == "answer" and isinstance(e.get("analysis"), dict):
            out.append({**e, "followup": None})
        elif e.get("type") == "followup" and out and out[-1]["followup"] is None:
            out[-1]["followup"] = e
    return out


def is_request(answer: dict) -> bool:
    """Whether the turn asked about the question ("what do you mean by inundated?") instead of answering it.

    Such a turn is short by nature, so it is kept out of the delivery numbers and advice.
    """
    return (answer.get("followup") or {}).get("kind") in REQUEST_KINDS


def response_delay(timing: dict) -> float | None:
    """Seconds from the end of the question to the first word (logs older than the field: from its parts)."""
    delay = timing.get("response_delay_s")
    if delay is None and timing.get("speech_start") is not None and timing.get("prompt_end") is not None:
        delay = timing["speech_start"] - timing["prompt_end"]
    return round(delay, 1) if isinstance(delay, (int, float)) else None


def dead_air_heard(events: list[dict]) -> list[str]:
    """The trainee's words before each time the caller, left silent after a look-up, asked if
    anyone was there (`on_hold` commands)."""
    return [e.get("heard", "") for e in events if e.get("type") == "command" and e.get("command") == "on_hold"]


def is_call_turn(answer: dict) -> bool:
    """A trainee's turn on a role-play call (its answer event has `talked_over`), not an interview answer."""
    return "talked_over" in answer


def summarize(events: list[dict], config: AnalysisConfig | None = None, part: str = "all") -> SessionSummary:
    """`part`: "all" the session's turns, "interview" its interview answers only, "call" its call turns only
    (a session may be an interview that ends with a call)."""
    cfg = config or AnalysisConfig()
    start = events[0]
    answers = [a for a in with_followups(events) if not is_request(a)
               and (part == "all" or is_call_turn(a) == (part == "call"))]
    events = without_continued(events)
    analyses = [a["analysis"] for a in answers]
    ends = [e for e in events if e.get("type") == "session_end"]
    last_end = ends[-1] if ends else None
    resumed_after_end = last_end is not None and events.index(last_end) < max(
        (i for i, e in enumerate(events) if e.get("type") == "command" and e.get("command") == "resume"), default=-1
    )
    if last_end is None or resumed_after_end:
        status = "cut off"
    else:
        status = {"completed": "complete"}.get(last_end.get("reason", ""), last_end.get("reason", "unknown"))
    planned = start.get("questions") or []
    done = {e.get("question_id") for e in events if e.get("type") == "followup" and e.get("kind") in FINAL_KINDS}
    spans = [a.get("span_s") or 0.0 for a in analyses if a.get("word_count")]
    spoken_min = sum(spans) / 60.0
    fillers = sum((a.get("fillers") or {}).get("count", 0) for a in analyses)
    paced = [a for a in analyses if a.get("wpm") is not None]
    sure = [a for a in paced if not count_approximate(a, cfg.unsure_logprob)]
    wpms = [a["wpm"] for a in (sure or paced)]
    pause_lengths = [p["end"] - p["start"] for a in analyses for p in (a.get("pauses") or {}).get("items", [])]
    habits = [a["habits"] for a in analyses if isinstance(a.get("habits"), dict)]
    return SessionSummary(
        started=str(start.get("started_at", "")),
        bank=str(start.get("bank", "")),
        mode=str(start.get("mode", "")),
        status=status,
        questions_planned=len(planned),
        questions_done=len(done & set(planned)),
        answers=len(answers),
        median_wpm=round(statistics.median(wpms), 1) if wpms else None,
        fillers_per_minute=round(fillers / spoken_min, 1) if spoken_min > 0 else None,
        fillers=fillers,
        pauses=len(pause_lengths),
        longest_pause_s=round(max(pause_lengths), 2) if pause_lengths else None,
        mean_answer_s=round(sum(spans) / len(spans), 1) if spans else None,
        # interviewer follow-ups other than moving on (a role-play customer's replies are not follow-ups)
        followups_needed=sum(1 for e in events if e.get("type") == "followup"
                             and e.get("kind") in KINDS and e.get("kind") not in FINAL_KINDS),
        hedges=sum((h.get("hedges") or {}).get("count", 0) for h in habits) if habits else None,
        pace_unsure=len(paced) - len(sure),
        median_wpm_approximate=bool(paced) and not sure,
    )


@dataclass(frozen=True)
class CallSummary:
    """How a role-play call went, for `progress`: the checklist, the outcome, talking over, dead air."""
    scenario: str
    outcome: str  # resolved, hung_up, time_limit; "cut off" when the call did not finish
    turns: int
    checklist_passed: int | None  # None: cut off before the checklist was scored
    checklist_items: int | None
    talk_overs: int  # turns the trainee began before the caller had finished
    dead_air: int  # times the caller asked if anyone was there after a silent look-up


def call_summary(events: list[dict]) -> CallSummary | None:
    """The call of a session, or None if it had none."""
    turns = [a for a in answers_of(events) if is_call_turn(a)]
    if not turns:
        return None
    ends = [e["call"] for e in events if e.get("type") == "session_end" and isinstance(e.get("call"), dict)]
    call = ends[-1] if ends else {}
    checklist = [c for c in call.get("checklist") or [] if isinstance(c, dict)]
    return CallSummary(
        scenario=str(call.get("scenario") or turns[0].get("question_id", "")),
        outcome=str(call.get("outcome", "cut off")),
        turns=len(turns),
        checklist_passed=sum(1 for c in checklist if c.get("passed")) if checklist else None,
        checklist_items=len(checklist) if checklist else None,
        talk_overs=sum(1 for a in turns if a.get("talked_over")),
        dead_air=len(dead_air_heard(events)),
    )
