"""Live turns that end on an "um" glued to the last word: does the interviewer wait? Prints a table, writes JSON.

    .venv/bin/python bench/trailing_filler.py [--voices N]

Each of 14 short answers is rendered by espeak-ng voices twice: finished ("...the same
day.") and with a filled pause run on from its last word with no gap ("...the same day
uh"), as a speaker who goes on thinking does; clean, through a phone line, and in a
reverberant room (RT60 0.5 s, cut where the speech heard with its echo ends). Each is one live piece (the hands-free
path: both passes, and the sound check on its end) and the silence that closes the
turn is read off as the session reads it. The session knows its room from the answers
before (interview/handsfree.py): here from the voice's 14 finished sentences said one
after another, 1 s apart, through the same channel. Counted: the glued fillers that keep the turn
open (waiting `unfinished_silence_s`, not `finished_silence_s`), and the finished answers
kept open that a short silence would have closed. Both with the words alone (before the
sound check) and with it. Also every stretch end in the recordings of real people in
../shared/audio: none is a filled pause; the last one of each is the end of a turn, where
taking it for one would keep the interviewer waiting (the others the speaker went on after).
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

from bench.metrics_accuracy import reverberant  # noqa: E402
from bench.transcription_speed import machine, real_recording_paths  # noqa: E402
from voice_interviewer.analysis.silence import rt60_of_falls, speech_end_falls  # noqa: E402
from voice_interviewer.analyze import ends_on_filled_pause  # noqa: E402
from voice_interviewer.audio.phone import phone_line  # noqa: E402
from voice_interviewer.audio.wav import read_audio  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig, AsrConfig, LiveConfig  # noqa: E402
from voice_interviewer.interview.commands import detect_command  # noqa: E402
from voice_interviewer.interview.handsfree import _Turn  # noqa: E402
from voice_interviewer.speech.asr import Transcriber  # noqa: E402
from voice_interviewer.speech.incremental import PieceTranscriber  # noqa: E402
from voice_interviewer.speech.tts import Synthesizer  # noqa: E402
from voice_interviewer.speech.turns import silence_to_end_turn  # noqa: E402
from voice_interviewer.speech.vad import speech_regions  # noqa: E402

ENDINGS = [
    "I refunded the charge the same day.", "She was happy with that.", "And then I called her back.",
    "I listen to what my supervisor says.", "That is why I want this job.", "I always try to stay calm.",
    "We fixed it within the hour.", "It made me feel good.", "Thank you so much.", "I would say sorry and help.",
    "I was there for a year.", "They gave me a raise.", "So I said no.", "I love to go.",
]
VOICES = ["en-us", "en-gb-x-rp", "en-029", "en-us+f3", "en-gb-scotland", "en-us-nyc", "en+f2", "en-us+m3"]
PAD = 0.1  # a live piece ends this long after its last speech (interview/handsfree.py SPEECH_PAD)


def spoken(synth: Synthesizer, text: str, voice: str) -> np.ndarray:
    audio = synth.synthesize(text, voice=voice, rate_wpm=160)
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    said = audio[loud[0]: loud[-1] + 1]
    return np.concatenate([np.zeros(int(0.3 * SAMPLE_RATE), np.float32), said,
                           np.zeros(int(PAD * SAMPLE_RATE), np.float32)])


def waits(piece, live: LiveConfig, sound_check: bool) -> bool:
    """Whether the turn stays open past a finished sentence's silence: as the session reads it
    (`_Turn.silence_to_end`), or from the words alone, as it did before the sound check."""
    if sound_check:
        silence = _Turn(0, piece.end, pieces=[piece]).silence_to_end(live)
    else:
        silence = silence_to_end_turn(piece.text, detect_command(piece.text) is not None, live,
                                      last_stretch_heard=bool(piece.words))
    return silence > live.finished_silence_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voices", type=int, default=len(VOICES))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "trailing_filler.json")
    args = parser.parse_args()
    synth, transcriber, cfg, live = Synthesizer(), Transcriber(AsrConfig()), AnalysisConfig(), LiveConfig()
    worker = PieceTranscriber(transcriber, cfg)

    def in_room(audio: np.ndarray) -> np.ndarray:
        """`audio` as a laptop across a living room hears it (bench/metrics_accuracy.py `reverberant`),
        cut as the live path cuts a piece: `PAD` after the end of the speech it hears, echo and all."""
        heard = reverberant(np.concatenate([audio, np.zeros(int(0.6 * SAMPLE_RATE), np.float32)]))
        regions = speech_regions(heard, cfg)
        return heard[: int((regions[-1][1] + PAD) * SAMPLE_RATE)] if regions else heard

    def room_known(voice: str, heard_as) -> float:
        """The room a session knows after an answer of the voice's finished sentences, 1 s apart."""
        gap = np.zeros(SAMPLE_RATE, np.float32)
        earlier = heard_as(np.concatenate([x for e in ENDINGS for x in (spoken(synth, e, voice), gap)]))
        return rt60_of_falls(speech_end_falls(earlier, speech_regions(earlier, cfg), cfg), cfg)

    conditions = {"clean 16 kHz": (lambda a: a, lambda a: a), "phone line": (phone_line, phone_line),
                  "room RT60 0.5 s": (in_room, reverberant)}
    rows, misses = [], []
    try:
        for name, (channel, heard_as) in conditions.items():
            counts = {k: [0, 0, 0] for k in ("glued filler", "finished")}  # answers, open by words, open with sound
            piece_s, rooms = [], []
            for voice in VOICES[: args.voices]:
                room = room_known(voice, heard_as)
                rooms.append(room)
                for i, ending in enumerate(ENDINGS):
                    filler = " um" if i % 2 else " uh"
                    for kind, text in (("finished", ending), ("glued filler", ending.rstrip(".") + filler)):
                        audio = channel(spoken(synth, text, voice)).astype(np.float32)
                        start = time.perf_counter()
                        piece = worker.submit(0, audio.size, audio, room_rt60_s=room)
                        if not piece.done.wait(120):
                            raise RuntimeError("a piece was not transcribed in 120 s")
                        piece_s.append(time.perf_counter() - start)
                        c = counts[kind]
                        c[0] += 1
                        c[1] += waits(piece, live, sound_check=False)
                        c[2] += waits(piece, live, sound_check=True)
                        if (kind == "glued filler") != waits(piece, live, sound_check=True):
                            misses.append({"condition": name, "voice": voice, "said": text, "heard": piece.text})
            rows.append({"condition": name,
                         **{f"{k.replace(' ', '_')}_{f}": v for k, c in counts.items()
                            for f, v in zip(("answers", "open_by_words", "open_with_sound"), c)},
                         "piece_s_median": round(statistics.median(piece_s), 2),
                         "room_rt60_s_known": [round(r, 2) for r in rooms]})
    finally:
        worker.close()

    real = []
    for path in real_recording_paths():
        audio = read_audio(path)
        regions = speech_regions(audio, cfg)
        ends = [b for _, b in regions]
        room = rt60_of_falls(speech_end_falls(audio, regions, cfg), cfg)  # as a session would know it, at most
        taken = []
        for end in ends:  # each stretch as the live path cuts it: up to its end, 0.1 s after
            piece = audio[: int((end + PAD) * SAMPLE_RATE)]
            if ends_on_filled_pause(piece, speech_regions(piece, cfg), transcriber, cfg, room):
                taken.append(round(end, 2))
        real.append({"recording": path.name, "room_rt60_s": round(room, 2), "stretch_ends": len(ends),
                     "taken_for_a_filler": taken,
                     "taken_at_the_end": bool(ends) and round(ends[-1], 2) in taken})

    print(f"machine: {machine()}; model {transcriber.model_name}; {args.voices} espeak-ng voices x {len(ENDINGS)} endings\n")
    for r in rows:
        known = r["room_rt60_s_known"]
        print(f"{r['condition']:<16} room known from the answers before: {sum(x > 0 for x in known)} of {len(known)} voices"
              + (f", RT60 {min(x for x in known if x > 0):.2f}-{max(known):.2f} s" if max(known) > 0 else ""))
    print()
    header = (f"{'condition':<16} {'glued fillers kept open: words / +sound':>40} "
              f"{'finished kept open: words / +sound':>36} {'piece s (median)':>17}")
    print(header)
    print("-" * len(header))
    for r in rows:
        n, m = r["glued_filler_answers"], r["finished_answers"]
        print(f"{r['condition']:<16} {r['glued_filler_open_by_words']:>26} / {r['glued_filler_open_with_sound']:>3} of {n:<4}"
              f"{r['finished_open_by_words']:>25} / {r['finished_open_with_sound']:>3} of {m:<4}"
              f"{r['piece_s_median']:>13}")
    print("\n(a finished answer under 4 words waits short_answer_silence_s by design: counted as kept open)")
    print("\nrecordings of real people (none says a filled pause): stretch ends taken for a glued one;"
          "\nonly the last is the end of a turn, where it would keep the interviewer waiting")
    for r in real:
        print(f"  {r['recording']:<28} room {r['room_rt60_s'] or 'dry':>4}; {len(r['taken_for_a_filler'])} of {r['stretch_ends']} "
              f"(at {', '.join(f'{t} s' for t in r['taken_for_a_filler']) or '-'}); "
              f"the last: {'taken' if r['taken_at_the_end'] else 'not taken'}")
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "model": transcriber.model_name, "voices": VOICES[: args.voices],
                               "rows": rows, "real_recordings": real, "misjudged": misses}, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
