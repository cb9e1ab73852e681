"""Command line: argument parsing only; each command calls one function."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from voice_interviewer import __version__
from voice_interviewer.config import Config, VoiceConfig
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
        ("words", str(r["word_count"]) + (f" ({r['asr']['uncounted_words']} barely heard, not counted)"
                                           if r["asr"].get("uncounted_words") else "")),
        ("pace", f"{_fmt(r['wpm'], ' wpm')} overall, {_fmt(r['articulation_wpm'], ' wpm')} while speaking"
         + (" (approximate: the speech model was unsure of the words)" if r["asr"].get("unsure")
            else " (approximate: the speech model wrote the same words over and over)" if r["asr"].get("looped")
            else "")),
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


def _options(args: argparse.Namespace):  # -> interview.launch.SessionOptions
    from voice_interviewer.interview.launch import SessionOptions

    if getattr(args, "questions", None) is not None and args.questions < 1:
        raise UserError("--questions must be 1 or more.")
    if getattr(args, "answer_seconds", None) is not None and args.answer_seconds <= 0:
        raise UserError("--answer-seconds must be more than 0.")

    return SessionOptions(
        bank=getattr(args, "bank", "customer_service"),
        out=getattr(args, "out", None),
        questions=getattr(args, "questions", None),
        keep_audio=not getattr(args, "no_audio", False),
        play=getattr(args, "play", False),
        input_device=getattr(args, "input_device", None),
        output_device=getattr(args, "output_device", None),
        answer_seconds=getattr(args, "answer_seconds", None),
        call=getattr(args, "with_call", None) if not getattr(args, "call_only", False) else (args.scenario or ""),
        call_only=getattr(args, "call_only", False),
        phone=getattr(args, "phone", False),
    )


def _finish(outcome) -> int:
    from voice_interviewer.report.render import write_reports

    md, html = write_reports(outcome.folder)
    what = "stopped" if outcome.interrupted else "finished"
    print(f"\nSession {what}: {outcome.result.answers} answer(s) saved in {outcome.folder}")
    print(f"Report: {html}  (text: {md})")
    if outcome.tape is not None:
        print(f"Listen to the whole call: {outcome.tape}")
    if outcome.interrupted:
        print(f"Continue later with: voice-interviewer resume {outcome.folder}")
    if outcome.error:
        print(f"voice-interviewer: {outcome.error}", file=sys.stderr)
        # everything is saved; leave now: after a device vanished mid-stream, PortAudio's exit
        # handler (Pa_Terminate) can wait forever on the stream abort still stuck in ALSA
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(2)
    return 130 if outcome.interrupted else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from voice_interviewer.interview.launch import run_demo

    return _finish(run_demo(_config(args), _options(args)))


def cmd_interview(args: argparse.Namespace) -> int:
    from voice_interviewer.interview.launch import run_live

    return _finish(run_live(_config(args), _options(args)))


def cmd_call(args: argparse.Namespace) -> int:
    from voice_interviewer.interview.launch import run_demo, run_live

    run = run_demo if args.demo else run_live
    return _finish(run(_config(args), _options(args)))


def cmd_resume(args: argparse.Namespace) -> int:
    from voice_interviewer.interview.launch import resume_session

    outcome = resume_session(_config(args), Path(args.folder), _options(args))
    if outcome is None:
        print(f"{args.folder}: every question of this session has been answered; nothing to resume.")
        return 0
    return _finish(outcome)


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


def _sessions_root(args: argparse.Namespace) -> Path:
    from voice_interviewer.store.session_store import default_sessions_dir

    return Path(args.dir).expanduser() if args.dir else default_sessions_dir()


def cmd_sessions(args: argparse.Namespace) -> int:
    from voice_interviewer.store.catalog import list_sessions

    root = _sessions_root(args)
    entries = list_sessions(root)
    if not entries:
        print(f"No sessions in {root} yet.")
        return 0
    print(f"Sessions in {root}:")
    print(f"{'folder':<22} {'started':<19} {'bank':<17} {'mode':<9} {'answers':>7} {'wpm':>6} {'fill/min':>8} {'pauses':>6}  status")
    for e in entries:
        s = e.summary
        if s is None:
            print(f"{e.folder.name:<22} unreadable: {e.problem}")
            continue
        wpm = "–" if s.median_wpm is None else f"{'≈' if s.median_wpm_approximate else ''}{s.median_wpm:.0f}"
        fpm = "–" if s.fillers_per_minute is None else f"{s.fillers_per_minute:.1f}"
        print(f"{e.folder.name:<22} {s.started[:19]:<19} {s.bank[:17]:<17} {s.mode:<9} {s.answers:>7} {wpm:>6} {fpm:>8} {s.pauses:>6}  "
              f"{s.status}, {s.questions_done}/{s.questions_planned} questions")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from voice_interviewer.store.catalog import delete_session
    from voice_interviewer.store.session_store import LOG_NAME

    folder = Path(args.folder)
    if not (folder / LOG_NAME).is_file():
        raise UserError(f"{folder} is not a session folder (it has no {LOG_NAME}); nothing was deleted.")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"Add --yes to delete {folder} without being asked.")
        if input(f"Delete the session in {folder} with its recordings? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return 1
    left = delete_session(folder)
    if left:
        print(f"Deleted the session files; {len(left)} other file(s) in {folder} were left alone.")
    else:
        print(f"Deleted {folder}.")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from voice_interviewer.report.progress import progress_text, write_progress_html
    from voice_interviewer.store.catalog import list_sessions

    root = _sessions_root(args)
    entries = list_sessions(root)
    print(progress_text(entries))
    for e in entries:
        if e.problem:
            print(f"(left out {e.folder.name}: {e.problem})")
    if any(e.summary and e.summary.answers for e in entries):
        html = Path(args.html) if args.html else root / "progress.html"
        print(f"\nCharts: {write_progress_html(entries, html)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="voice-interviewer", description="Offline mock interviews for customer-service jobs.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def speech_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--model", help="faster-whisper size name (may download) or model folder; default: embedded tiny.en")
        sp.add_argument("--bank", default="customer_service", help="question bank name in prompts/ or a .toml path")

    def voice_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--voice", help="interviewer voice (an id or name from the speech synthesizer; with espeak-ng a variant may follow, e.g. en-us+f3 for a female voice)")
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
    d.add_argument("--with-call", nargs="?", const="", metavar="SCENARIO", help="end with a role-play call (see `call`)")
    d.set_defaults(func=cmd_demo)

    i = sub.add_parser("interview", help="practise hands-free on your microphone and speaker")
    speech_options(i)
    voice_options(i)
    i.add_argument("--questions", type=int, default=None, help="how many questions (default: the whole bank)")
    i.add_argument("--input-device", help="microphone: a device name or index (see `devices`)")
    i.add_argument("--answer-seconds", type=float,
                   help="longest answer before the interviewer politely steps in (default 180)")
    i.add_argument("--phone", action="store_true",
                   help="a phone screen: both voices pass through a telephone line (8 kHz, 300-3400 Hz)")
    i.add_argument("--with-call", nargs="?", const="", metavar="SCENARIO",
                   help="end with a short role-play call, as many phone-support interviews do")
    i.set_defaults(func=cmd_interview)

    c = sub.add_parser("call", help="rehearse a support call: the program plays an upset customer")
    c.add_argument("--scenario", help="wrong_bill, internet_drops or late_refund (see prompts/calls.toml)")
    c.add_argument("--demo", action="store_true", help="a scripted trainee takes the call: no microphone needed")
    speech_options(c)
    voice_options(c)
    c.add_argument("--play", action="store_true", help="with --demo: also play the call on the speaker")
    c.add_argument("--input-device", help="microphone: a device name or index (see `devices`)")
    c.add_argument("--answer-seconds", type=float, help="longest turn before the customer cuts in (default 180)")
    c.add_argument("--phone", action="store_true", help="the call comes over a telephone line (8 kHz, 300-3400 Hz)")
    c.set_defaults(func=cmd_call, call_only=True)

    rs = sub.add_parser("resume", help="continue an unfinished session from its next question")
    rs.add_argument("folder")
    rs.add_argument("--model", help=argparse.SUPPRESS)
    rs.add_argument("--input-device", help="microphone: a device name or index")
    rs.add_argument("--output-device", help="speaker: a device name or index")
    rs.add_argument("--answer-seconds", type=float, help="longest answer before the interviewer steps in (default 180)")
    rs.add_argument("--play", action="store_true", help="demo sessions: also play the call on the speaker")
    rs.set_defaults(func=cmd_resume)

    ss = sub.add_parser("sessions", help="list your saved sessions")
    ss.add_argument("--dir", help="where sessions are kept (default: your data folder)")
    ss.set_defaults(func=cmd_sessions)

    pg = sub.add_parser("progress", help="trends across sessions, in the terminal and as an HTML page")
    pg.add_argument("--dir", help="where sessions are kept (default: your data folder)")
    pg.add_argument("--html", help="where to write the progress page (default: progress.html in that folder)")
    pg.set_defaults(func=cmd_progress)

    dl = sub.add_parser("delete", help="delete one session folder and its recordings")
    dl.add_argument("folder")
    dl.add_argument("--yes", action="store_true", help="do not ask first")
    dl.set_defaults(func=cmd_delete)

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
