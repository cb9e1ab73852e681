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


def call_log(scenario_id: str, turns: list[tuple[str, bool]], outcome: str, pauses: dict[int, tuple] | None = None):
    """Answer events (each with the customer's reply) and the session_end's `call` of a call whose
    trainee said `turns` (text, talked over?), the caller reacting as on a real call; a turn's
    words 0.3 s apart, with `pauses[i]` (start, end) of silence in turn i."""
    s = SCENARIOS[scenario_id]
    state, answers = s.start, []
    for i, (text, over) in enumerate(turns):
        events = turn_events(text, s, over)
        state, event = next_state(s, state, events)
        a, b = (pauses or {}).get(i, (None, None))
        words, t = [], 0.0
        for w in text.lower().replace(",", "").replace(".", "").replace("?", "").split():
            if a is not None and a <= t < b:  # the silence: the next word starts at its end
                t = b
            words.append({"text": w, "start": t, "end": t + 0.25})
            t += 0.3
        analysis = {"words": words, "word_count": len(words), "wpm": 150.0, "span_s": t, "volume": {"speech_dbfs": -20.0},
                    "fillers": {"count": 0, "per_minute": 0.0}, "pauses": {"items": [{"start": a, "end": b}] if a is not None else []}}
        answers.append({"type": "answer", "question_id": s.id, "turn": i, "talked_over": over, "analysis": analysis,
                        "followup": {"kind": "customer_reply", "evidence": ", ".join(events), "event": event, "state": state}})
    checklist = [c.to_dict() for c in score_call([t for t, _ in turns], s)]
    passed = sum(c["passed"] for c in checklist)
    call = {"scenario": s.id, "outcome": outcome, "turns": len(turns), "score": f"{passed}/{len(checklist)}", "checklist": checklist}
    return answers, call


GREET = "Thank you for calling, my name is Sam."


def test_a_trainee_who_talked_over_the_caller_is_told_first_with_what_it_did_to_the_caller():
    from voice_interviewer.report.advice import advice_for
    from voice_interviewer.report.call_advice import call_advice

    answers, call = call_log("wrong_bill", [
        (f"{GREET} {EMPATHY}", True),
        (f"{EMPATHY} {RESOLUTION['wrong_bill']}", False),
        (f"{EMPATHY} {RESOLUTION['wrong_bill']}", False),
        (f"{NEXT_STEPS['wrong_bill']} Is there anything else I can help with?", False),
    ], "resolved")
    assert answers[0]["followup"]["state"] == "furious"
    top = advice_for(answers, also=call_advice(answers, call, []))[0]
    assert top.title == "Let the caller finish before you speak"
    assert top.number == "you started before the customer had finished on 1 of 4 turns, and the caller turned furious"
    assert top.quote.startswith("thank you for calling my name is sam")
    calm, _ = call_log("wrong_bill", [(f"{GREET} {EMPATHY}", False)], "resolved")
    assert not [i for i in call_advice(calm, call, []) if i.title.startswith("Let the caller finish")]


def test_each_missed_checklist_item_is_advised_with_the_scenarios_own_example_and_where_it_belonged():
    from voice_interviewer.call.roleplay import model_sentences
    from voice_interviewer.report.call_advice import call_advice

    examples = model_sentences(SCENARIOS["wrong_bill"])
    # no restatement of the problem, and no closing at the end
    answers, call = call_log("wrong_bill", [
        (f"{GREET} {EMPATHY}", False),
        (RESOLUTION["wrong_bill"], False),
        (NEXT_STEPS["wrong_bill"], False),
    ], "resolved")
    items = {i.title.split(" (")[0]: i for i in call_advice(answers, call, [], examples=examples)}
    assert set(items) == {"Say the problem back in your own words", "Close the call"}, items
    restate, close = items["Say the problem back in your own words"], items["Close the call"]
    assert '("So you were charged two hundred dollars instead of one hundred this month.")' in restate.title
    assert restate.number == "not heard in any of your 3 turns (checklist 5/7)"
    assert restate.quote.startswith("thank you for calling")  # the first turn, where it belonged
    assert close.number == "not heard in your last turn (checklist 5/7)"
    assert close.quote.endswith("email a confirmation") and close.quote.startswith("…")
    # without the scenario's example, the general one
    plain = {i.title for i in call_advice(answers, call, [])}
    assert 'Close the call ("Is there anything else I can help you with?")' in plain


def test_a_call_that_ended_early_is_not_advised_on_what_was_never_due():
    from voice_interviewer.report.call_advice import call_advice

    turns = [(NO_ACK, False), (NO_ACK, False)]
    for outcome, due in (("hung_up", {"Acknowledge how the caller feels", "Offer a fix", "Say what happens next, and when",
                                      "Say the problem back in your own words", "Take ownership of the problem",
                                      "Open with a greeting and your name"}),
                         ("cut off", {"Acknowledge how the caller feels", "Open with a greeting and your name"})):
        answers, call = call_log("wrong_bill", turns, outcome)
        titles = {i.title.split(" (")[0] for i in call_advice(answers, call, [])}
        assert titles == due, (outcome, titles)  # never "Close the call": the caller took it away
    empathy = next(i for i in call_advice(answers, call, []) if i.title.startswith("Acknowledge"))
    assert empathy.quote.startswith("okay what is your account number")


def test_silences_on_a_call_are_dead_air_advice_not_the_interviews_thinking_pause_advice():
    from voice_interviewer.report.advice import advice_for
    from voice_interviewer.report.call_advice import call_advice

    text = f"{GREET} {EMPATHY} Let me check that for you. I can see the double charge. {RESOLUTION['wrong_bill']}"
    answers, call = call_log("wrong_bill", [(text, False)], "cut off", pauses={0: (6.0, 13.0)})
    on_call = call_advice(answers, call, ["Let me check that for you."])
    silence = next(i for i in on_call if i.title.startswith("Fill the dead air"))
    assert silence.number == ("the caller asked if you were still there 1 time after 10 s of silence; "
                              "1 silence of 3 s or more in your turns, the longest 7.0 s")
    assert "[7.0 s silence]" in silence.quote
    titles = [i.title for i in advice_for(answers, limit=10, also=on_call)]
    assert not [t for t in titles if t.startswith("Bridge long silences")], titles
    quiet = call_advice(answers, call, [])
    assert next(i for i in quiet if i.title.startswith("Fill the dead air")).number == "1 silence of 3 s or more in your turns, the longest 7.0 s"
    calm, _ = call_log("wrong_bill", [(text, False), (EMPATHY, False)], "cut off")
    assert not [i for i in call_advice(calm, call, []) if i.title.startswith("Fill the dead air")]
    # silence before the first word, once the caller has finished, is dead air too
    calm[1]["timing"] = {"response_delay_s": 4.2}
    calm[0]["timing"] = {"response_delay_s": 0.9}
    slow = next(i for i in call_advice(calm, call, []) if i.title.startswith("Fill the dead air"))
    assert slow.number == "1 of your 2 turns began 3 s or more after the caller stopped, the longest 4.2 s"
    assert slow.quote.startswith("[4.2 s silence] i'm so sorry about that")


def test_each_scenarios_scripted_trainee_is_a_model_of_every_checklist_item():
    from voice_interviewer.call.roleplay import CHECKLIST, model_sentences

    for sid, scenario in SCENARIOS.items():
        assert set(model_sentences(scenario)) == set(CHECKLIST), sid


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
    # a call is headed as a call: its scenario, turns and checklist, not an interview's questions
    assert "<h1>Call practice report</h1>" in html and f"call: {SCENARIOS[sid].title}" in html
    assert "Speech habits over the turns" in html and "<th>Checklist</th>" in html and f"<td>{end['call']['score']}</td>" in html and "questions" not in html.split("<h2>")[0]
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
    # and it is the first thing to work on: the scripted trainee earns the whole checklist
    work_on = md.split("## What to work on")[1].split("##")[0]
    assert work_on.lstrip().startswith('1. **Fill the dead air: say what you are doing ("I\'m just pulling up your account now.")**: '
                                       'the caller asked if you were still there 1 time after 10 s of silence.'), work_on


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
    md = (folder / "report.md").read_text()
    assert "# Interview practice report" in md  # an interview, with a call at its end
    # its answers and the call's short turns are summed up apart
    assert "answers: 1 · call turns: " in md and "| Interview answers |" in md and "| Call turns |" in md, md[:1200]
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
