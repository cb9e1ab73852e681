"""Call scenarios from prompts/calls.toml: a small state machine each, validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.errors import UserError
from voice_interviewer.interview.bank import PROMPTS_DIR, read_toml

EVENTS = ("talk_over", "next_steps", "resolution", "empathy", "no_ack")  # in order of priority
ENDINGS = ("resolved", "hung_up")
# what the customer says when the agent has been silent long after "let me check that" (a
# scenario's `on_hold` replaces it)
ON_HOLD = ("Hello? Are you still there?",)


@dataclass(frozen=True)
class CallerState:
    name: str
    say: tuple[str, ...]
    on: dict[str, str]
    end: str | None  # "resolved" or "hung_up" for a final state


@dataclass(frozen=True)
class TraineeLine:
    text: str
    interrupt: bool


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    start: str
    voice: str
    rate_wpm: int
    time_limit_s: float
    max_turns: int
    problem: tuple[str, ...]
    resolution: tuple[str, ...]
    next_steps: tuple[str, ...]
    on_time_limit: str
    states: dict[str, CallerState]
    on_hold: tuple[str, ...]
    demo_trainee: tuple[TraineeLine, ...]


def _lines(value: object, path: Path, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise UserError(f"{path}: {key} must be a non-empty list of texts.")
    return tuple(v.strip() for v in value)


def _words(value: object, path: Path, key: str) -> tuple[str, ...]:
    return tuple(v.lower() for v in _lines(value, path, key))


def _text(table: dict, key: str, path: Path, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{path}: {where}{key} is {'missing' if value is None else 'empty or not text'}.")
    return value.strip()


def load_scenarios(path: Path = PROMPTS_DIR / "calls.toml") -> dict[str, Scenario]:
    data = read_toml(path)
    raw = data.get("scenarios")
    if not isinstance(raw, list) or not raw:
        raise UserError(f"{path}: scenarios is missing (expected [[scenarios]] tables).")
    out: dict[str, Scenario] = {}
    for i, s in enumerate(raw):
        where = f"scenarios[{i}]."
        sid = _text(s, "id", path, where)
        if sid in out:
            raise UserError(f"{path}: {where}id '{sid}' is used twice.")
        states_raw = s.get("states")
        if not isinstance(states_raw, dict) or not states_raw:
            raise UserError(f"{path}: {where}states is missing.")
        states: dict[str, CallerState] = {}
        for name, st in states_raw.items():
            swhere = f"{where}states.{name}."
            say = st.get("say")
            if not isinstance(say, list) or not say or not all(isinstance(t, str) and t.strip() for t in say):
                raise UserError(f"{path}: {swhere}say must be a non-empty list of texts.")
            on = st.get("on", {})
            if not isinstance(on, dict):
                raise UserError(f"{path}: {swhere}on must be a table of event = state.")
            for event in on:
                if event not in EVENTS:
                    raise UserError(f"{path}: {swhere}on.{event} is not an event ({', '.join(EVENTS)}).")
            end = st.get("end")
            if end is not None and end not in ENDINGS:
                raise UserError(f"{path}: {swhere}end '{end}' is not one of {', '.join(ENDINGS)}.")
            if end is None and not on:
                raise UserError(f"{path}: {swhere}on is missing: a state that does not end the call needs transitions.")
            states[name] = CallerState(name, tuple(t.strip() for t in say), dict(on), end)
        for state in states.values():
            for event, target in state.on.items():
                if target not in states:
                    raise UserError(f"{path}: {where}states.{state.name}.on.{event} goes to '{target}', which is not a state.")
        start = _text(s, "start", path, where)
        if start not in states:
            raise UserError(f"{path}: {where}start '{start}' is not a state.")
        trainee = []
        for j, line in enumerate(s.get("demo_trainee", [])):
            trainee.append(TraineeLine(_text(line, "text", path, f"{where}demo_trainee[{j}]."), bool(line.get("interrupt", False))))
        out[sid] = Scenario(
            id=sid,
            title=_text(s, "title", path, where),
            start=start,
            voice=str(s.get("voice", "en-us")),
            rate_wpm=int(s.get("rate_wpm", 170)),
            time_limit_s=float(s.get("time_limit_s", 300)),
            max_turns=int(s.get("max_turns", 10)),
            problem=_words(s.get("problem"), path, f"{where}problem"),
            resolution=_words(s.get("resolution"), path, f"{where}resolution"),
            next_steps=_words(s.get("next_steps"), path, f"{where}next_steps"),
            on_time_limit=_text(s, "on_time_limit", path, where),
            states=states,
            on_hold=_lines(s.get("on_hold", list(ON_HOLD)), path, f"{where}on_hold"),
            demo_trainee=tuple(trainee),
        )
    return out


def find_scenario(scenarios: dict[str, Scenario], scenario_id: str | None) -> Scenario:
    if scenario_id is None:
        return next(iter(scenarios.values()))
    if scenario_id not in scenarios:
        raise UserError(f"Unknown call scenario '{scenario_id}'; known: {', '.join(scenarios)}.")
    return scenarios[scenario_id]
