"""A telephone line: 8 kHz sampling and the 300-3400 Hz voice band, as in a real phone screen."""

from __future__ import annotations

import numpy as np

from voice_interviewer.config import SAMPLE_RATE

PHONE_BAND_HZ = (300.0, 3400.0)


def phone_line(audio: np.ndarray) -> np.ndarray:
    """The audio as heard over a phone line, still at 16 kHz for the rest of the pipeline.

    An ideal 8 kHz channel carries exactly what lies below 4 kHz, so cutting the
    spectrum to the voice band is the whole channel; resampling down and up again
    would only add the interpolation's images above 4 kHz.
    """
    if audio.size < 2:
        return audio.astype(np.float32, copy=True)
    spectrum = np.fft.rfft(audio.astype(np.float64))
    freqs = np.fft.rfftfreq(audio.size, 1 / SAMPLE_RATE)
    low, high = PHONE_BAND_HZ
    spectrum[(freqs < low) | (freqs > high)] = 0
    return np.fft.irfft(spectrum, audio.size).astype(np.float32)
