"""Voice commands said as a whole turn: does the live session hear them? Prints a table, writes JSON.

    .venv/bin/python bench/commands_heard.py [--voices N]

Eight commands and eight short answers, rendered by espeak-ng voices, clean, through a
phone line, in a reverberant room (RT60 0.5 s) and with noise (20 dB SNR). Each is one
live piece, the first of its turn (cut 0.3 s before the speech and 0.1 s after it, as
the live path cuts it), transcribed by the hands-free path twice: as before, the plain
words alone deciding, and with a stretch whose words give no command heard again primed
with the commands (interview/commands.py `COMMAND_PROMPT`). Counted: commands heard as
the command meant, and short answers taken for a command (false alarms); and the time
until the piece is transcribed, both ways.

Then every stretch of the recordings of real people in ../shared/audio (none gives a
command), cut as the first piece of a turn is, through the same four channels: counted,
the stretches heard again and those taken for a command. `--real-only` runs that part
alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.thinking_pause import CONDITIONS, live_piece, spoken  # noqa: E402
from bench.trailing_filler import VOICES  # noqa: E402
from bench.transcription_speed import SHARED_AUDIO, machine, real_recording_paths  # noqa: E402
from voice_interviewer.audio.wav import read_audio  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig, AsrConfig  # noqa: E402
from voice_interviewer.interview.commands import detect_command, may_be_command, sounds_like_ending  # noqa: E402
from voice_interviewer.speech.asr import Transcriber  # noqa: E402
from voice_interviewer.speech.incremental import PieceTranscriber  # noqa: E402
from voice_interviewer.speech.tts import Synthesizer  # noqa: E402
from voice_interviewer.speech.vad import speech_regions  # noqa: E402

COMMANDS = [("Sorry, can you repeat the question?", "repeat"), ("Skip this one, please.", "skip"),
            ("What do you mean?", "clarify"), ("Can we take a break?", "pause"),
            ("Okay, I'm back. Let's continue.", "resume"), ("I'd like to end the interview.", "end"),
            ("Next question, please.", "skip"), ("Could you say that again?", "repeat")]
ANSWERS = ["Yes, I did.", "No, never.", "I don't know.", "Two years.", "Sure, I can do that.",
           "I stayed late to help her.", "She was happy with that.", "I would say sorry and help."]


def real_speech(transcriber: Transcriber, cfg: AnalysisConfig) -> list[dict]:
    """Every stretch of the real recordings, per channel, as the first piece of a turn: how many
    were heard again primed with the commands, and which were taken for a command."""
    worker = PieceTranscriber(transcriber, cfg)
    rows = []
    try:
        for name, channel in CONDITIONS.items():
            row = {"condition": name, "stretches": 0, "heard_again": 0, "commands": []}
            for path in real_recording_paths():
                audio = channel(read_audio(path)).astype(np.float32)
                for start, end in speech_regions(audio, cfg):
                    stretch = audio[max(0, int((start - 0.3) * SAMPLE_RATE)): int((end + 0.1) * SAMPLE_RATE)]
                    piece = worker.submit(0, stretch.size, stretch, hear_command=True)
                    if not piece.done.wait(120):
                        raise RuntimeError("a piece was not transcribed in 120 s")
                    row["stretches"] += 1
                    row["heard_again"] += may_be_command(piece.text)
                    # asking "Would you like to end the interview?" is a false alarm too
                    command = detect_command(piece.text) or piece.command or (
                        "confirm_end" if sounds_like_ending(piece.text) else None)
                    if command:
                        row["commands"].append({"recording": path.name, "heard": piece.text, "command": command})
            rows.append(row)
    finally:
        worker.close()
    return rows


def print_real(rows: list[dict]) -> None:
    if not rows:
        print(f"\nrecordings of real people: not here ({SHARED_AUDIO})")
        return
    print("\nrecordings of real people (no command said), every stretch as the first of a turn"
          " (asking whether to end counts as taken for a command):")
    for r in rows:
        print(f"  {r['condition']:<16} {r['stretches']} stretches, {r['heard_again']} heard again, "
              f"{len(r['commands'])} taken for a command")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voices", type=int, default=len(VOICES))
    parser.add_argument("--real-only", action="store_true", help="only the recordings of real people")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "commands_heard.json")
    args = parser.parse_args()
    synth, transcriber, cfg = Synthesizer(), Transcriber(AsrConfig()), AnalysisConfig()
    if args.real_only:
        if not SHARED_AUDIO.is_dir():
            sys.exit(f"the recordings of real people are not here ({SHARED_AUDIO})")
        real = real_speech(transcriber, cfg)
        print(f"machine: {machine()}; model {transcriber.model_name}")
        print_real(real)
        if args.out.exists():  # the synthetic part stays as last measured
            previous = json.loads(args.out.read_text())
            args.out.write_text(json.dumps({**previous, "real_recordings": real}, indent=1))
            print(f"\nwrote {args.out}")
        return
    worker = PieceTranscriber(transcriber, cfg)
    rows, cases = [], []
    said = [(text, command) for text, command in COMMANDS] + [(text, None) for text in ANSWERS]
    try:
        for name, channel in CONDITIONS.items():
            counts = {k: [0, 0, 0] for k in ("command", "answer")}  # n, heard right before, now
            # asked "Would you like to end the interview?": an "end" not heard as one, and anything else
            asked = {"end_n": 0, "end_heard": 0, "end_asked": 0, "others_asked": 0}
            times: dict[bool, list[float]] = {False: [], True: []}
            for voice in VOICES[: args.voices]:
                for text, meant in said:
                    quiet = np.zeros(SAMPLE_RATE, np.float32)
                    audio = live_piece(channel(np.concatenate([quiet, spoken(synth, text, voice), quiet])).astype(np.float32), cfg)
                    heard = {}
                    for again in (False, True):
                        start = time.perf_counter()
                        piece = worker.submit(0, audio.size, audio, hear_command=again)
                        if not piece.done.wait(120):
                            raise RuntimeError("a piece was not transcribed in 120 s")
                        times[again].append(time.perf_counter() - start)
                        words = piece.heard.text if piece.heard else ""
                        heard[again] = (words, detect_command(words) or piece.command)
                    words, now = heard[True]
                    asks = now == "confirm_end" or (now is None and sounds_like_ending(words))
                    if asks:  # a question, not a command taken: counted apart
                        heard[True] = (words, None)
                    asked["end_n"] += meant == "end"
                    asked["end_heard"] += meant == "end" and heard[True][1] == "end"
                    asked["end_asked" if meant == "end" else "others_asked"] += asks
                    c = counts["command" if meant else "answer"]
                    c[0] += 1
                    c[1] += heard[False][1] == meant
                    c[2] += heard[True][1] == meant
                    if heard[False][1] != meant or heard[True][1] != meant or asks:
                        cases.append({"condition": name, "voice": voice, "said": text, "meant": meant,
                                      "heard": heard[True][0], "before": heard[False][1], "now": heard[True][1],
                                      "asked_to_end": asks})
            rows.append({"condition": name, **asked, **{f"{k}_{f}": v for k, c in counts.items()
                                               for f, v in zip(("n", "right_before", "right_now"), c)},
                         "piece_s_median_before": round(statistics.median(times[False]), 2),
                         "piece_s_median_now": round(statistics.median(times[True]), 2)})
    finally:
        worker.close()
    real = real_speech(transcriber, cfg) if SHARED_AUDIO.is_dir() else []

    print(f"machine: {machine()}; model {transcriber.model_name}; {args.voices} espeak-ng voices\n")
    header = (f"{'condition':<16} {'commands heard right: before / now':>36} {'answers taken for one: before / now':>37}"
              f" {'piece s (median): before / now':>32}")
    print(header)
    print("-" * len(header))
    for r in rows:
        n, m = r["command_n"], r["answer_n"]
        print(f"{r['condition']:<16} {r['command_right_before']:>24} / {r['command_right_now']:>2} of {n:<4}"
              f"{m - r['answer_right_before']:>25} / {m - r['answer_right_now']:>2} of {m:<4}"
              f"{r['piece_s_median_before']:>23.2f} / {r['piece_s_median_now']:.2f}")
    print("\nasked \"Would you like to end the interview?\" (not counted above):")
    for r in rows:
        print(f"  {r['condition']:<16} {r['end_asked']} of the {r['end_n'] - r['end_heard']} ends not heard as one; "
              f"{r['others_asked']} of the {r['command_n'] + r['answer_n'] - r['end_n']} other turns")
    print_real(real)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine(), "model": transcriber.model_name, "rows": rows,
                                    "cases": cases, "real_recordings": real}, indent=1))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
