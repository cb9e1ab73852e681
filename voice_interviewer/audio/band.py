"""Telephone-band audio made easier for Whisper to read: its empty upper band filled with a mirror image.

Audio sampled at 8 kHz (a phone call, a Bluetooth headset in call mode) holds nothing above
4 kHz, where Whisper, trained mostly on wideband speech, looks for the hiss of "s", "f" and
"th". Spectral folding, the oldest bandwidth extension (GSM's codecs used it), mirrors the
band below 4 kHz into the band above it: a 3 kHz "s" reappears at 5 kHz. Multiplying each
sample by (-1)^n moves every frequency f of 16 kHz audio to 8 kHz - f, so for audio with
nothing above 4 kHz that product is the mirror image alone.
"""

from __future__ import annotations

import math

import numpy as np

from voice_interviewer.config import SAMPLE_RATE


def upper_band_share_db(samples: np.ndarray, above_hz: float) -> float:
    """The energy above `above_hz` as a share of all the energy, in dB (-inf for silence or nothing)."""
    x = np.asarray(samples, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return -math.inf
    power = np.abs(np.fft.rfft(x)) ** 2
    total = float(power.sum())
    if total <= 0.0:
        return -math.inf
    upper = float(power[np.fft.rfftfreq(x.size, 1.0 / SAMPLE_RATE) >= above_hz].sum())
    return 10.0 * math.log10(upper / total) if upper > 0.0 else -math.inf


def is_narrowband(samples: np.ndarray, above_hz: float, below_db: float) -> bool:
    """Whether the audio holds sound, and almost none of it above `above_hz`: sampled at 8 kHz on its way here.

    Wideband speech keeps 1-3% of its energy above 4.5 kHz (-15 to -25 dB; a 1961 recording,
    -46 dB); audio once sampled at 8 kHz keeps less than a millionth (under -70 dB).
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.size < 2 or not np.isfinite(x).any() or not np.any(x[np.isfinite(x)]):
        return False
    return upper_band_share_db(x, above_hz) < below_db


def widened(samples: np.ndarray, mirror_db: float) -> np.ndarray:
    """Narrowband 16 kHz audio with its band below 4 kHz mirrored into the band above, `mirror_db` down."""
    x = np.nan_to_num(np.asarray(samples, dtype=np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    sign = np.where(np.arange(x.size) % 2 == 0, 1.0, -1.0).astype(np.float32)
    return np.clip(x + x * sign * np.float32(10.0 ** (mirror_db / 20.0)), -1.0, 1.0).astype(np.float32)
