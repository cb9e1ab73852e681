"""The scripted candidate of the demo: espeak-ng speech on a WAV tape (a person at a microphone: handsfree.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_interviewer.audio.sinks import AudioSink, WavFileSink
from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError
from voice_interviewer.interview.bank import PROMPTS_DIR, Question, read_toml
from voice_interviewer.interview.session import CandidateTurn, Clock
from voice_interviewer.speech.tts import Synthesizer


class TapeClock:
    """The demo's clock is the position in the call recording; time spent computing becomes silence on it."""

    def __init__(self, tape: WavFileSink) -> None:
        self.tape = tape

    def now(self) -> float:
        return self.tape.seconds_written

    def spend(self, seconds: float) -> None:
        if seconds > 0:
            self.tape.play(np.zeros(int(seconds * SAMPLE_RATE), np.float32))


@dataclass(frozen=True)
class ScriptedAnswer:
    question: str
    style: str
    text: str
    followup_answers: tuple[str, ...]


@dataclass(frozen=True)
class DemoScript:
    voice: str
    rate_wpm: int
    answers: tuple[ScriptedAnswer, ...]

    def answer_for(self, question_id: str) -> ScriptedAnswer | None:
        return next((a for a in self.answers if a.question == question_id), None)


def load_demo_script(path: Path = PROMPTS_DIR / "demo_candidate.toml") -> DemoScript:
    data = read_toml(path)
    cand = data.get("candidate", {})
    answers = []
    for i, a in enumerate(data.get("answers", [])):
        for key in ("question", "text"):
            if not isinstance(a.get(key), str) or not a[key].strip():
                raise UserError(f"{path}: answers[{i}].{key} is missing or empty.")
        more = a.get("followup_answers", [])
        if not isinstance(more, list) or not all(isinstance(t, str) and t.strip() for t in more):
            raise UserError(f"{path}: answers[{i}].followup_answers must be a list of non-empty texts.")
        answers.append(ScriptedAnswer(a["question"], a.get("style", ""), a["text"], tuple(more)))
    if not answers:
        raise UserError(f"{path}: answers is missing or empty.")
    return DemoScript(str(cand.get("voice", "en-us")), int(cand.get("rate_wpm", 160)), tuple(answers))


class ScriptedCandidate:
    """Answers from the demo script: a thinking pause, then the synthesized answer, into the call's sink."""

    def __init__(self, script: DemoScript, synth: Synthesizer, sink: AudioSink, clock: Clock, think_s: float) -> None:
        self.script, self.synth, self.sink, self.clock, self.think_s = script, synth, sink, clock, think_s

    def answer(self, question: Question, prompt: str, turn: int) -> CandidateTurn:
        scripted = self.script.answer_for(question.id)
        if scripted is None:
            text = ""
        elif turn == 0:
            text = scripted.text
        else:
            more = scripted.followup_answers
            text = more[turn - 1] if turn - 1 < len(more) else "I think that covers it."
        speech = self.synth.synthesize(text, voice=self.script.voice, rate_wpm=self.script.rate_wpm)
        think = np.zeros(int(self.think_s * SAMPLE_RATE), np.float32)
        tail = np.zeros(int(0.5 * SAMPLE_RATE), np.float32)
        samples = np.concatenate([think, speech, tail])
        start = self.clock.now()
        self.sink.play(samples)
        return CandidateTurn(samples, start, self.clock.now())
