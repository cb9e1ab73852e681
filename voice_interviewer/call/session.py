"""A role-play call: the customer speaks, the trainee answers, the customer reacts; then the checklist.

Logged with the session's usual events: each customer line is a `question` event
(speaker "customer", with the caller's state), each trainee turn an `answer`, and
each reaction a `followup` of kind "customer_reply" with the event that caused it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from voice_interviewer.analyze import analyze_samples, analyze_transcribed
from voice_interviewer.call.roleplay import next_state, score_call, turn_events
from voice_interviewer.call.scenario import Scenario
from voice_interviewer.config import SAMPLE_RATE, Config
from voice_interviewer.interview.policy import pick_line
from voice_interviewer.interview.session import Candidate, CandidateTurn, Clock, answer_timing
from voice_interviewer.speech.asr import Transcriber
from voice_interviewer.speech.tts import Synthesizer
from voice_interviewer.store.session_store import SessionStore


@dataclass
class CallResult:
    scenario: str
    title: str
    outcome: str = "cut off"  # resolved, hung_up, time_limit
    final_state: str = ""
    turns: int = 0
    checklist: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        passed = sum(1 for c in self.checklist if c["passed"])
        return {"scenario": self.scenario, "title": self.title, "outcome": self.outcome, "final_state": self.final_state, "turns": self.turns,
                "score": f"{passed}/{len(self.checklist)}", "checklist": self.checklist}


class ScriptedTrainee:
    """The demo trainee: says the scenario's scripted lines in order (no pause before an interrupting one)."""

    def __init__(self, scenario: Scenario, synth: Synthesizer, sink, clock: Clock, think_s: float) -> None:
        self.scenario, self.synth, self.sink, self.clock, self.think_s = scenario, synth, sink, clock, think_s

    def answer(self, topic, prompt: str, turn: int) -> CandidateTurn:
        lines = self.scenario.demo_trainee
        line = lines[turn] if turn < len(lines) else None
        speech = self.synth.synthesize(line.text) if line else np.zeros(0, np.float32)
        think = np.zeros(int((0.0 if line and line.interrupt else self.think_s) * SAMPLE_RATE), np.float32)
        samples = np.concatenate([think, speech, np.zeros(int(0.5 * SAMPLE_RATE), np.float32)])
        start = self.clock.now()
        self.sink.play(samples)
        return CandidateTurn(samples, start, self.clock.now())


class CallRunner:
    def __init__(self, scenario: Scenario, synth: Synthesizer, sink, clock: Clock, transcriber: Transcriber,
                 store: SessionStore, config: Config, said: list[str]) -> None:
        self.scenario, self.synth, self.sink, self.clock = scenario, synth, sink, clock
        self.transcriber, self.store, self.config, self.said = transcriber, store, config, said

    def _customer(self, text: str) -> np.ndarray:
        started = time.monotonic()
        audio = self.synth.synthesize(text, voice=self.scenario.voice, rate_wpm=self.scenario.rate_wpm)
        self.clock.spend(time.monotonic() - started)
        return audio

    def _hold_on(self, turn: int, reply: CandidateTurn, trainee) -> CandidateTurn:
        """The trainee announced a look-up ("Let me pull up your account.") and has been silent
        since: the customer checks in, and the trainee's next words are the same turn."""
        text = pick_line(self.scenario.on_hold, frozenset(self.said))
        self.store.event("command", command="on_hold", question_id=self.scenario.id, turn=turn,
                         heard=reply.transcript.text if reply.transcript is not None else "", reply=text)
        self.sink.play(self._customer(text))
        self.said.append(text)
        more = trainee.keep_listening(self.config.live.no_speech_s)
        return reply if more is None else more

    def run(self, trainee: Candidate) -> CallResult:
        s, cfg = self.scenario, self.config
        result = CallResult(s.id, s.title, final_state=s.start)
        state = s.start
        line = pick_line(s.states[state].say, frozenset(self.said))
        audio = self._customer(line)
        self.store.event("question", question_id=s.id, speaker="customer", state=state, text=line)
        started = self.clock.now()
        transcripts: list[str] = []
        if hasattr(trainee, "on_call"):  # hands-free: the trainee may now put the customer on hold
            trainee.on_call = True
        try:
            for turn in range(s.max_turns):
                talked_over_at = self.sink.play(audio)  # hands-free: when the trainee cut the customer off
                self.said.append(line)
                prompt_end, prompt = self.clock.now(), line
                reply = trainee.answer(s, line, turn)
                if reply.announced_pause and hasattr(trainee, "keep_listening"):
                    reply = self._hold_on(turn, reply, trainee)
                t0 = time.monotonic()
                if reply.transcript is not None:
                    metrics = analyze_transcribed(reply.samples, reply.transcript, cfg.analysis, reply.regions)
                else:
                    metrics = analyze_samples(reply.samples, self.transcriber, cfg.analysis)
                self.clock.spend(time.monotonic() - t0)
                ready = self.clock.now()
                words = metrics["words"]
                # the recording starts the moment the customer stops: speech right at its start
                # means the trainee was already talking over them
                talked_over = talked_over_at is not None or bool(words) and (reply.recording_start - prompt_end + words[0]["start"]) < cfg.interview.talk_over_s
                transcripts.append(metrics["transcript"])
                events = turn_events(metrics["transcript"], s, talked_over)
                new_state, event = next_state(s, state, events)
                out_of_time = self.clock.now() - started > s.time_limit_s or turn + 1 >= s.max_turns
                ending = s.states[new_state].end
                if out_of_time and not ending:
                    line, result.outcome = s.on_time_limit, "time_limit"
                else:
                    line = pick_line(s.states[new_state].say, frozenset(self.said))
                    result.outcome = ending or result.outcome
                audio = self._customer(line)
                if reply.complete is not None:  # searched while the trainee spoke and the line rendered
                    metrics = analyze_transcribed(reply.samples, reply.complete(), cfg.analysis, reply.regions)
                audio_rel = self.store.save_audio(f"call_{s.id}_t{turn}", reply.samples)
                self.store.event(
                    "answer", question_id=s.id, turn=turn, prompt=prompt, audio=audio_rel, analysis=metrics,
                    talked_over=talked_over, input_overflows=reply.input_overflows,
                    timing=answer_timing(prompt_end, reply, words, ready, self.clock.now()),
                )
                self.store.event("followup", question_id=s.id, turn=turn, kind="customer_reply", text=line,
                                 evidence=", ".join(events), event=event, state=new_state)
                state, result.final_state, result.turns = new_state, new_state, turn + 1
                if ending or out_of_time:
                    self.sink.play(audio)
                    self.said.append(line)
                    break
        finally:
            result.checklist = [c.to_dict() for c in score_call(transcripts, s)]
        return result
