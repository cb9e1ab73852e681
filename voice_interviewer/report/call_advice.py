"""What a phone-support trainee should work on after a role-play call (pure).

An interview's advice is about answers; a call is judged by the caller: were they talked over,
left in silence, acknowledged, given a fix and told what happens next. Each item here is an
`Advice`, ranked with the delivery advice that still holds on a call (volume, pace, fillers).
"""

from __future__ import annotations

from voice_interviewer.config import AnalysisConfig
from voice_interviewer.report.advice import Advice, pause_quote, snippet, spoken_answers, words_of
from voice_interviewer.report.summary import is_call_turn, response_delay

# checklist item -> what to do, an example of it (a scenario's own example replaces it), and
# how much missing it costs on a call: the caller's feelings and a fix first, form last
CHECKLIST_ADVICE = {
    "empathy": ("Acknowledge how the caller feels", "I'm sorry, I understand how frustrating that is.", 1.1),
    "resolution": ("Offer a fix", "I'll correct that for you today.", 1.0),
    "confirmed next steps": ("Say what happens next, and when", "You'll see it within three business days.", 0.9),
    "restated the problem": ("Say the problem back in your own words", "So, just to confirm, the problem is ...", 0.7),
    "ownership": ("Take ownership of the problem", "I'll make sure this gets sorted out.", 0.6),
    "greeting and name": ("Open with a greeting and your name", "Thank you for calling, my name is ...", 0.6),
    "closing": ("Close the call", "Is there anything else I can help you with?", 0.5),
}
# a caller who stops talking has not heard the fix or the next steps yet: only these items were due
DUE_IN_ANY_CALL = ("greeting and name", "empathy")
TALK_OVER_WEIGHT = 1.0  # plus half the share of turns talked over: it is what makes callers hang up
SILENCE_WEIGHT = 0.7  # plus this again when the caller had to ask if anyone was there
LOOK_UP_EXAMPLE = "I'm just pulling up your account now."


def _mood_after(turn: dict, event: str) -> str | None:
    """The caller's state after this turn, if `event` is what moved it there."""
    followup = turn.get("followup") or {}
    return followup.get("state") if followup.get("event") == event else None


def _talk_over(turns: list[dict]) -> list[Advice]:
    over = [t for t in turns if t.get("talked_over")]
    if not over:
        return []
    moods = [m for m in (_mood_after(t, "talk_over") for t in over) if m]
    number = f"you started before the customer had finished on {len(over)} of {len(turns)} turns"
    if moods:
        number += f", and the caller turned {moods[0]}"
    return [Advice("Let the caller finish before you speak", number, snippet(words_of(over[0]), before=0, after=12),
                   TALK_OVER_WEIGHT + 0.5 * len(over) / len(turns))]


def _silences(turns: list[dict], dead_air: list[str], cfg: AnalysisConfig, hold_s: float) -> list[Advice]:
    """Dead air: silences inside the trainee's turns, before their first word once the caller
    had finished, and the times the caller asked if anyone was there."""
    long = [(t, p) for t in turns for p in t["analysis"].get("pauses", {}).get("items", [])
            if p["end"] - p["start"] >= cfg.long_pause_s]
    slow = [(t, d) for t in turns if (d := response_delay(t.get("timing") or {})) is not None and d >= cfg.long_pause_s]
    if not long and not slow and not dead_air:
        return []
    parts, quote = [], ""
    if dead_air:
        parts.append(f"the caller asked if you were still there {len(dead_air)} time{'s' if len(dead_air) > 1 else ''}"
                     f" after {hold_s:.0f} s of silence")
        quote = f"… {dead_air[0]} [silence]"
    if slow:
        turn, delay = max(slow, key=lambda x: x[1])
        parts.append(f"{len(slow)} of your {len(turns)} turns began {cfg.long_pause_s:.0f} s or more after the caller stopped, "
                     f"the longest {delay:.1f} s")
        quote = f"[{delay:.1f} s silence] {snippet(words_of(turn), before=0, after=10)}"
    if long:
        turn, pause = max(long, key=lambda x: x[1]["end"] - x[1]["start"])
        parts.append(f"{len(long)} silence{'s' if len(long) > 1 else ''} of {cfg.long_pause_s:.0f} s or more in your turns, "
                     f"the longest {pause['end'] - pause['start']:.1f} s")
        quote = pause_quote(turn["analysis"], pause)
    return [Advice(f"Fill the dead air: say what you are doing (\"{LOOK_UP_EXAMPLE}\")", "; ".join(parts), quote,
                   SILENCE_WEIGHT * (2 if dead_air else 1))]


def _where_it_was_due(item: str, turns: list[dict]) -> str:
    """The trainee's words where the missing item belonged."""
    if item == "closing":
        words = words_of(turns[-1])
        return snippet(words, len(words), before=12, after=0)
    if item in ("resolution", "confirmed next steps"):
        return snippet(words_of(turns[-1]), before=0, after=14)
    if item in ("empathy", "ownership"):  # the first turn that acknowledged nothing
        unheard = [t for t in turns if "no_ack" in ((t.get("followup") or {}).get("evidence") or "")]
        return snippet(words_of((unheard or turns)[0]), before=0, after=14)
    return snippet(words_of(turns[0]), before=0, after=14)


def _checklist(turns: list[dict], call: dict, examples: dict[str, str]) -> list[Advice]:
    outcome = call.get("outcome")
    items = []
    for check in call.get("checklist") or []:
        if not isinstance(check, dict):
            continue
        item = check.get("item")
        if check.get("passed") or item not in CHECKLIST_ADVICE:
            continue
        # a call cut short is judged on what was due by then; a caller who hung up took the close away
        if outcome not in ("resolved", "hung_up", "time_limit") and item not in DUE_IN_ANY_CALL:
            continue
        if item == "closing" and outcome != "resolved":
            continue
        title, example, weight = CHECKLIST_ADVICE[item]
        where = {"greeting and name": "your first turn", "closing": "your last turn"}.get(
            item, f"any of your {len(turns)} turns" if len(turns) > 1 else "your turn")
        items.append(Advice(f"{title} (\"{examples.get(item) or example}\")",
                            f"not heard in {where} (checklist {call.get('score', '')})",
                            _where_it_was_due(item, turns), weight))
    return items


def call_advice(answers: list[dict], call: dict | None, dead_air: list[str], config: AnalysisConfig | None = None,
                hold_s: float = 10.0, examples: dict[str, str] | None = None) -> list[Advice]:
    """Call-specific advice, unranked. `answers`: answer events with their `followup`; `call`: the
    session_end's `call` (None when the session was cut off before it); `dead_air`: the words
    heard before each time the caller checked in; `examples`: the scenario's own sentence for
    each checklist item, where it has one."""
    cfg = config or AnalysisConfig()
    turns = [t for t in spoken_answers(answers) if is_call_turn(t)]
    if not turns:
        return []
    items = _talk_over(turns) + _silences(turns, dead_air, cfg, hold_s)
    if call:
        items += _checklist(turns, call, examples or {})
    return items
