"""Is the microphone hearing the interviewer's own voice (speakers instead of headphones)?"""

from __future__ import annotations

import numpy as np


def sounds_like_playback(heard: np.ndarray, played: np.ndarray, threshold: float) -> bool:
    """True when `heard` is mostly a delayed, scaled copy of some part of `played`.

    Normalised cross-correlation over every lag: an echo of the line scores near 1,
    a person talking over it near 0. `played` should cover the heard stretch plus the
    room and device delay before it.
    """
    heard = heard.astype(np.float64) - float(np.mean(heard)) if heard.size else heard
    if heard.size < 160 or played.size < heard.size:
        return False
    energy = float(np.dot(heard, heard))
    if energy <= 1e-12:
        return False
    played = played.astype(np.float64)
    n = played.size + heard.size
    size = 1 << (n - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(played, size) * np.conj(np.fft.rfft(heard, size)), size)[: played.size - heard.size + 1]
    window = np.convolve(played * played, np.ones(heard.size), mode="valid")  # energy of each lag's stretch
    score = np.abs(corr) / np.sqrt(energy * np.maximum(window, 1e-12))
    return bool(score.max() >= threshold)
