"""The interview loop: speak, listen, analyse, decide, log. Devices, files and tests share it.

The loop only knows four small interfaces: a sink that plays audio, a candidate
that returns an answer's audio, a clock, and the session store. The demo plugs in
a WAV tape, a scripted candidate and the tape's clock; a live session plugs in
a speaker, a microphone and the wall clock.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol

import numpy as np

from voice_interviewer.analyze import analyze_samples, analyze_transcribed
from voice_interviewer.audio.sinks import AudioSink
from voice_interviewer.config import SAMPLE_RATE, Config
from voice_interviewer.interview.bank import Bank, Question
from voice_interviewer.interview.commands import sounds_like_ending
from voice_interviewer.interview.policy import FINAL_KINDS, Followup, decide_followup, pick_line
from voice_interviewer.speech.asr import Transcriber, Transcript
from voice_interviewer.speech.tts import Synthesizer
from voice_interviewer.store.session_store import SessionStore


@dataclass(frozen=True)
class CandidateTurn:
    samples: np.ndarray  # the answer audio, starting at `recording_start`
    recording_start: float  # session clock when the audio starts
    endpoint: float  # session clock when the answer was taken as finished
    input_overflows: int = 0  # audio blocks the microphone lost while recording (0 for files)
    transcript: Transcript | None = None  # already transcribed while it was spoken (live sessions)
    regions: list[tuple[float, float]] | None = None  # and where its speech is (found piece by piece)
    command: str | None = None  # a voice command instead of an answer (interview/commands.py)
    silent: bool = False  # nothing was said before the no-speech limit
    runaway: bool = False  # cut off at the longest answer allowed
    # closed after the long silence the words announced ("let me think"; on a call "let me check
    # that"): the speaker may still be thinking or looking something up
    announced_pause: bool = False
    # live sessions: the transcript with the filled pauses both passes missed (waits for the search)
    complete: Callable[[], Transcript] | None = None


def answer_timing(prompt_end: float, reply: CandidateTurn, words: list[dict], transcript_ready: float,
                  next_prompt_start: float) -> dict:
    """The `timing` of an answer event (DESIGN.md section 3), in seconds on the session clock.

    `response_delay_s`: from the end of the question to the first word (fillers count: an
    "um" is a start), what an interviewer notices as the candidate's thinking time.
    """
    speech_start = reply.recording_start + words[0]["start"] if words else None
    return {
        "prompt_end": round(prompt_end, 3),
        "response_delay_s": round(speech_start - prompt_end, 3) if speech_start is not None else None,
        "speech_start": round(speech_start, 3) if speech_start is not None else None,
        "speech_end": round(reply.recording_start + words[-1]["end"], 3) if words else None,
        "endpoint": round(reply.endpoint, 3),
        "transcript_ready": round(transcript_ready, 3),
        "next_prompt_start": round(next_prompt_start, 3),
    }


class Candidate(Protocol):
    def answer(self, question: Question, prompt: str, turn: int) -> CandidateTurn: ...


class Clock(Protocol):
    def now(self) -> float: ...

    def spend(self, seconds: float) -> None: ...


class WallClock:
    """Real time since the session started; processing time passes by itself."""

    def __init__(self) -> None:
        self._t0 = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._t0

    def spend(self, seconds: float) -> None:
        pass


RESUME_LINE = "Welcome back. Let's carry on where we stopped."
CALL_INTRO = ("Now let's finish with a short role-play. I'll be a customer calling in, and you're the support agent. "
              "Answer the call when you're ready.")


def unfinished_questions(events: list[dict]) -> tuple[list[str], int]:
    """The question ids still to ask in a saved session, and the number of the first of them.

    A question counts as done once the interviewer moved on from it; one cut off in the
    middle is asked again from the start (its finished answers stay in the log).
    """
    planned: list[str] = list(events[0].get("questions", []))
    done = {e.get("question_id") for e in events if e.get("type") == "followup" and e.get("kind") in FINAL_KINDS}
    remaining = [q for q in planned if q not in done]
    first = planned.index(remaining[0]) + 1 if remaining else len(planned) + 1
    return remaining, first


@dataclass
class SessionResult:
    answers: int = 0
    reason: str = "completed"
    said: list[str] = field(default_factory=list)
    call: dict | None = None  # the role-play's outcome and checklist, when there was one


class Interviewer:
    def __init__(
        self,
        bank: Bank,
        lines: dict[str, tuple[str, ...]],
        synthesizer: Synthesizer,
        sink: AudioSink,
        clock: Clock,
        transcriber: Transcriber,
        store: SessionStore,
        config: Config,
    ) -> None:
        self.bank, self.lines, self.synth, self.sink = bank, lines, synthesizer, sink
        self.clock, self.transcriber, self.store, self.config = clock, transcriber, store, config
        self.result = SessionResult()
        self._audio_suffix = ""  # resumed parts get their own file names, so no saved answer is overwritten

    def _render(self, text: str) -> np.ndarray:
        started = time.monotonic()
        audio = self.synth.synthesize(text)
        self.clock.spend(time.monotonic() - started)
        return audio

    def _play(self, audio: np.ndarray, text: str) -> tuple[float, float, float | None]:
        """Play a line: its start and end on the session clock, and when the candidate talked over it (or None)."""
        start = self.clock.now()
        talked_over_at = self.sink.play(audio)
        self.result.said.append(text)
        if talked_over_at is not None:  # the candidate talked over this line, and it stopped
            self.store.event("command", command="barge_in", line=text, at=round(talked_over_at, 3),
                             stopped=round(self.clock.now(), 3))
        return start, self.clock.now(), talked_over_at

    def say(self, text: str) -> tuple[float, float, float | None]:
        return self._play(self._render(text), text)

    def line(self, kind: str) -> str:
        return pick_line(self.lines[kind], frozenset(self.result.said))

    def run(
        self, questions: list[Question], candidate: Candidate, meta: dict, resume_from: int | None = None,
        call: tuple | None = None,
    ) -> SessionResult:
        """Ask `questions` in order, then the role-play `call` = (CallRunner, trainee) if given.

        `resume_from`: continue a saved session at this question number.
        """
        cfg = self.config
        if resume_from is None:
            self.store.event("session_start", bank=self.bank.id, questions=[q.id for q in questions], **meta)
            opening, first = (self.bank.intro if questions else ""), 1
        else:
            self.store.event("command", command="resume", questions=[q.id for q in questions], **meta)
            opening, first = RESUME_LINE, resume_from
            self._audio_suffix = f"_r{meta.get('resume_count', 1)}"
        try:
            if opening:
                self.say(opening)
                self.sink.play(np.zeros(int(cfg.interview.interviewer_gap_s * SAMPLE_RATE), np.float32))
            for number, question in enumerate(questions, first):
                self._ask(number, question, candidate)
            if call is not None:
                runner, trainee = call
                if questions:
                    self.say(CALL_INTRO)
                outcome = runner.run(trainee)
                self.result.call = outcome.to_dict()
                self.result.answers += outcome.turns
            if self.bank.closing and questions:
                self.say(self.bank.closing)
        except EndedByCandidate as ended:
            self.result.reason = "ended_by_candidate"
            self.say(str(ended))
        except KeyboardInterrupt:
            self.result.reason = "interrupted"
            raise
        except BaseException:
            self.result.reason = "error"
            raise
        finally:
            extra = {"call": self.result.call} if self.result.call else {}
            self.store.event("session_end", reason=self.result.reason, answers=self.result.answers, **extra)
        return self.result

    def _ask(self, number: int, question: Question, candidate: Candidate) -> None:
        cfg = self.config
        self.store.event("question", question_id=question.id, number=number, text=question.text)
        prompt = question.text  # what the candidate is answering: the question, then each follow-up
        say_text, say_audio = prompt, self._render(prompt)
        asked: list[str] = []
        turn, silences, offered_repeat, asked_to_end = 0, 0, False, False
        closing = False  # the line just queued moves on from this question
        last: tuple | None = None  # the answer just closed, in case the candidate goes on with it
        while True:
            _, prompt_end, talked_over_at = self._play(say_audio, say_text)
            if closing and last is not None and talked_over_at is None and hasattr(candidate, "speech_before"):
                # a short "Thank you." can be over before someone who had more to say goes on
                talked_over_at = candidate.speech_before(last[0].endpoint + cfg.live.merge_window_s)
            going_on = (last is not None and talked_over_at is not None
                        and talked_over_at - last[0].endpoint <= cfg.live.merge_window_s)
            if going_on:
                # talking again right after the turn closed: the same answer goes on
                previous, turn, prompt, asked, prompt_end = last
                self.store.event("command", command="continue", question_id=question.id, turn=turn)
                reply = candidate.continue_answer()  # type: ignore[attr-defined]
                closing = False
            elif closing:
                return
            else:
                reply = candidate.answer(question, prompt, turn)
            last = None
            if reply.announced_pause and hasattr(candidate, "keep_listening"):
                reply = self._give_time(question, turn, reply, candidate)
            heard = reply.transcript.text if reply.transcript is not None else ""
            if offered_repeat and reply.command is None and _is_yes(heard):
                reply = replace(reply, command="repeat")
            if asked_to_end and reply.command in (None, "confirm_end"):  # "Would you like to end the interview?"
                if reply.command == "confirm_end" or _is_yes(heard):
                    reply = replace(reply, command="end")
                elif _is_no(heard):
                    reply = replace(reply, command="go_on")
            offered_repeat, asked_to_end = False, False
            if reply.command == "confirm_end" or (
                    reply.command is None and not reply.silent and sounds_like_ending(heard)):
                # it sounded like "end the interview", but not clearly (or only when heard again
                # primed with the commands): ask, as a person would
                say_text = self.line("confirm_end")
                self.store.event("command", command="confirm_end", question_id=question.id, turn=turn, heard=heard,
                                 reply=say_text)
                say_audio, asked_to_end = self._render(say_text), True
                continue
            if reply.command is not None:
                # each command event also records what the interviewer said back (`reply`)
                command = reply.command
                if command == "pause":
                    text = self.line("pause")
                    self.store.event("command", command="pause", question_id=question.id, turn=turn, heard=heard, reply=text)
                    self.say(text)
                    command, heard = candidate.wait_for_command(("resume", "end"))  # type: ignore[attr-defined]
                    if command != "end":
                        say_text = f"{self.line('resume')} {prompt}"
                        # "resume" in the log means a session resumed from disk; this one ends a pause
                        self.store.event("command", command="pause_over", question_id=question.id, turn=turn,
                                         heard=heard, reply=say_text)
                        say_audio = self._render(say_text)
                        continue
                if command == "end":
                    text = self.line("end")
                    self.store.event("command", command="end", question_id=question.id, turn=turn, heard=heard, reply=text)
                    raise EndedByCandidate(text)
                if command == "skip":
                    text = self.line("skip")
                    self.store.event("command", command="skip", question_id=question.id, turn=turn, heard=heard, reply=text)
                    self.store.event("followup", question_id=question.id, turn=turn, kind="next_question", text=text,
                                     evidence=f'the candidate said "{heard}"')
                    say_text, say_audio, closing = text, self._render(text), True
                    continue
                if command == "clarify":
                    prompt = question.rephrase if turn == 0 else prompt
                    say_text = f"{self.line('clarify_question')} {prompt}"
                elif command == "go_on":  # "No." to "Would you like to end the interview?"
                    say_text = f"{self.line('go_on')} {prompt}"
                else:  # repeat (a "resume" outside a pause is taken the same way)
                    say_text = f"{self.line('repeat_question')} {prompt}"
                self.store.event("command", command=command, question_id=question.id, turn=turn, heard=heard, reply=say_text)
                say_audio = self._render(say_text)
                continue
            if reply.silent:
                silences += 1
                if silences == 1:
                    say_text = self.line("offer_repeat")
                    self.store.event("command", command="no_speech", question_id=question.id, turn=turn,
                                     seconds=cfg.live.no_speech_s, reply=say_text)
                    say_audio, offered_repeat = self._render(say_text), True
                    continue
                self.store.event("command", command="no_speech", question_id=question.id, turn=turn,
                                 seconds=cfg.live.no_speech_s)
                text = self.line("no_answer")
                self.store.event("followup", question_id=question.id, turn=turn, kind="no_answer", text=text,
                                 evidence=f"no speech for {cfg.live.no_speech_s:.0f} s, twice")
                say_text, say_audio, closing = text, self._render(text), True
                continue
            started = time.monotonic()
            if reply.transcript is not None:
                metrics = analyze_transcribed(reply.samples, reply.transcript, cfg.analysis, reply.regions)
            else:
                metrics = analyze_samples(reply.samples, self.transcriber, cfg.analysis)
            self.clock.spend(time.monotonic() - started)
            transcript_ready = self.clock.now()
            if reply.runaway and "summarize" not in asked:
                decision = Followup("summarize", self.line("summarize"),
                                    f"the answer reached the {cfg.live.max_answer_s:.0f} s limit and was interrupted")
            else:
                decision = decide_followup(
                    metrics, question, self.lines, tuple(asked), frozenset(self.result.said),
                    cfg.interview.max_followups_per_question, cfg.analysis,
                )
            next_audio = self._render(decision.text)
            if reply.complete is not None:  # searched while the answer was spoken and the reply rendered
                metrics = analyze_transcribed(reply.samples, reply.complete(), cfg.analysis, reply.regions)
            audio_rel = self.store.save_audio(
                f"q{number:02d}_{question.id}_t{turn}{self._audio_suffix}{'_more' if going_on else ''}", reply.samples)
            self.store.event(
                "answer",
                question_id=question.id,
                turn=turn,
                prompt=prompt,
                audio=audio_rel,
                analysis=metrics,
                input_overflows=reply.input_overflows,
                timing=answer_timing(prompt_end, reply, metrics["words"], transcript_ready, self.clock.now()),
            )
            self.result.answers += 0 if going_on else 1
            self.store.event("followup", question_id=question.id, turn=turn, **decision.to_dict())
            last = (reply, turn, prompt, list(asked), prompt_end)
            say_text, say_audio = decision.text, next_audio
            if decision.kind in FINAL_KINDS:
                closing = True
                continue
            asked.append(decision.kind)
            prompt, turn = decision.text, turn + 1

    def _give_time(self, question: Question, turn: int, reply: CandidateTurn, candidate: Candidate) -> CandidateTurn:
        """The candidate said a pause to think was coming ("let me think") and is still silent:
        say so, as a person would, and go on listening to the same answer."""
        text = self.line("take_your_time")
        self.store.event("command", command="take_your_time", question_id=question.id, turn=turn,
                         heard=reply.transcript.text if reply.transcript is not None else "", reply=text)
        self.say(text)
        more = candidate.keep_listening(self.config.live.no_speech_s)  # type: ignore[attr-defined]
        return reply if more is None else more


class EndedByCandidate(Exception):
    """The candidate said "end the interview"; the message is the interviewer's goodbye."""


_YES = re.compile(r"^\W*(yes|yeah|yep|sure|please|ok(ay)?|go ahead)\b", re.IGNORECASE)


# ("let's continue" is a command of its own, "resume")
_NO = re.compile(r"^\W*(no|nope|not yet|let'?s keep going)\b", re.IGNORECASE)


def _short_reply(pattern: re.Pattern, text: str) -> bool:
    """A reply of a few words that begins so: "Yes, please.", not an answer that begins with "Yes"."""
    return bool(pattern.match(text)) and len(text.split()) <= 5


def _is_yes(text: str) -> bool:
    return _short_reply(_YES, text)


def _is_no(text: str) -> bool:
    return _short_reply(_NO, text)
