"""Filled pauses Whisper left out, found by sound: a steady voiced stretch where no word is.

Whisper drops many "um"s even when primed, folds some into a neighbouring word's time,
and times others far from where they were said. What is left of such an "um" in the
audio is a sound between two words that no word explains. A filled pause is a
sustained vowel or hum: voiced nearly throughout, its spectrum almost still
(words move from sound to sound). Those stretches are the candidates; the caller
confirms each one by ear (a short, filler-primed Whisper pass on just that stretch).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from voice_interviewer.analysis.fillers import is_filled_pause
from voice_interviewer.analysis.silence import frame_runs
from voice_interviewer.config import SAMPLE_RATE

PITCH_WINDOW_S = 0.04  # two periods of a low 60 Hz voice
PITCH_RANGE_HZ = (60.0, 350.0)
ENVELOPE_TOP_HZ = 3400.0  # what a phone line carries
ENVELOPE_BANDS = 12
VOICED_PEAK = 0.6  # normalised autocorrelation peak above which a frame is voiced


def unexplained_sounds(words: list[tuple[float, float]], quiet: np.ndarray, frame_s: float, duration_s: float,
                       edge_s: float, min_s: float, clear_s: float) -> list[tuple[float, float]]:
    """Sounds of `min_s` or more that lie between words (or before the first, after the last).

    `words` are the (start, end) times of the real words; `edge_s` is left around each
    word for the edges its VAD-fitted time cuts off. A sound running on into the next
    word (less than `clear_s` of silence before it) is that word's start, timed late.
    """
    spans = sorted((a, b) for a, b in words if math.isfinite(a) and math.isfinite(b))
    sounding = ~np.asarray(quiet, bool)
    found, reach = [], 0.0
    for a, b in spans:
        until = a - edge_s
        runs = frame_runs(sounding, frame_s, reach + (edge_s if reach > 0 else 0.0), until, min_s)
        found += [(s, e) for s, e in runs if e <= until - clear_s]
        reach = max(reach, b)
    found += frame_runs(sounding, frame_s, reach + (edge_s if reach > 0 else 0.0), duration_s, min_s)
    return found


def sound_islands(quiet: np.ndarray, frame_s: float, start: float, end: float, min_s: float, max_s: float,
                  clear_s: float) -> list[tuple[float, float]]:
    """Sounds inside [start, end], `min_s` to `max_s` long, with `clear_s` of silence on both sides.

    A filled pause said between two words is such an island even when a word's time
    (Whisper stretches words) lies over it.
    """
    sounding = ~np.asarray(quiet, bool)
    reach = int(round(clear_s / frame_s))
    out = []
    for a, b in frame_runs(sounding, frame_s, start, end, min_s):
        first, last = int(round(a / frame_s)), int(round(b / frame_s))
        before, after = quiet[max(0, first - reach): first], quiet[last: last + reach]
        if b - a <= max_s and before.size == reach and after.size == reach and before.all() and after.all():
            out.append((a, b))
    return out


def stray_islands(words: list[tuple[float, float]], islands: list[tuple[float, float]], quiet: np.ndarray,
                  frame_s: float, own_sound_s: float) -> list[tuple[float, float]]:
    """The `islands` (see `sound_islands`) that no word explains.

    An island outside every word's time, or late inside the time of a word that has at
    least `own_sound_s` of sound before it: Whisper stretched that word over the silence
    after it and over the "uh" beyond ("back" timed 11.04-11.80, said 11.04-11.22, "uh" at 11.44).
    """
    sounding = ~np.asarray(quiet, bool)
    found = []
    for a, b in islands:
        over = [s for s, e in words if math.isfinite(s) and math.isfinite(e) and s < b and e > a]
        if all(sound_between(sounding, frame_s, s, a) >= own_sound_s for s in over):
            found.append((a, b))
    return found


def sound_between(sounding: np.ndarray, frame_s: float, start: float, end: float) -> float:
    """Seconds of sound in [start, end)."""
    first, last = max(0, int(start / frame_s)), min(sounding.size, int(round(end / frame_s)))
    return float(sounding[first:last].sum()) * frame_s if last > first else 0.0


def nearest(spans: list[tuple[float, float]], at: tuple[float, float], before_s: float,
            after_s: float) -> tuple[float, float] | None:
    """The span closest to `at` (by the gap between them) ending at most `before_s` before it
    and starting at most `after_s` after it; None if there is none."""
    def gap(s: tuple[float, float]) -> float:
        return max(0.0, at[0] - s[1], s[0] - at[1])
    near = [s for s in spans if s[1] >= at[0] - before_s and s[0] <= at[1] + after_s]
    return min(near, key=gap, default=None)


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables of a written word, near enough to tell a long word from a short one: its
    groups of vowels, a silent final "e" not counted ("take" 1, "people" 2, "actually" 3)."""
    letters = re.sub(r"[^a-z]", "", word.lower())
    groups = len(_VOWEL_GROUPS.findall(letters))
    if groups > 1 and letters.endswith("e") and not letters.endswith(("le", "ee")):
        groups -= 1
    return max(1, groups)


def first_syllables_taken_for_filled_pauses(words: Sequence, within_s: float, fastest_syllable_s: float) -> set[int]:
    """Indices of the filled pauses in `words` (each with .text, .start, .end) that are the first
    syllable of the word after them, which Whisper timed late.

    Whisper may time "actually" 0.3 s late and in 0.24 s, 0.08 s a syllable, faster than anyone
    speaks; its first vowel, before the stop of its "c", is then a sound no word explains and,
    heard alone, an "uh". Such a filled pause ends at most `within_s` before a word of two
    syllables or more timed shorter than `fastest_syllable_s` a syllable, and the two together
    last long enough for the word: a word Whisper timed at zero length ("within" 11.93-11.93
    after a real "uh" 0.2 s long) is a time it could not place, not the rest of a word.
    """
    out = set()
    for i, w in enumerate(words):
        if not is_filled_pause(w.text):
            continue
        after = next((x for x in words[i + 1:] if not is_filled_pause(x.text)), None)
        if after is None or not (w.end <= after.start <= w.end + within_s):
            continue
        count = syllables(after.text)
        least = count * fastest_syllable_s
        if count >= 2 and after.end - after.start < least <= after.end - w.start:
            out.add(i)
    return out


def steadiness(samples: np.ndarray, hop_s: float = 0.01) -> tuple[float, float]:
    """(share of voiced frames, median frame-to-frame change of the spectral envelope) of a stretch.

    Voicing: the normalised autocorrelation peak in the pitch range (corrected for the
    window's own taper). Envelope change: RMS difference of log band energies (bels)
    between consecutive frames; a held vowel or hum stays near 0.1, speech moves 0.3+.
    """
    win = int(PITCH_WINDOW_S * SAMPLE_RATE)
    hop = max(1, int(hop_s * SAMPLE_RATE))
    x = np.asarray(samples, dtype=np.float64)
    x = np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)
    if x.size < win:
        x = np.pad(x, (0, win - x.size))
    n = (x.size - win) // hop + 1
    frames = x[np.arange(win)[None, :] + hop * np.arange(n)[:, None]]
    frames = frames - frames.mean(axis=1, keepdims=True)
    window = np.hanning(win)
    nfft = 1 << (2 * win - 1).bit_length()  # a power of two holding twice the window: no wrap-around
    spectrum = np.fft.rfft(frames * window, nfft)
    power = np.abs(spectrum) ** 2
    auto = np.fft.irfft(power)[:, :win]
    taper = np.fft.irfft(np.abs(np.fft.rfft(window, nfft)) ** 2)[:win]
    auto = auto / np.maximum(auto[:, :1], 1e-12) / np.maximum(taper / taper[0], 0.05)
    lo = int(SAMPLE_RATE / PITCH_RANGE_HZ[1])
    hi = int(SAMPLE_RATE / PITCH_RANGE_HZ[0])
    voiced = float(np.mean(auto[:, lo:hi].max(axis=1) > VOICED_PEAK))
    top = max(ENVELOPE_BANDS, int(ENVELOPE_TOP_HZ / SAMPLE_RATE * nfft))
    bands = np.array_split(power[:, :top], ENVELOPE_BANDS, axis=1)
    envelope = np.log10(np.stack([b.mean(axis=1) for b in bands], axis=1) + 1e-12)
    if n < 3:
        return voiced, float("inf")
    change = np.sqrt(np.mean(np.diff(envelope, axis=0) ** 2, axis=1))
    return voiced, float(np.median(change))


def sounds_like_filled_pause(samples: np.ndarray, min_voiced: float, max_change: float) -> bool:
    voiced, change = steadiness(samples)
    return voiced >= min_voiced and change <= max_change


def held_tail_s(samples: np.ndarray, min_voiced: float, max_change: float, step_s: float = 0.05,
                max_s: float = 0.8, window_s: float = 0.1) -> float:
    """Seconds at the end of `samples` (speech, trimmed of the silence after it) that are one held
    voiced sound; 0.0 when not even `window_s` is.

    The tail grows by `step_s` while it is voiced and steady (see `steadiness`) as a whole
    and in its first `window_s`: a median over the whole tail alone would let it grow on
    into the word before, up to twice the held sound. An "um" glued to the last word
    ("the same day-uhh") is such a tail, a word's closing consonant is not; a
    sentence-final vowel can be, so a caller confirms it by ear.
    """
    x = np.asarray(samples, dtype=np.float32)
    window = int(round(window_s * SAMPLE_RATE))

    def steady(part: np.ndarray) -> bool:
        voiced, change = steadiness(part)
        return voiced >= min_voiced and change <= max_change

    held = 0.0
    for n in range(int(round(window_s / step_s)), int(round(max_s / step_s)) + 1):
        size = int(round(n * step_s * SAMPLE_RATE))
        if size > x.size:
            break
        tail = x[-size:]
        if not (steady(tail[:window]) and steady(tail)):
            break
        held = n * step_s
    return held
