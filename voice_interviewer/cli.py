"""Command line: argument parsing only; each command calls one function."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from voice_interviewer import __version__
from voice_interviewer.config import AsrConfig, Config, VoiceConfig
from voice_interviewer.errors import UserError


def _config(args: argparse.Namespace) -> Config:
    cfg = Config()
    if getattr(args, "model", None):
        cfg = replace(cfg, asr=replace(cfg.asr, model=args.model))
    voice = getattr(args, "voice", None)
    rate = getattr(args, "rate", None)
    if voice or rate:
        cfg = replace(cfg, voice=VoiceConfig(voice or cfg.voice.voice, rate or cfg.voice.rate_wpm))
    return cfg


def cmd_analyze(args: argparse.Namespace) -> int:
    from voice_interviewer.analyze import analyze_samples
    from voice_interviewer.audio.wav import read_audio
    from voice_interviewer.interview.bank import load_bank, load_lines
    from voice_interviewer.interview.policy import decide_followup
    from voice_interviewer.speech.asr import Transcriber

    cfg = _config(args)
    question = load_bank(args.bank).question(args.question) if args.question else None
    samples = read_audio(args.file)
    result = analyze_samples(samples, Transcriber(cfg.asr), cfg.analysis, file=str(args.file))
    if question is not None:
        result["followup"] = decide_followup(
            result, question, load_lines(), max_followups=cfg.interview.max_followups_per_question, config=cfg.analysis
        ).to_dict()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_analysis(result))
    return 0


def _fmt(value, unit: str = "", nd: int = 1) -> str:
    return "–" if value is None else f"{value:.{nd}f}{unit}"


def format_analysis(r: dict) -> str:
    rows = [
        ("file", r["file"]),
        ("length", f"{_fmt(r['duration_s'], ' s')} audio, {_fmt(r['speech_s'], ' s')} speech"),
        ("words", str(r["word_count"])),
        ("pace", f"{_fmt(r['wpm'], ' wpm')} overall, {_fmt(r['articulation_wpm'], ' wpm')} while speaking"),
        ("fillers", f"{r['fillers']['count']} ({_fmt(r['fillers']['per_minute'], ' per minute')})"
         + (": " + ", ".join(f['text'] for f in r['fillers']['items'][:8]) if r['fillers']['items'] else "")),
        ("pauses", f"{r['pauses']['count']} of 1 s or more, longest {_fmt(r['pauses']['longest_s'], ' s')}"),
        ("volume", f"{_fmt(r['volume']['speech_dbfs'], ' dBFS')} speech level, {100 * r['volume']['clipping_ratio']:.2f}% clipped"),
        ("asr", f"{r['asr']['model']}, avg log-prob {_fmt(r['asr']['avg_logprob'], nd=2)}"),
    ]
    if "followup" in r:
        f = r["followup"]
        rows.append(("follow-up", f"[{f['kind']}] {f['text']}" + (f" ({f['evidence']})" if f["evidence"] else "")))
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]
    lines.append("")
    lines.append("transcript: " + (r["transcript"] or "(no words recognised)"))
    return "\n".join(lines)


def _finish(folder: Path, result, interrupted: bool) -> None:
    from voice_interviewer.report.render import write_reports

    md, html = write_reports(folder)
    what = "stopped" if interrupted else "finished"
    print(f"\nSession {what}: {result.answers} answer(s) saved in {folder}")
    print(f"Report: {html}  (text: {md})")


def cmd_demo(args: argparse.Namespace) -> int:
    from voice_interviewer.audio.sinks import WavFileSink
    from voice_interviewer.interview.bank import load_bank, load_lines
    from voice_interviewer.interview.candidates import ScriptedCandidate, TapeClock, load_demo_script
    from voice_interviewer.interview.session import Interviewer
    from voice_interviewer.speech.asr import Transcriber
    from voice_interviewer.speech.tts import Synthesizer
    from voice_interviewer.store.session_store import SessionStore, new_session_dir

    cfg = _config(args)
    bank, lines, script = load_bank(args.bank), load_lines(), load_demo_script()
    questions = [q for q in bank.questions if script.answer_for(q.id)][: args.questions]
    synth = Synthesizer(cfg.voice.voice, cfg.voice.rate_wpm)
    transcriber = Transcriber(cfg.asr)
    folder = new_session_dir(args.out)
    store = SessionStore(folder, keep_audio=not args.no_audio)
    tape = WavFileSink(folder / "demo_call.wav")
    clock = TapeClock(tape)
    sink = tape
    if args.play:
        from voice_interviewer.audio.devices import DeviceSink
        from voice_interviewer.audio.sinks import TeeSink

        sink = TeeSink(DeviceSink(args.output_device), tape)
    candidate = ScriptedCandidate(script, synth, sink, clock, cfg.interview.demo_think_s)
    interviewer = Interviewer(bank, lines, synth, sink, clock, transcriber, store, cfg)
    print(f"Demo interview: {len(questions)} questions, scripted candidate; writing {folder}")
    meta = {"mode": "demo", "started_at": datetime.now().isoformat(timespec="seconds"), "model": transcriber.model_name}
    try:
        result = interviewer.run(questions, candidate, meta)
    finally:
        tape.close()
        store.close()
    _finish(folder, result, interrupted=False)
    print(f"Listen to the whole call: {folder / 'demo_call.wav'}")
    return 0


def cmd_interview(args: argparse.Namespace) -> int:
    from voice_interviewer.audio.devices import DeviceSink
    from voice_interviewer.interview.bank import load_bank, load_lines
    from voice_interviewer.interview.candidates import MicrophoneCandidate
    from voice_interviewer.interview.session import Interviewer, WallClock
    from voice_interviewer.speech.asr import Transcriber
    from voice_interviewer.speech.tts import Synthesizer
    from voice_interviewer.store.session_store import SessionStore, new_session_dir

    cfg = _config(args)
    bank, lines = load_bank(args.bank), load_lines()
    clock = WallClock()
    # devices and the output folder are checked before anything slow, so a problem shows at once
    candidate = MicrophoneCandidate(args.input_device, clock, args.answer_seconds or cfg.interview.answer_seconds)
    speaker = DeviceSink(args.output_device)
    synth, transcriber = Synthesizer(cfg.voice.voice, cfg.voice.rate_wpm), Transcriber(cfg.asr)
    folder = new_session_dir(args.out)
    store = SessionStore(folder, keep_audio=not args.no_audio)
    questions = list(bank.questions[: args.questions])
    interviewer = Interviewer(bank, lines, synth, speaker, clock, transcriber, store, cfg)
    meta = {"mode": "interview", "started_at": datetime.now().isoformat(timespec="seconds"),
            "model": interviewer.transcriber.model_name}
    print(f"Interview: {len(questions)} questions from '{bank.title}'. Use headphones so the microphone does not hear the interviewer.")
    interrupted = False
    try:
        interviewer.run(questions, candidate, meta)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        store.close()
    _finish(folder, interviewer.result, interrupted)
    return 130 if interrupted else 0


def cmd_devices(args: argparse.Namespace) -> int:
    from voice_interviewer.audio.devices import list_devices

    devices = list_devices()
    if not devices:
        print("No audio devices found (no sound card or sound server). `make demo` runs without one.")
        return 1
    print(f"{'#':>3}  {'in':>3} {'out':>3}  name")
    for d in devices:
        mark = (" (default input)" if d.is_default_input else "") + (" (default output)" if d.is_default_output else "")
        print(f"{d.index:>3}  {d.inputs:>3} {d.outputs:>3}  {d.name}{mark}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from voice_interviewer.report.render import write_reports

    md, html = write_reports(args.folder)
    print(f"Wrote {html} and {md}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="voice-interviewer", description="Offline mock interviews for customer-service jobs.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def speech_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--model", help="faster-whisper size name (may download) or model folder; default: embedded tiny.en")
        sp.add_argument("--bank", default="customer_service", help="question bank name in prompts/ or a .toml path")

    def voice_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--voice", help="interviewer voice (an id or name from the speech synthesizer)")
        sp.add_argument("--rate", type=int, help="interviewer speaking rate in words per minute")
        sp.add_argument("--out", help="session folder (default: under your data folder)")
        sp.add_argument("--no-audio", action="store_true", help="keep transcripts and numbers only, no recordings")
        sp.add_argument("--output-device", help="speaker: a device name or index (see `devices`)")

    a = sub.add_parser("analyze", help="measure one recorded answer")
    a.add_argument("file", help="an audio file (WAV, FLAC, MP3...)")
    a.add_argument("--json", action="store_true", help="print the full analysis as JSON")
    a.add_argument("--question", help="a question id: also say what the interviewer would reply")
    speech_options(a)
    a.set_defaults(func=cmd_analyze)

    d = sub.add_parser("demo", help="a complete mock interview with a scripted candidate, no microphone needed")
    speech_options(d)
    voice_options(d)
    d.add_argument("--questions", type=int, default=None, help="how many questions (default: all scripted)")
    d.add_argument("--play", action="store_true", help="also play the call on the speaker")
    d.set_defaults(func=cmd_demo)

    i = sub.add_parser("interview", help="practise on your microphone and speaker")
    speech_options(i)
    voice_options(i)
    i.add_argument("--questions", type=int, default=None, help="how many questions (default: the whole bank)")
    i.add_argument("--input-device", help="microphone: a device name or index (see `devices`)")
    i.add_argument("--answer-seconds", type=float, help="longest answer to record (default 90)")
    i.set_defaults(func=cmd_interview)

    dv = sub.add_parser("devices", help="list microphones and speakers")
    dv.set_defaults(func=cmd_devices)

    r = sub.add_parser("report", help="rebuild report.md and report.html of a session folder")
    r.add_argument("folder")
    r.set_defaults(func=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    model = getattr(args, "model", None)
    if not model or Path(model).expanduser().exists():
        # the embedded model or a local folder: the hub library must never reach for the network
        os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        return args.func(args)
    except UserError as exc:
        print(f"voice-interviewer: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nvoice-interviewer: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for the user; VI_DEBUG=1 shows it
        if os.environ.get("VI_DEBUG"):
            raise
        print(f"voice-interviewer: unexpected error: {type(exc).__name__}: {exc} (run with VI_DEBUG=1 for details).", file=sys.stderr)
        return 1
