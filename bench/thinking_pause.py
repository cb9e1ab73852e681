"""A speaker who stops to think: does the live interviewer wait? Prints a table, writes JSON.

    .venv/bin/python bench/thinking_pause.py [--voices N]

What a candidate says just before a pause to think, rendered by espeak-ng voices, clean,
through a phone line, in a reverberant room (RT60 0.5 s) and with noise (20 dB SNR). Each
is cut as the live path cuts a piece (0.3 s before the speech, 0.1 s after it, the room's
echo included), transcribed as one (both passes, the sound check on its end, the check for
made-up text), and the silence that closes the turn is read off as the session reads it
(interview/handsfree.py `_Turn.silence_to_end`). Three kinds:

- hesitations ("So, um,", "Uh, let me think,"): a thinking pause of `HESITATION_PAUSE_S`
  follows; the turn must wait longer than that;
- announced pauses ("Let me think.", "That's a good question."): people then think for
  longer; the turn must wait longer than `ANNOUNCED_PAUSE_S`;
- short finished answers ("Yes.", "I don't know."): closing them quickly is right; counted
  are those made to wait as long as an unfinished sentence, the cost of the two above.

Also the pieces heard as nothing (made-up text is dropped, analysis/passes.py `sayable_in`),
and every stretch of the recordings of real people in ../shared/audio, whose words must
never be taken for made up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.metrics_accuracy import noisy, reverberant  # noqa: E402
from bench.trailing_filler import VOICES  # noqa: E402
from bench.transcription_speed import machine, real_recording_paths  # noqa: E402
from voice_interviewer.audio.phone import phone_line  # noqa: E402
from voice_interviewer.audio.wav import read_audio  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig, AsrConfig, LiveConfig  # noqa: E402
from voice_interviewer.interview.handsfree import _Turn  # noqa: E402
from voice_interviewer.speech.asr import Transcriber  # noqa: E402
from voice_interviewer.speech.incremental import PieceTranscriber  # noqa: E402
from voice_interviewer.speech.tts import Synthesizer  # noqa: E402
from voice_interviewer.speech.vad import speech_regions  # noqa: E402

HESITATIONS = ["So, um,", "Well, uh,", "Hmm,", "Okay, so, um,", "Um,", "Uh, let me think,", "Right, um,", "Uh, so,"]
ANNOUNCED = ["Let me think.", "That's a good question.", "Hmm, give me a second.", "Let me see,",
             "I helped a customer last week, and, let me think,"]
SHORT_ANSWERS = ["Yes.", "No, never.", "I don't know.", "Yes, I do.", "Two years.", "That's right.",
                 "Sure, I can do that.", "Absolutely."]
KINDS = {"hesitation": HESITATIONS, "announced pause": ANNOUNCED, "short answer": SHORT_ANSWERS}
HESITATION_PAUSE_S = 2.0  # the thinking pauses people take mid-answer
ANNOUNCED_PAUSE_S = 4.0  # after "let me think" they take longer
LEAD_IN, PAD = 0.3, 0.1  # interview/handsfree.py LEAD_IN and SPEECH_PAD
CONDITIONS = {"clean 16 kHz": lambda a: a, "phone line": phone_line, "room RT60 0.5 s": reverberant,
              "noise 20 dB SNR": noisy}


def spoken(synth: Synthesizer, text: str, voice: str) -> np.ndarray:
    audio = synth.synthesize(text, voice=voice, rate_wpm=150)
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[loud[0]: loud[-1] + 1]


def live_piece(heard: np.ndarray, cfg: AnalysisConfig) -> np.ndarray:
    """`heard` cut as the live path cuts a piece: from `LEAD_IN` before its speech to `PAD` after."""
    regions = speech_regions(heard, cfg)
    if not regions:
        return heard
    return heard[max(0, int((regions[0][0] - LEAD_IN) * SAMPLE_RATE)): int((regions[-1][1] + PAD) * SAMPLE_RATE)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voices", type=int, default=len(VOICES))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "thinking_pause.json")
    args = parser.parse_args()
    synth, transcriber, cfg, live = Synthesizer(), Transcriber(AsrConfig()), AnalysisConfig(), LiveConfig()
    worker = PieceTranscriber(transcriber, cfg)
    rows, cases = [], []
    try:
        for name, channel in CONDITIONS.items():
            row = {"condition": name}
            for kind, texts in KINDS.items():
                waits, nothing = [], 0
                for voice in VOICES[: args.voices]:
                    for text in texts:
                        said = spoken(synth, text, voice)
                        quiet = np.zeros(int(1.5 * SAMPLE_RATE), np.float32)
                        audio = live_piece(channel(np.concatenate([quiet, said, quiet])).astype(np.float32), cfg)
                        piece = worker.submit(0, audio.size, audio)
                        if not piece.done.wait(120):
                            raise RuntimeError("a piece was not transcribed in 120 s")
                        if piece.failure is not None:
                            raise piece.failure
                        wait = _Turn(0, piece.end, pieces=[piece]).silence_to_end(live)
                        waits.append(wait)
                        nothing += not piece.words
                        cases.append({"condition": name, "kind": kind, "voice": voice, "said": text,
                                      "heard": piece.text, "wait_s": wait})
                row[kind] = {"n": len(waits), "median_wait_s": statistics.median(waits), "heard_nothing": nothing,
                             "closed_in_the_pause": sum(w <= HESITATION_PAUSE_S for w in waits),
                             "closed_in_a_long_pause": sum(w <= ANNOUNCED_PAUSE_S for w in waits),
                             "waited_as_unfinished": sum(w >= live.unfinished_silence_s for w in waits)}
            rows.append(row)
    finally:
        worker.close()

    real = []  # every stretch of the real recordings as a live piece, cut 0.1 s after it
    real_worker = PieceTranscriber(transcriber, cfg)
    try:
        for path in real_recording_paths():
            audio = read_audio(path)
            regions = speech_regions(audio, cfg)
            start, dropped = 0, 0
            for _, end in regions:
                piece = real_worker.submit(0, 0, audio[start: int((end + PAD) * SAMPLE_RATE)])
                piece.done.wait(120)
                dropped += bool(piece.regions) and not piece.words
                start = int((end + PAD) * SAMPLE_RATE)
            real.append({"recording": path.name, "stretches": len(regions), "heard_as_nothing": dropped})
    finally:
        real_worker.close()

    print(f"machine: {machine()}; model {transcriber.model_name}; {args.voices} espeak-ng voices\n")
    header = (f"{'condition':<16} {'hesitations: closed in a 2 s pause':>36} {'announced: closed in 4 s':>26}"
              f" {'short answers: waited as unfinished':>37} {'heard as nothing (h / a / s)':>30}")
    print(header)
    print("-" * len(header))
    for r in rows:
        h, a, s = r["hesitation"], r["announced pause"], r["short answer"]
        print(f"{r['condition']:<16} {h['closed_in_the_pause']:>27} of {h['n']:<6}"
              f"{a['closed_in_a_long_pause']:>18} of {a['n']:<5} {s['waited_as_unfinished']:>28} of {s['n']:<6}"
              f"{h['heard_nothing']:>20} / {a['heard_nothing']} / {s['heard_nothing']}")
    print("\nmedian wait (s): " + "; ".join(
        f"{r['condition']}: " + " / ".join(f"{r[k]['median_wait_s']:.1f}" for k in KINDS) for r in rows)
        + "  (hesitation / announced / short answer)")
    print("real recordings, stretches heard as nothing: "
          + ", ".join(f"{r['recording']} {r['heard_as_nothing']} of {r['stretches']}" for r in real))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine(), "model": transcriber.model_name, "rows": rows,
                                    "real_recordings": real, "cases": cases}, indent=1))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
