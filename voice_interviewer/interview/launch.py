"""Wiring a session together: the demo (scripted candidate, WAV tape), a live interview, and resume."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from voice_interviewer.config import Config
from voice_interviewer.errors import UserError
from voice_interviewer.interview.bank import Bank, load_bank, load_lines
from voice_interviewer.interview.session import Interviewer, SessionResult, WallClock, unfinished_questions
from voice_interviewer.speech.asr import Transcriber
from voice_interviewer.speech.tts import Synthesizer
from voice_interviewer.store.session_store import SessionStore, new_session_dir, read_events


@dataclass(frozen=True)
class SessionOptions:
    bank: str = "customer_service"
    out: str | None = None
    questions: int | None = None
    keep_audio: bool = True
    play: bool = False  # demo: also play the call on the speaker
    input_device: str | None = None
    output_device: str | None = None
    answer_seconds: float | None = None
    call: str | None = None  # a role-play scenario id to add ("" for the first scenario)
    call_only: bool = False  # the call alone, no interview questions
    phone: bool = False  # live: both voices pass through a telephone line (8 kHz, 300-3400 Hz)


@dataclass
class SessionOutcome:
    folder: Path
    result: SessionResult
    interrupted: bool
    tape: Path | None = None
    error: str | None = None  # a device lost mid-session: the session is kept, then this is shown


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def run_demo(cfg: Config, opts: SessionOptions, folder: Path | None = None, resume: dict | None = None) -> SessionOutcome:
    """A mock interview with the scripted candidate; the call is recorded to a WAV 'tape'."""
    from voice_interviewer.audio.sinks import TeeSink, WavFileSink
    from voice_interviewer.interview.candidates import ScriptedCandidate, TapeClock, load_demo_script

    bank, lines, script = load_bank(opts.bank), load_lines(), load_demo_script()
    if resume:
        questions = [bank.question(q) for q in resume["questions"]]
    elif opts.call_only:
        questions = []
    else:
        questions = [q for q in bank.questions if script.answer_for(q.id)][: opts.questions]
    scenario = _scenario(opts)
    synth = Synthesizer(cfg.voice.voice, cfg.voice.rate_wpm)
    transcriber = Transcriber(cfg.asr)
    speaker = None
    if opts.play:
        from voice_interviewer.audio.devices import DeviceSink

        speaker = DeviceSink(opts.output_device)
    folder = folder or new_session_dir(opts.out)
    store = SessionStore(folder, keep_audio=opts.keep_audio, resume=bool(resume))
    tape_path = folder / (f"demo_call_r{resume['count']}.wav" if resume else "demo_call.wav")
    tape = WavFileSink(tape_path)
    clock = TapeClock(tape)
    sink = TeeSink(speaker, tape) if speaker else tape
    candidate = ScriptedCandidate(script, synth, sink, clock, cfg.interview.demo_think_s)
    interviewer = Interviewer(bank, lines, synth, sink, clock, transcriber, store, cfg)
    meta = _meta("call" if opts.call_only else "demo", bank, transcriber, resume, scenario)
    call = None
    if scenario is not None:
        from voice_interviewer.call.session import CallRunner, ScriptedTrainee

        trainee = ScriptedTrainee(scenario, synth, sink, clock, cfg.interview.demo_think_s)
        call = (CallRunner(scenario, synth, sink, clock, transcriber, store, cfg, interviewer.result.said), trainee)
    parts = ([f"{len(questions)} questions"] if questions else []) + ([f"the call '{scenario.title}'"] if scenario else [])
    print(f"Demo: {' and '.join(parts)}, scripted candidate; writing {folder}")
    return _run(interviewer, questions, candidate, meta, store, folder, resume, tape, tape_path, call)


def run_live(cfg: Config, opts: SessionOptions, folder: Path | None = None, resume: dict | None = None) -> SessionOutcome:
    """A hands-free practice session on the microphone and speaker."""
    from voice_interviewer.audio.devices import quiet_native_stderr
    from voice_interviewer.audio.live import LiveAudio
    from voice_interviewer.interview.handsfree import HandsFree
    from voice_interviewer.interview.liveview import make_view

    if opts.answer_seconds:
        cfg = replace(cfg, live=replace(cfg.live, max_answer_s=opts.answer_seconds))
    bank, lines = load_bank(opts.bank), load_lines()
    if resume:
        questions = [bank.question(q) for q in resume["questions"]]
    else:
        questions = [] if opts.call_only else list(bank.questions[: opts.questions])
    scenario = _scenario(opts)
    clock = WallClock()
    # devices, voice and model are checked before the folder is made, so a problem leaves nothing behind
    audio = LiveAudio(opts.input_device, opts.output_device, clock)
    synth, transcriber = Synthesizer(cfg.voice.voice, cfg.voice.rate_wpm), Transcriber(cfg.asr)
    folder = folder or new_session_dir(opts.out)
    store = SessionStore(folder, keep_audio=opts.keep_audio, resume=bool(resume))
    if questions:
        print(f"Interview: {len(questions)} questions from '{bank.title}'"
              + (f", then the call '{scenario.title}'" if scenario else "") + (" over a phone line" if opts.phone else "") + ".")
    else:
        print(f"Call role-play: {scenario.title}. You are the support agent; the customer speaks first.")
    print("Hands-free: just talk. Say \"repeat the question\", \"what do you mean\", \"skip\", \"pause\" or "
          "\"end the interview\" at any time; Ctrl-C stops and keeps the session.")
    print("Use headphones so the microphone does not hear the interviewer.")
    quiet_native_stderr()
    view = make_view()
    handsfree = HandsFree(audio, transcriber, cfg, view, phone=opts.phone)
    interviewer = Interviewer(bank, lines, synth, handsfree, clock, transcriber, store, cfg)
    meta = _meta("call" if opts.call_only else "interview", bank, transcriber, resume, scenario)
    if opts.phone:
        meta["phone_line"] = True
    call = None
    if scenario is not None:
        from voice_interviewer.call.session import CallRunner

        call = (CallRunner(scenario, synth, handsfree, clock, transcriber, store, cfg, interviewer.result.said), handsfree)
    audio.start()
    try:
        with view:
            return _run(interviewer, questions, handsfree, meta, store, folder, resume, call=call)
    finally:
        audio.close()
        handsfree.close()


def _scenario(opts: SessionOptions):
    if opts.call is None:
        return None
    from voice_interviewer.call.scenario import find_scenario, load_scenarios

    return find_scenario(load_scenarios(), opts.call or None)


def _meta(mode: str, bank: Bank, transcriber: Transcriber, resume: dict | None, scenario=None) -> dict:
    meta = {"mode": mode, "started_at": _now(), "model": transcriber.model_name, "bank_file": str(bank.path)}
    if scenario is not None:
        meta["scenario"] = scenario.id
    if resume:
        meta["resume_count"] = resume["count"]
    return meta


def _run(interviewer, questions, candidate, meta, store, folder, resume, tape=None, tape_path=None, call=None) -> SessionOutcome:
    interrupted, error = False, None
    try:
        interviewer.run(questions, candidate, meta, resume_from=resume["first"] if resume else None, call=call)
    except KeyboardInterrupt:
        interrupted = True
    except UserError as exc:  # a device lost mid-session: keep what was said, then say what happened
        interrupted, error = True, str(exc)
    finally:
        if tape is not None:
            tape.close()
        store.close()
    return SessionOutcome(folder, interviewer.result, interrupted, tape_path, error)


def resume_session(cfg: Config, folder: Path, opts: SessionOptions) -> SessionOutcome | None:
    """Continue a saved session from its first unfinished question (None when nothing is left)."""
    events = read_events(folder)
    start = events[0]
    remaining, first = unfinished_questions(events)
    if not remaining:
        return None
    count = 1 + sum(1 for e in events if e.get("type") == "command" and e.get("command") == "resume")
    bank_file = start.get("bank_file") or start.get("bank") or "customer_service"
    if not Path(bank_file).exists() and start.get("bank"):
        bank_file = start["bank"]
    opts = replace(opts, bank=bank_file, keep_audio=(folder / "audio").is_dir(), phone=bool(start.get("phone_line")))
    resume = {"questions": remaining, "first": first, "count": count}
    mode = start.get("mode")
    if mode == "call":
        raise UserError(f"{folder}: a call role-play cannot be resumed; start a new one with `voice-interviewer call`.")
    if mode == "demo":
        return run_demo(cfg, opts, folder, resume)
    if mode == "interview":
        return run_live(cfg, opts, folder, resume)
    raise UserError(f"{folder}: this session's mode '{mode}' cannot be resumed.")
