"""Which recordings does the analysis judge reverberant? A room's echo is measured from how the
speech dies away at its ends into silence (analysis/silence.py `decay_time_s`); where it is,
the echo is taken out before silence is judged. This renders the accuracy bench's answers
(bench/metrics_accuracy.py: 17 espeak-ng and 4 Flite voices x 4 answers) dry and in rooms,
with and without noise, and counts the answers judged reverberant. No speech recognition:
only the speech regions (Silero VAD) and the frame levels, as the analysis measures them.

    .venv/bin/python bench/room_detection.py [--out FILE] [--no-flite]

A dry answer judged reverberant has its slow fades cut and its silences searched wider; a
room not judged so has every silence read shorter by its echo (about 0.17 s at RT60 0.5 s).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.metrics_accuracy import ANSWERS, FLITE_VOICES, VOICES, Voices, assemble, noisy, reverberant, telephone  # noqa: E402
from bench.transcription_speed import machine  # noqa: E402
from voice_interviewer.analysis.silence import frame_levels, quiet_levels, room_rt60_s, speech_frames  # noqa: E402
from voice_interviewer.config import AnalysisConfig  # noqa: E402
from voice_interviewer.speech.vad import speech_regions  # noqa: E402

# (name, is a room, how the answer is heard); noise is white, at that SNR over the speech
CONDITIONS = [
    ("dry", False, lambda a: a),
    ("dry, telephone", False, telephone),
    ("dry, noise 40 dB SNR", False, lambda a: noisy(a, 40.0)),
    ("dry, noise 30 dB SNR", False, lambda a: noisy(a, 30.0)),
    ("dry, noise 25 dB SNR", False, lambda a: noisy(a, 25.0)),
    ("dry, noise 20 dB SNR", False, noisy),
    ("room RT60 0.3 s", True, lambda a: reverberant(a, 0.3)),
    ("room RT60 0.5 s", True, reverberant),
    ("room RT60 0.8 s", True, lambda a: reverberant(a, 0.8)),
    ("room 0.5 s, telephone", True, lambda a: telephone(reverberant(a))),
    ("room 0.5 s, noise 40 dB SNR", True, lambda a: noisy(reverberant(a), 40.0)),
    ("room 0.5 s, noise 30 dB SNR", True, lambda a: noisy(reverberant(a), 30.0)),
    ("room 0.5 s, noise 25 dB SNR", True, lambda a: noisy(reverberant(a), 25.0)),
    ("room 0.5 s, noise 20 dB SNR", True, lambda a: noisy(reverberant(a), 20.0)),
]


def estimate_s(audio, cfg: AnalysisConfig) -> float:
    """The RT60 the analysis measures in `audio` (0.0: none measurable), before its gate."""
    levels = frame_levels(audio, cfg.silence_frame_s)
    speech = speech_frames(levels.size, speech_regions(audio, cfg), cfg.silence_frame_s)
    quiet = quiet_levels(levels, speech, cfg.silence_frame_s, cfg.silence_floor_margin_db, cfg.silence_below_speech_db)
    return room_rt60_s(levels, speech, quiet, replace(cfg, reverb_min_rt60_s=0.0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "room_detection.json")
    parser.add_argument("--no-flite", action="store_true", help="espeak-ng voices only")
    args = parser.parse_args()
    cfg, synth = AnalysisConfig(), Voices()
    flite = [] if args.no_flite or shutil.which("flite") is None else FLITE_VOICES
    answers = [assemble(synth, script, voice, rate)[0] for voice, rate in VOICES + flite for script in ANSWERS]
    print(f"machine: {machine()}; {len(answers)} answers ({len(VOICES)} espeak-ng, {len(flite)} Flite voices x "
          f"{len(ANSWERS)}); judged reverberant at an RT60 of {cfg.reverb_min_rt60_s} s or more\n")
    print(f"{'condition':<30} {'judged reverberant':>18} {'right':>6} {'RT60 measured min / median / max':>34}")
    rows = []
    for name, room, hear in CONDITIONS:
        found = [estimate_s(hear(a), cfg) for a in answers]
        judged = sum(1 for x in found if x >= cfg.reverb_min_rt60_s)
        measured = [x for x in found if x > 0]
        spread = (f"{min(measured):.2f} / {statistics.median(measured):.2f} / {max(measured):.2f} s ({len(measured)})"
                  if measured else "none measurable")
        right = judged if room else len(answers) - judged
        rows.append({"condition": name, "room": room, "answers": len(answers), "judged_reverberant": judged,
                     "right": right, "measured": len(measured),
                     "rt60_min": round(min(measured), 2) if measured else None,
                     "rt60_median": round(statistics.median(measured), 2) if measured else None,
                     "rt60_max": round(max(measured), 2) if measured else None})
        print(f"{name:<30} {judged:>10} of {len(answers):<4} {100 * right / len(answers):>5.0f}% {spread:>34}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1) + "\n")
    print(f"\n(right: a room judged reverberant, a dry answer not; a room of RT60 0.3 s is at the gate itself)"
          f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
