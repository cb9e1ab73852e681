"""The caller's reactions and the call checklist: pure functions over the trainee's words."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from voice_interviewer.analysis.content import EMPATHY, OWNERSHIP
from voice_interviewer.call.scenario import EVENTS, Scenario

GREETING = re.compile(r"\b(thank you for calling|thanks for calling|hello|hi|good (?:morning|afternoon|evening)|welcome to)\b", re.I)
NAME = re.compile(r"\b(my name is \w+|this is \w+|i'm \w+ (?:from|speaking|at|with|and)|\w+ speaking)\b", re.I)
RESTATE = re.compile(
    r"^so you\b|\b(so you(?:'re| are)? (?:saying|telling)|if i understand|just to confirm|let me make sure|so you(?:'ve| have)? been|"
    r"so you were|so your|so the|so it|you were charged|you(?:'ve| have) been|your \w+ (?:keeps|has|is|was))\b", re.I)
CLOSING = re.compile(r"\b(anything else|have a (?:great|good|nice) (?:day|evening)|thank you for calling|thanks for your patience|take care)\b", re.I)


def _has_any(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    low = text.lower()
    return tuple(w for w in words if re.search(r"\b" + re.escape(w) + r"\b", low))


def turn_events(text: str, scenario: Scenario, talked_over: bool) -> list[str]:
    """What this turn of the trainee's did, highest priority first (see prompts/calls.toml)."""
    events = []
    if talked_over:
        events.append("talk_over")
    if _has_any(text, scenario.next_steps):
        events.append("next_steps")
    if _has_any(text, scenario.resolution):
        events.append("resolution")
    low = text.lower().replace("’", "'")
    if EMPATHY.search(low) or OWNERSHIP.search(low):
        events.append("empathy")
    else:
        events.append("no_ack")
    return [e for e in EVENTS if e in events]


def next_state(scenario: Scenario, state: str, events: list[str]) -> tuple[str, str | None]:
    """The caller's next state and the event that moved it (None: no change)."""
    table = scenario.states[state].on
    for event in events:
        if event in table:
            return table[event], event
    return state, None


@dataclass(frozen=True)
class ChecklistItem:
    item: str
    passed: bool
    quote: str

    def to_dict(self) -> dict:
        return asdict(self)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _first_sentence(turns: list[str], test) -> str:
    for turn in turns:
        for sentence in _sentences(turn):
            if test(sentence):
                return sentence
    return ""


CHECKLIST = ("greeting and name", "empathy", "ownership", "restated the problem", "resolution", "confirmed next steps", "closing")


def score_call(turns: list[str], scenario: Scenario) -> list[ChecklistItem]:
    """The call checklist, each item with the trainee's sentence that earned it."""
    first = turns[:1]
    greeting = _first_sentence(first, lambda s: bool(GREETING.search(s)))
    name = _first_sentence(first, lambda s: bool(NAME.search(s)))
    quotes = {
        "greeting and name": " / ".join(dict.fromkeys(q for q in (greeting, name) if q)) if greeting and name else "",
        "empathy": _first_sentence(turns, lambda s: bool(EMPATHY.search(s.lower().replace("’", "'")))),
        "ownership": _first_sentence(turns, lambda s: bool(OWNERSHIP.search(s.lower().replace("’", "'")))),
        "restated the problem": _first_sentence(
            turns, lambda s: bool(RESTATE.search(s)) and len(_has_any(s, scenario.problem)) >= 2),
        "resolution": _first_sentence(turns, lambda s: bool(_has_any(s, scenario.resolution))),
        "confirmed next steps": _first_sentence(turns, lambda s: bool(_has_any(s, scenario.next_steps))),
        "closing": _first_sentence(turns[-1:], lambda s: bool(CLOSING.search(s))),
    }
    return [ChecklistItem(item, bool(quotes[item]), quotes[item]) for item in CHECKLIST]


def model_sentences(scenario: Scenario) -> dict[str, str]:
    """The demo trainee's sentence that earns each checklist item, as an example of it for this
    scenario (an item the script does not earn has none)."""
    return {c.item: c.quote for c in score_call([line.text for line in scenario.demo_trainee], scenario) if c.passed}
