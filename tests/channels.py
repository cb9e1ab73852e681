"""A telephone channel that rings, for the tests whose Whisper failure only happens through it."""

from __future__ import annotations

import numpy as np

from voice_interviewer.audio.phone import PHONE_BAND_HZ
from voice_interviewer.config import SAMPLE_RATE


def ringing_band(audio: np.ndarray) -> np.ndarray:
    """The voice band cut out of the whole clip's spectrum: the bench's telephone filter until
    2026-11-27. Its long sinc rings through every silence (a steady sound 7-18 dB under the
    speech). Through it tiny.en loops or leaves a sentence out on some voices, and the
    analysis must cope with that; the short filter of a real line (`phone_line`) does not
    make those cases happen. The tests pass it to the bench's `telephone` with `codec=None`:
    the old channel was saved as 16-bit PCM, not G.711, and those failures were seen so."""
    spectrum = np.fft.rfft(audio.astype(np.float64))
    freqs = np.fft.rfftfreq(audio.size, 1 / SAMPLE_RATE)
    spectrum[(freqs < PHONE_BAND_HZ[0]) | (freqs > PHONE_BAND_HZ[1])] = 0
    return np.fft.irfft(spectrum, audio.size).astype(np.float32)
