"""Speed and accuracy of `analyze` with the embedded model: prints a table, writes JSON.

    .venv/bin/python bench/transcription_speed.py [--repeats N]

Rows: the recordings of real people in ../shared/audio (word error against their
reference text) and espeak-ng answers of 30 s, 60 s and 150 s; plus the model load
time and a whole `demo` run. Timings on a shared machine are noisy: take the median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.textnorm import wer  # noqa: E402
from voice_interviewer.analyze import analyze_samples  # noqa: E402
from voice_interviewer.audio.wav import read_audio  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig  # noqa: E402
from voice_interviewer.speech.asr import Transcriber, load_model  # noqa: E402
from voice_interviewer.speech.tts import Synthesizer  # noqa: E402

SHARED_AUDIO = ROOT.parent / "shared" / "audio"


def real_recording_paths() -> list[Path]:
    """The recordings of real people in ../shared/audio (none when it is absent)."""
    return sorted(SHARED_AUDIO.glob("*.wav")) + sorted(SHARED_AUDIO.glob("*.flac"))

STORY = [
    "I listened to the customer and checked her account.",
    "Then I booked a technician for the next morning.",
    "She called back the next day to say the heating worked.",
    "We talked about her bill and I explained each charge.",
    "After that I wrote a note so the next agent would know.",
]


def synthetic_answer(synth: Synthesizer, seconds: float) -> tuple[np.ndarray, str]:
    parts, words = [], []
    clips = [synth.synthesize(s) for s in STORY]
    i = 0
    while sum(p.size for p in parts) < seconds * SAMPLE_RATE:
        parts += [clips[i % len(clips)], np.zeros(int(0.6 * SAMPLE_RATE), np.float32)]
        words.append(STORY[i % len(STORY)])
        i += 1
    return np.concatenate(parts), " ".join(words)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    load_model.cache_clear()
    transcriber = Transcriber()
    load_s = time.perf_counter() - t0
    synth = Synthesizer()
    cfg = AnalysisConfig()

    cases: list[tuple[str, np.ndarray, str]] = []
    refs = SHARED_AUDIO / "transcripts.json"
    if refs.exists():
        for name, meta in json.loads(refs.read_text()).items():
            cases.append((f"real: {name}", read_audio(SHARED_AUDIO / name), meta["text"]))
    else:
        print(f"(no real recordings: {SHARED_AUDIO} is absent)")
    for seconds in (30, 60, 150):
        audio, text = synthetic_answer(synth, seconds)
        cases.append((f"espeak answer {seconds} s", audio, text))

    rows = []
    for label, audio, text in cases:
        times, result = [], None
        for _ in range(args.repeats):
            start = time.perf_counter()
            result = analyze_samples(audio, transcriber, cfg)
            times.append(time.perf_counter() - start)
        minutes = audio.size / SAMPLE_RATE / 60
        rows.append({
            "audio": label,
            "audio_s": round(audio.size / SAMPLE_RATE, 1),
            "analyze_s": round(statistics.median(times), 2),
            "s_per_audio_min": round(statistics.median(times) / minutes, 2),
            "wer": round(wer(text, result["transcript"]), 3),
            "wpm": result["wpm"],
            "pauses": result["pauses"]["count"],
        })

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "voice_interviewer", "demo", "--out", f"{tmp}/s"], check=True, capture_output=True)
        demo_s = time.perf_counter() - start

    print(f"machine: {machine()}")
    print(f"model load (embedded tiny.en, int8): {load_s:.2f} s; whole `demo` run: {demo_s:.1f} s\n")
    header = f"{'audio':<36} {'length':>7} {'analyze':>8} {'s/min':>6} {'WER':>6} {'wpm':>6} {'pauses':>6}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['audio']:<36} {r['audio_s']:>6}s {r['analyze_s']:>7}s {r['s_per_audio_min']:>6} {r['wer']:>6.1%} {r['wpm'] or 0:>6} {r['pauses']:>6}")
    out = ROOT / "bench" / "results" / "transcription_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "model_load_s": round(load_s, 2), "demo_s": round(demo_s, 1), "rows": rows}, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
