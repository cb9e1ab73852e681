"""A telephone line: 8 kHz sampling and the 300-3400 Hz voice band, as in a real phone screen."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from voice_interviewer.config import SAMPLE_RATE

PHONE_BAND_HZ = (300.0, 3400.0)
# 255 taps at 16 kHz: a filter 16 ms long, so a sound rings on for 8 ms at most, as through
# a real line's band filter. Kaiser beta 6 keeps everything 150 Hz outside the band 60 dB down.
_TAPS, _KAISER_BETA = 255, 6.0


@lru_cache(maxsize=1)
def _band_filter() -> np.ndarray:
    """A linear-phase band-pass FIR (windowed sinc), -6 dB at the band edges."""
    n = np.arange(_TAPS) - (_TAPS - 1) / 2
    low, high = (f / SAMPLE_RATE for f in PHONE_BAND_HZ)
    ideal = 2 * high * np.sinc(2 * high * n) - 2 * low * np.sinc(2 * low * n)
    return ideal * np.kaiser(_TAPS, _KAISER_BETA)


def phone_line(audio: np.ndarray) -> np.ndarray:
    """The audio as heard over a phone line, still at 16 kHz for the rest of the pipeline.

    An 8 kHz channel carries only what lies below 4 kHz, so the voice band filter is the
    whole channel; resampling down and up again would only add images above 4 kHz. The
    filter is short, not a cut of the whole spectrum: an FFT cut rings through every
    silence of the clip (and wraps its end onto its start), which no phone line does.
    """
    if audio.size < 2:
        return audio.astype(np.float32, copy=True)
    # the middle of the full convolution: the symmetric filter adds no delay, and the clip
    # keeps its length (numpy's mode "same" would not, for a clip shorter than the filter)
    full = np.convolve(audio.astype(np.float64), _band_filter())
    delay = (_TAPS - 1) // 2
    return full[delay: delay + audio.size].astype(np.float32)
