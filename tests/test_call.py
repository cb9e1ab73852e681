"""Call role-play: every scenario branch from transcript fixtures (fast), the loader, the checklist,
and whole calls end to end with espeak-ng speech."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from voice_interviewer.call.roleplay import next_state, score_call, turn_events
from voice_interviewer.call.scenario import PROMPTS_DIR, load_scenarios
from voice_interviewer.errors import UserError

SCENARIOS = load_scenarios()

EMPATHY = "I'm so sorry about that, I understand how frustrating this is."
NO_ACK = "Okay. What is your account number?"
RESOLUTION = {
    "wrong_bill": "I'll make sure we refund the extra charge.",
    "internet_drops": "Let me book a technician to fix the line.",
    "late_refund": "I'll escalate it and process the refund right now.",
}
NEXT_STEPS = {
    "wrong_bill": "You'll see the credit within three business days and I'll email a confirmation.",
    "internet_drops": "The technician comes tomorrow between eight and twelve and you'll get a text.",
    "late_refund": "It will reach your account within three business days, I'll email you a reference number.",
}


def walk(scenario_id: str, turns: list[tuple[str, bool]]) -> list[str]:
    """Feed trainee turns (text, talked over?) through the caller; the states it went through."""
    s = SCENARIOS[scenario_id]
    state, path = s.start, [s.start]
    for text, over in turns:
        state, _ = next_state(s, state, turn_events(text, s, over))
        path.append(state)
        if s.states[state].end:
            break
    return path


def test_the_three_scenarios_are_there():
    assert set(SCENARIOS) == {"wrong_bill", "internet_drops", "late_refund"}
    for s in SCENARIOS.values():
        assert {st.end for st in s.states.values()} >= {"resolved", "hung_up"}
        assert len(s.demo_trainee) >= 3


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_empathy_then_a_fix_then_next_steps_resolves_the_call(sid):
    path = walk(sid, [(EMPATHY, False), (RESOLUTION[sid], False), (NEXT_STEPS[sid], False)])
    assert path[-1] == "resolved"
    assert len(set(path)) >= 3  # the caller really moved through moods


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_no_acknowledgement_escalates_until_the_caller_hangs_up(sid):
    path = walk(sid, [(NO_ACK, False)] * 4)
    assert path[-1] == "hung_up"
    assert path[1] != SCENARIOS[sid].start  # the first cold reply already escalates


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_talking_over_the_caller_escalates_even_with_kind_words(sid):
    s = SCENARIOS[sid]
    calm = walk(sid, [(EMPATHY, False)])[-1]
    over = walk(sid, [(EMPATHY, True)])[-1]
    assert calm != over
    assert s.states[over].on.get("talk_over") is not None  # escalated into a state that can escalate further


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_a_fix_before_any_acknowledgement_is_not_enough_when_angry(sid):
    s = SCENARIOS[sid]
    angry = next(name for name, st in s.states.items() if st.on.get("empathy") and st.on.get("no_ack") == "hung_up")
    state, event = next_state(s, angry, turn_events(RESOLUTION[sid], s, False))
    assert state not in ("resolved", "confirming")


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_next_steps_without_a_fix_do_not_end_the_call_early(sid):
    s = SCENARIOS[sid]
    state, _ = next_state(s, s.start, turn_events(EMPATHY, s, False))
    state, _ = next_state(s, state, turn_events(EMPATHY, s, False))
    assert not s.states[state].end


def test_events_are_read_in_priority_order():
    s = SCENARIOS["wrong_bill"]
    # "credit" is a fix and "within" a next step: both are read, in priority order
    assert turn_events(NEXT_STEPS["wrong_bill"] + " " + EMPATHY, s, True) == ["talk_over", "next_steps", "resolution", "empathy"]
    assert turn_events(EMPATHY, s, False) == ["empathy"]
    assert turn_events("", s, False) == ["no_ack"]


def test_checklist_items_each_with_the_sentence_that_earned_it():
    s = SCENARIOS["wrong_bill"]
    turns = [
        "Thank you for calling, my name is Sam. I'm sorry about that.",
        "So you were charged twice on this month's bill. I'll make sure we refund the extra charge.",
        "You'll see the credit within three business days. Is there anything else I can help with?",
    ]
    items = {c.item: c for c in score_call(turns, s)}
    assert all(c.passed for c in items.values())
    assert items["greeting and name"].quote == "Thank you for calling, my name is Sam."
    assert items["restated the problem"].quote.startswith("So you were charged twice")
    assert items["confirmed next steps"].quote.startswith("You'll see the credit")
    bare = {c.item: c for c in score_call(["Yes?", "We can't do anything about that."], s)}
    assert not any(c.passed for c in bare.values())
    assert all(c.quote == "" for c in bare.values())


def test_checklist_closing_must_come_at_the_end():
    s = SCENARIOS["late_refund"]
    items = {c.item: c for c in score_call(["Is there anything else? Hello.", "I'll process the refund."], s)}
    assert not items["closing"].passed


GOOD = (PROMPTS_DIR / "calls.toml").read_text()


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda s: s.replace('talk_over = "furious", no_ack = "furious"', 'talk_ovr = "furious", no_ack = "furious"', 1), "on.talk_ovr is not an event"),
        (lambda s: s.replace('empathy = "upset", resolution = "upset" }', 'empathy = "upsett", resolution = "upset" }', 1), "goes to 'upsett', which is not a state"),
        (lambda s: s.replace('start = "angry"', 'start = "livid"', 1), "start 'livid' is not a state"),
        (lambda s: s.replace('id = "wrong_bill"', 'id = ""', 1), "scenarios[0].id is empty"),
        (lambda s: s.replace('Goodbye."]\nend = "resolved"', 'Goodbye."]\nend = "happy"', 1), "end 'happy' is not one of"),
        (lambda s: s.replace('on_hold = ["Hello? Are you still there?", "Hello? Did you find it?"]', 'on_hold = []', 1),
         "scenarios[0].on_hold must be a non-empty list of texts"),
    ],
)
def test_malformed_scenarios_get_one_clear_error(tmp_path, mutate, message):
    path = tmp_path / "calls.toml"
    path.write_text(mutate(GOOD))
    with pytest.raises(UserError) as err:
        load_scenarios(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_a_scenario_without_on_hold_lines_checks_in_with_the_default(tmp_path):
    from voice_interviewer.call.scenario import ON_HOLD

    path = tmp_path / "calls.toml"
    path.write_text(GOOD.replace('on_hold = ["Hello? Are you still there?", "Hello? Did you find it?"]\n', "", 1))
    scenarios = load_scenarios(path)
    assert scenarios["wrong_bill"].on_hold == ON_HOLD
    assert scenarios["internet_drops"].on_hold != ON_HOLD  # its own, from the file


def test_unknown_scenario_is_one_sentence(tmp_path):
    proc = run_cli("call", "--demo", "--scenario", "lost_parcel", "--out", str(tmp_path / "s"))
    assert proc.returncode == 2 and "Unknown call scenario 'lost_parcel'" in proc.stderr and "Traceback" not in proc.stderr


# --- whole calls with espeak-ng speech and the real model ----------------------------------------

def session_events(folder) -> list[dict]:
    return [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]


def run_scripted_call(tmp_path, scenario):
    """A whole call through CallRunner with the scenario's scripted trainee, onto a WAV tape."""
    from voice_interviewer.audio.sinks import WavFileSink
    from voice_interviewer.call.session import CallRunner, ScriptedTrainee
    from voice_interviewer.config import Config
    from voice_interviewer.interview.candidates import TapeClock
    from voice_interviewer.speech.asr import Transcriber
    from voice_interviewer.speech.tts import Synthesizer
    from voice_interviewer.store.session_store import SessionStore

    store = SessionStore(tmp_path / "s")
    tape = WavFileSink(tmp_path / "s" / "tape.wav")
    clock, synth = TapeClock(tape), Synthesizer()
    store.event("session_start", mode="call", questions=[])
    try:
        return CallRunner(scenario, synth, tape, clock, Transcriber(), store, Config(), []).run(
            ScriptedTrainee(scenario, synth, tape, clock, think_s=0.8))
    finally:
        tape.close()
        store.close()


@pytest.mark.parametrize("sid", sorted(SCENARIOS))
def test_scripted_call_end_to_end(tmp_path, sid):
    folder = tmp_path / sid
    proc = run_cli("call", "--demo", "--scenario", sid, "--out", str(folder))
    assert proc.returncode == 0, proc.stderr
    events = session_events(folder)
    assert events[0]["mode"] == "call" and events[0]["scenario"] == sid
    customer = [e for e in events if e["type"] == "question"]
    replies = [e for e in events if e["type"] == "followup"]
    assert customer[0]["speaker"] == "customer" and customer[0]["state"] == SCENARIOS[sid].start
    assert all(r["kind"] == "customer_reply" for r in replies)
    end = events[-1]
    assert end["type"] == "session_end" and end["call"]["outcome"] == "resolved"
    passed = [c for c in end["call"]["checklist"] if c["passed"]]
    assert len(passed) >= 5 and all(c["quote"] for c in passed)
    html = (folder / "report.html").read_text()
    assert "Call role-play" in html and "Customer:" in html
    assert "Dead air" not in html  # the scripted trainee never leaves the caller waiting


def test_the_report_names_the_dead_air_a_caller_sat_through(tmp_path):
    """A hands-free trainee who said "Let me check that for you." and then left the caller silent
    until they asked "Are you still there?" (an `on_hold` event) is told so, with their words."""
    folder = tmp_path / "s"
    assert run_cli("call", "--demo", "--scenario", "wrong_bill", "--out", str(folder)).returncode == 0
    log = folder / "session.jsonl"
    events = session_events(folder)
    hold = {"type": "command", "command": "on_hold", "question_id": "wrong_bill", "turn": 1,
            "heard": "Let me check that for you.", "reply": "Hello? Are you still there?", "t": events[-2]["t"]}
    log.write_text("".join(json.dumps(e) + "\n" for e in events[:-1] + [hold] + events[-1:]))
    proc = run_cli("report", str(folder))
    assert proc.returncode == 0, proc.stderr
    md, html = (folder / "report.md").read_text(), (folder / "report.html").read_text()
    assert ('Dead air: 1 time the caller sat in silence for 10 s or more and asked if you were still there '
            '(after "Let me check that for you.")') in md
    assert "Dead air:" in html and "(after “Let me check that for you.”)" in html


def test_talking_over_the_customer_is_heard_and_escalates(tmp_path):
    calls = tmp_path / "calls.toml"
    calls.write_text(GOOD.replace(
        'text = "Thank you for calling, my name is Sam.',
        'interrupt = true\ntext = "Thank you for calling, my name is Sam.', 1))
    scenario = load_scenarios(calls)["wrong_bill"]
    assert scenario.demo_trainee[0].interrupt
    result = run_scripted_call(tmp_path, scenario)
    answers = [e for e in session_events(tmp_path / "s") if e["type"] == "answer"]
    assert answers[0]["talked_over"] is True and answers[1]["talked_over"] is False
    first_reply = next(e for e in session_events(tmp_path / "s") if e["type"] == "followup")
    assert first_reply["event"] == "talk_over" and first_reply["state"] == "furious"
    assert result.outcome != "resolved" or result.turns > 3


def test_interview_ending_with_a_call_is_one_session(tmp_path):
    folder = tmp_path / "mixed"
    proc = run_cli("demo", "--questions", "1", "--with-call", "late_refund", "--out", str(folder))
    assert proc.returncode == 0, proc.stderr
    events = session_events(folder)
    kinds = [e.get("kind") for e in events if e["type"] == "followup"]
    assert kinds[0] != "customer_reply" and kinds[-1] == "customer_reply"
    assert events[-1]["call"]["scenario"] == "late_refund"
    assert events[-1]["answers"] == sum(e["type"] == "answer" for e in events)
    from voice_interviewer.report.summary import summarize

    interviewer_followups = sum(1 for k in kinds if k not in ("customer_reply", "next_question", "no_answer"))
    assert summarize(events).followups_needed == interviewer_followups


def test_a_call_that_goes_nowhere_ends_at_the_turn_limit(tmp_path):
    calls = tmp_path / "calls.toml"
    text = GOOD.replace("max_turns = 10", "max_turns = 2", 1)
    # a trainee who only ever asks for details: the caller stays upset, never hangs up, never calms
    text = text.replace('on = { talk_over = "angry", no_ack = "angry", empathy = "upset", resolution = "confirming", next_steps = "confirming" }',
                        'on = { talk_over = "angry", empathy = "upset", resolution = "confirming", next_steps = "confirming" }', 1)
    text = text.replace('start = "angry"', 'start = "upset"', 1)
    calls.write_text(text)
    from dataclasses import replace

    from voice_interviewer.call.scenario import TraineeLine

    scenario = load_scenarios(calls)["wrong_bill"]
    scenario = replace(scenario, demo_trainee=(TraineeLine("Can you give me your account number?", False),) * 3)
    result = run_scripted_call(tmp_path, scenario)
    assert result.outcome == "time_limit" and result.turns == 2
    last = [e for e in session_events(tmp_path / "s") if e["type"] == "followup"][-1]
    assert last["text"] == scenario.on_time_limit
