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

import numpy as np

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
