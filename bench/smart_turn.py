"""Could an audio turn-end model help decide when a live answer is over? Prints a table, writes JSON.

    .venv/bin/python bench/smart_turn.py --model PATH/smart-turn-v3.2-cpu.onnx

Smart Turn v3.2 (Daily's pipecat project, BSD-2) hears the last 8 s of a turn and gives the
probability that the speaker has finished, from the sound alone (prosody: a falling end, a
held "um", a phrase left hanging). It is not a dependency of the app; its ONNX file ships in
the `pipecat-ai` wheel (`pip download --no-deps pipecat-ai==1.14.0`, then unzip
`pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx`). Its Whisper log-mel
features are computed with faster-whisper's own feature extractor (the same numbers to 1e-5).

Each case is heard as the app would hear it 0.2 s after the speech stops:
- the recordings of real people in ../shared/audio, at every stretch end: the end of the turn,
  a sentence end the speaker goes on after, or a pause inside a sentence (marked by hand);
- espeak-ng: the 14 endings of bench/trailing_filler.py said finished, with a glued "um", and
  with ", um," after them; sentences that end on a word that usually goes on ("...with that.")
  and phrases cut off on one ("I told her that,"), and whether Whisper writes a full stop after
  each; the answers of the hands-free benchmark.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.latency import RATE, SCRIPT  # noqa: E402
from bench.metrics_accuracy import trim  # noqa: E402
from bench.latency import VOICE as SESSION_VOICE  # noqa: E402
from bench.trailing_filler import ENDINGS, VOICES  # noqa: E402
from bench.transcription_speed import machine, real_recording_paths  # noqa: E402
from voice_interviewer.audio.phone import phone_line  # noqa: E402
from voice_interviewer.audio.wav import read_audio  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig, AsrConfig  # noqa: E402
from voice_interviewer.speech.asr import Transcriber  # noqa: E402
from voice_interviewer.speech.tts import Synthesizer  # noqa: E402
from voice_interviewer.speech.vad import speech_regions  # noqa: E402

WINDOW_S = 8  # the model hears the last 8 s
AFTER_S = 0.2  # heard this long after the speech stops
FINISHED_ON_A_GOING_ON_WORD = [
    "She was happy with that.", "I turned the router back on.", "I helped her log in.", "That is what I was there for.",
    "I knew what she was upset about.", "I asked where he was calling from.", "That is the team I worked with.",
    "I know what that feels like.", "I fixed it like that.", "Nobody had told him that."]
# stretch ends in the real recordings that fall inside a sentence (read off their transcripts):
# "And so, my fellow Americans | ask not | what your country can do for you | ask what ...",
# "The blind man | counted his old coins", "When you hear the bell, | come quickly",
# "which I don't know who put it there | in the future"; the others end a sentence
MID_SENTENCE_S = {"jfk.flac": (2.30, 4.41, 7.68), "osr_us_000_0034_8k.wav": (22.33, 33.63),
                  "desk_bottle_16k.wav": (12.80,)}
CUT_OFF_ON_A_GOING_ON_WORD = [
    "I told her that,", "So I turned the router on and,", "I asked her to log in,", "I waited for,", "I asked her about,",
    "I got a call from,", "I went to,", "I worked with,", "It was like,", "The problem was that,"]


class SmartTurn:
    def __init__(self, model: Path) -> None:
        import onnxruntime as ort
        from faster_whisper.feature_extractor import FeatureExtractor

        options = ort.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = 1, 1
        self.session = ort.InferenceSession(str(model), sess_options=options)
        self.features = FeatureExtractor(feature_size=80, chunk_length=WINDOW_S)

    def p_finished(self, audio: np.ndarray) -> float:
        window = audio[-WINDOW_S * SAMPLE_RATE:].astype(np.float32)
        window = np.pad(window, (WINDOW_S * SAMPLE_RATE - window.size, 0))
        window = (window - window.mean()) / np.sqrt(window.var() + 1e-7)  # as the model was trained
        mel = self.features(window, padding=0)[:, : WINDOW_S * SAMPLE_RATE // 160]
        return float(self.session.run(None, {"input_features": mel[None].astype(np.float32)})[0].ravel()[0])


def installed_model() -> Path | None:
    spec = importlib.util.find_spec("pipecat")  # found, not imported (it needs pipecat's own dependencies)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"
    return path if path.exists() else None


def said(synth: Synthesizer, text: str, voice: str | None, rate: int = 160) -> np.ndarray:
    return trim(synth.synthesize(text, voice=voice, rate_wpm=rate), floor=0.01)


def then_quiet(audio: np.ndarray) -> np.ndarray:
    return np.concatenate([np.zeros(int(0.3 * SAMPLE_RATE), np.float32), audio,
                           np.zeros(int(AFTER_S * SAMPLE_RATE), np.float32)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="smart-turn-v3.2-cpu.onnx (default: from an installed pipecat-ai)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "smart_turn.json")
    args = parser.parse_args()
    model = args.model or installed_model()
    if model is None or not model.exists():
        sys.exit("smart_turn.py: no Smart Turn model; pass --model PATH to smart-turn-v3.2-cpu.onnx "
                 "(in the pipecat-ai wheel: pip download --no-deps pipecat-ai==1.14.0).")
    turn, synth, cfg, transcriber = SmartTurn(model), Synthesizer(), AnalysisConfig(), Transcriber(AsrConfig())
    full_stops: dict[tuple[str, bool], list[bool]] = {}
    cases: dict[tuple[str, str, bool], list[float]] = {}  # (set, condition, finished?) -> probabilities
    seconds: list[float] = []

    def hear(group: str, condition: str, finished: bool, audio: np.ndarray) -> float:
        start = time.perf_counter()
        p = turn.p_finished(audio)
        seconds.append(time.perf_counter() - start)
        cases.setdefault((group, condition, finished), []).append(p)
        return p

    real = []
    for path in real_recording_paths():
        audio = read_audio(path)
        ends = [b for _, b in speech_regions(audio, cfg)]
        for i, end in enumerate(ends):
            last = i == len(ends) - 1
            inside = any(abs(end - t) < 0.15 for t in MID_SENTENCE_S.get(path.name, ()))
            group = "real people: end of turn" if last else (
                "real people: pause inside a sentence" if inside else "real people: sentence end, goes on")
            p = hear(group, "as recorded", not inside, audio[: int((end + AFTER_S) * SAMPLE_RATE)])
            real.append({"recording": path.name, "end_s": round(end, 2), "kind": group.split(": ")[1],
                         "p_finished": round(p, 3)})

    for condition, channel in (("clean 16 kHz", lambda a: a), ("phone line", phone_line)):
        for voice in VOICES:
            for i, ending in enumerate(ENDINGS):
                bare = ending.rstrip(".")
                for group, text, finished in (("espeak: 14 endings", ending, True),
                                              ("espeak: glued um", bare + (" um" if i % 2 else " uh"), False),
                                              ("espeak: um after a comma", bare + ", um,", False)):
                    hear(group, condition, finished, channel(then_quiet(said(synth, text, voice))))
            for group, texts, finished in (("espeak: ends on a going-on word", FINISHED_ON_A_GOING_ON_WORD, True),
                                           ("espeak: ends on a going-on word", CUT_OFF_ON_A_GOING_ON_WORD, False)):
                for text in texts:
                    audio = channel(then_quiet(said(synth, text, voice))).astype(np.float32)
                    hear(group, condition, finished, audio)
                    # and what the words say: does Whisper's plain pass (as live) end it with a full stop?
                    written = transcriber.transcribe(audio, vad_filter=False).text.strip()
                    full_stops.setdefault((condition, finished), []).append(written.endswith("."))
        # the hands-free benchmark's answers, each pause inside them and each end
        for reply in SCRIPT:
            parts = [p for p in reply.pieces if isinstance(p, str)]
            so_far = np.zeros(0, np.float32)
            for k, text in enumerate(parts):
                so_far = np.concatenate([so_far, said(synth, text, SESSION_VOICE, RATE)])
                hear("espeak: hands-free session answers", condition, k == len(parts) - 1, channel(then_quiet(so_far)))
                so_far = np.concatenate([so_far, np.zeros(int(0.5 * SAMPLE_RATE), np.float32)])

    rows = []
    for group, condition in dict.fromkeys((g, c) for g, c, _ in cases):
        done, going = cases.get((group, condition, True), []), cases.get((group, condition, False), [])
        rows.append({"set": group, "condition": condition,
                     "finished_n": len(done), "finished_heard_finished": sum(p > 0.5 for p in done),
                     "going_on_n": len(going), "going_on_heard_going_on": sum(p <= 0.5 for p in going),
                     "finished_p_median": round(statistics.median(done), 3) if done else None,
                     "going_on_p_median": round(statistics.median(going), 3) if going else None})
    print(f"machine: {machine()}; model {model.name}; one call {statistics.median(seconds):.3f} s median (1 thread)\n")
    header = f"{'set':<36} {'condition':<13} {'finished, heard so':>19} {'going on, heard so':>19} {'median p: finished / going on':>30}"
    print(header)
    print("-" * len(header))
    for r in rows:
        def share(k: str, n: str) -> str:
            return f"{r[k]} of {r[n]}" if r[n] else "-"

        medians = " / ".join("-" if v is None else f"{v:.2f}" for v in (r["finished_p_median"], r["going_on_p_median"]))
        print(f"{r['set']:<36} {r['condition']:<13} {share('finished_heard_finished', 'finished_n'):>19} "
              f"{share('going_on_heard_going_on', 'going_on_n'):>19} {medians:>30}")
    print("\nthe words: Whisper (plain pass) ends with a full stop")
    for condition in dict.fromkeys(c for c, _ in full_stops):
        print(f"  {condition:<13} sentences finished on a going-on word {sum(full_stops[condition, True])} of "
              f"{len(full_stops[condition, True])}; phrases cut off on one {sum(full_stops[condition, False])} of "
              f"{len(full_stops[condition, False])}")
    print("\nreal people, each stretch end (p of finished):")
    for r in real:
        print(f"  {r['recording']:<28} {r['end_s']:6.2f} s  {r['p_finished']:.2f}  {r['kind']}")
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "model": model.name, "call_s_median": round(statistics.median(seconds), 3),
                               "rows": rows, "real_recordings": real,
                               "full_stop_written": {f"{c}, {'finished' if f else 'cut off'}": [sum(v), len(v)]
                                                     for (c, f), v in full_stops.items()}}, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
