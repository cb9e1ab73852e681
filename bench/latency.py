"""Hands-free latency on real PortAudio devices: a simulated candidate talks to `voice-interviewer interview`.

    .venv/bin/python bench/latency.py [--long] [--load N] [--model NAME_OR_FOLDER] [--room]

A private PulseAudio server with two null sinks carries the call (DESIGN.md section 2).
The candidate (bench/simulated_candidate.py) waits for each question, thinks, and
answers in espeak-ng voices with 1.5-2 s thinking pauses inside its answers; it also
gives voice commands. Printed: the reply gap (candidate's last word to the
interviewer's next word, as heard on the devices), the app's own processing time
from end of turn to its reply, turns cut off, and CPU use. `--long` adds a
2.5-minute answer. `--load N` runs the call beside N other processes that transcribe
speech nonstop with the same Whisper model (a busy laptop: another app, a video call),
to show whether the app still waits out thinking pauses when it is slow. `--model`
runs the app with a larger model than the embedded tiny.en (written to a file named
after it). `--room` has the candidate heard in a reverberant room (RT60 0.5 s): the
session measures it and listens for a run-on "um" the room's way (the reply gap then
counts from the last sound, the echo's included). Writes bench/results/latency.json
(latency_long.json, latency_load.json, latency_room.json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.metrics_accuracy import reverberant  # noqa: E402
from bench.simulated_candidate import SimulatedCandidate, barge_in_stops, reply_gaps, talked_over  # noqa: E402
from bench.transcription_speed import machine  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE  # noqa: E402
from voice_interviewer.speech.tts import Synthesizer  # noqa: E402

BANK = ROOT / "bench" / "handsfree_bank.toml"
VOICE, RATE = "gmw/en-US-nyc", 150
ROOM_RING_S = 0.5  # with --room, the echo of each stretch of speech, kept this long (RT60 0.5 s)


@dataclass(frozen=True)
class Reply:
    """One thing the candidate says: pieces of text and thinking pauses (seconds)."""

    pieces: tuple
    think_s: float = 0.8
    command: str | None = None  # the voice command it gives, if any
    barge_in_s: float | None = None  # talk over the interviewer this long after it starts, instead of waiting
    yields: bool = False  # stops talking when the interviewer cuts in (a runaway answer)

    @property
    def text(self) -> str:
        return " ".join(p for p in self.pieces if isinstance(p, str))


# one per interviewer turn, in order; thinking pauses sit where people pause to think:
# after "um", after "and", mid-sentence
SCRIPT = (
    Reply(("Sorry, can you repeat the question?",), think_s=0.0, command="repeat", barge_in_s=2.5),
    Reply(("So, um,", 1.8, "last year I stayed late to help a customer with a billing problem, and", 1.6,
           "I fixed the charge myself, and she thanked me."), think_s=1.0),
    Reply(("I enjoy solving problems for people, and", 1.7, "I like the feeling when a customer leaves happy."), think_s=0.9),
    Reply(("Skip this one, please.",), command="skip"),
    Reply(("Can we take a break?",), command="pause"),
    Reply(("Okay, I'm back. Let's continue.",), think_s=2.5, command="resume"),
    Reply(("I listen to what my supervisor says, um,", 1.5, "and I try the change on my very next call."), think_s=1.2),
)
LONG = Reply(tuple(
    x for i in range(19) for x in (
        f"On call number {i + 1} I checked the account, I explained the charge, and I made sure the customer "
        "knew what would happen next.", 0.5)
)[:-1], think_s=1.0)


def render(synth: Synthesizer, reply: Reply, voice: str | None = VOICE, room: bool = False) -> list:
    """The reply's audio pieces and pauses. `room`: each stretch of speech as a laptop across a living
    room hears it (bench/metrics_accuracy.py `reverberant`), its echo ringing on into the pause after
    it, which is that much shorter: the speech starts when it did."""
    if not reply.pieces:
        return []
    out = [float(p) if not isinstance(p, str) else synth.synthesize(p, voice=voice, rate_wpm=RATE)
           for p in (reply.think_s, *reply.pieces)]
    if room:
        for i, p in enumerate(out):
            if not isinstance(p, float):
                pause_after = i + 1 < len(out) and isinstance(out[i + 1], float)
                ring = min(ROOM_RING_S, out[i + 1]) if pause_after else ROOM_RING_S
                out[i] = reverberant(np.concatenate([p, np.zeros(int(ring * SAMPLE_RATE), np.float32)]))
                if pause_after:
                    out[i + 1] -= ring
    return out


def run_call(env: dict, folder: Path, script: tuple[Reply, ...], extra_args: tuple[str, ...] = (),
             questions: int = 4, voice: str | None = VOICE, room: bool = False,
             session: tuple[str, ...] | None = None) -> dict:
    """Run one hands-free session against the simulated candidate; its measurements and the app's log.
    `session`: the app's command and its arguments, when not an interview on the test bank
    (("call", "--scenario", "wrong_bill"): the candidate is the agent)."""
    synth = Synthesizer(None, RATE)
    rendered = [render(synth, r, voice, room) for r in script]
    app_env = {**env, "PULSE_SINK": "vi_speaker", "PULSE_SOURCE": "vi_mic.monitor", "PYTHONUNBUFFERED": "1"}
    candidate = SimulatedCandidate(env)
    log = open(folder.parent / f"{folder.name}.out", "w")
    app = subprocess.Popen(
        [sys.executable, "-m", "voice_interviewer",
         *(session or ("interview", "--bank", str(BANK), "--questions", str(questions))),
         "--out", str(folder), *extra_args], env=app_env, stdout=log, stderr=subprocess.STDOUT, cwd=str(ROOT))
    started = time.monotonic()
    usage = None
    try:
        after = 0.0
        for reply, audio in zip(script, rendered):
            if reply.barge_in_s is not None:
                started = candidate.wait_for_interviewer_to_start(90, after=after)
                if started is None:
                    break
                # the opening and the question come as one stretch: count from its start
                time.sleep(max(0.0, started + reply.barge_in_s - time.monotonic()))
            elif not candidate.wait_for_interviewer(90, after=after):
                break
            if not reply.pieces:  # says nothing: wait for the interviewer's next line
                after = candidate.voice_spans[-1][1]
                continue
            turn = candidate.say(audio, reply.text, yield_to_interviewer=reply.yields)
            after = turn.speech_end
        candidate.wait_for_interviewer(60, after=after)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(app.pid, os.WNOHANG)
            if pid:  # wait4 reaps the app and gives its CPU time
                app.returncode = os.waitstatus_to_exitcode(status)
                break
            time.sleep(0.1)
        if app.poll() is None:
            app.kill()
    finally:
        if app.poll() is None:
            app.kill()
        candidate.close()
        log.close()
    wall = time.monotonic() - started
    events = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()] \
        if (folder / "session.jsonl").exists() else []
    return {
        "returncode": app.returncode, "candidate": candidate, "events": events, "wall_s": wall, "folder": folder,
        "cpu_s": (usage.ru_utime + usage.ru_stime) if usage else None,
        "output": (folder.parent / f"{folder.name}.out").read_text(),
    }


# a process that keeps both cores busy as a speech app does: Whisper, transcribing nonstop
WHISPER_LOAD = """
from voice_interviewer.speech.asr import Transcriber
from voice_interviewer.speech.tts import Synthesizer
speech = Synthesizer().synthesize("I checked the account and explained the charge to the customer. " * 3)
transcriber = Transcriber()
while True:
    transcriber.transcribe(speech)
"""


def start_load(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", WHISPER_LOAD], cwd=str(ROOT),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]


def main() -> None:
    from tests.conftest import start_pulse, stop_pulse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="add a 2.5-minute answer")
    parser.add_argument("--load", type=int, default=0, metavar="N",
                        help="run beside N processes transcribing nonstop with Whisper")
    parser.add_argument("--model", help="the app's --model (default: the embedded tiny.en)")
    parser.add_argument("--room", action="store_true",
                        help="the candidate heard in a reverberant room (RT60 0.5 s), as a laptop across a living room")
    args = parser.parse_args()
    script = SCRIPT
    if args.long:
        script = (LONG, *SCRIPT[1:])
    with tempfile.TemporaryDirectory(prefix="vi-latency-") as tmp:
        tmp = os.environ.get("VI_BENCH_KEEP", tmp)
        server, env = start_pulse(Path(tmp) / "pulse")
        load = start_load(args.load)
        try:
            result = run_call(env, Path(tmp) / "session", script,
                              extra_args=("--model", args.model) if args.model else (), room=args.room)
        finally:
            for process in load:
                process.kill()
                process.wait()
            stop_pulse(server)
    cand, events = result["candidate"], result["events"]
    gaps = reply_gaps(cand)
    processing = [a["timing"]["next_prompt_start"] - a["timing"]["endpoint"] for a in events if a["type"] == "answer"]
    endpoint_after_speech = [a["timing"]["endpoint"] - a["timing"]["speech_end"] for a in events
                             if a["type"] == "answer" and a["timing"]["speech_end"] is not None]
    overs = talked_over(cand)
    spans = [a["analysis"]["span_s"] for a in events if a["type"] == "answer"]

    def row(name: str, values: list[float]) -> str:
        if not values:
            return f"{name:<44} {'-':>7}"
        v = sorted(values)
        p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
        return f"{name:<44} {statistics.median(v):7.2f} {p90:7.2f} {max(v):7.2f} {len(v):4d}"

    load = f"; beside {args.load} Whisper processes transcribing nonstop" if args.load else ""
    load += f"; model {args.model}" if args.model else ""
    load += "; the candidate in a reverberant room (RT60 0.5 s)" if args.room else ""
    print(f"machine: {machine()}{load}; app exit code {result['returncode']}; session {result['wall_s']:.0f} s")
    print(f"{'seconds':<44} {'median':>7} {'p90':>7} {'max':>7} {'n':>4}")
    print(row("reply gap (last word -> interviewer's voice)", gaps))
    print(row("end of turn after last word (app clock)", endpoint_after_speech))
    print(row("end of turn -> reply queued (app clock)", processing))
    print(row("answer length", spans))
    print(row("barge-in: candidate starts -> interviewer silent", barge_in_stops(cand)))
    print(f"turns talked over or cut off: {len(overs)}")
    # an answer the app closed too early and then joined to what the candidate said next
    merged = sum(1 for e in events if e["type"] == "command" and e.get("command") == "continue")
    print(f"answers closed early and joined again: {merged}")
    if result["cpu_s"] is not None:
        print(f"CPU: {result['cpu_s']:.1f} s over {result['wall_s']:.0f} s = {100 * result['cpu_s'] / result['wall_s']:.0f}% of one core")
    # one file per kind of run, so a loaded or other-model run never overwrites the quoted ones
    name = "latency" + ("_long" if args.long else "") + ("_load" if args.load else "") + ("_room" if args.room else "")
    if args.model:
        name += "_" + "".join(c if c.isalnum() else "_" for c in Path(args.model).name)
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.write_text(json.dumps({
        "machine": machine(), "date": time.strftime("%Y-%m-%d"), "load_processes": args.load, "model": args.model,
        "room": args.room,
        "answers_joined_again": merged,
        "reply_gap_s": [round(g, 3) for g in gaps], "endpoint_after_speech_s": endpoint_after_speech,
        "processing_s": processing, "answer_s": spans, "talked_over": overs, "barge_in_stop_s": barge_in_stops(cand),
        "cpu_s": result["cpu_s"], "wall_s": result["wall_s"],
    }, indent=1))
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
