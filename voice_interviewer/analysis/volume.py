"""Loudness of the speech and how much of the audio is clipped."""

from __future__ import annotations

import math

import numpy as np

from voice_interviewer.config import SAMPLE_RATE


def speech_dbfs(samples: np.ndarray, regions: list[tuple[float, float]]) -> float | None:
    """RMS level in dBFS over the samples inside `regions` (None when there are none)."""
    parts = [samples[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)] for a, b in regions]
    parts = [p for p in parts if p.size]
    if not parts:
        return None
    speech = np.concatenate(parts).astype(np.float64)
    rms = math.sqrt(float(np.mean(speech * speech)))
    return round(20.0 * math.log10(rms), 2) if rms > 0 else -120.0


def clipping_ratio(samples: np.ndarray, level: float = 0.99) -> float:
    """Share of samples at or near full scale."""
    if samples.size == 0:
        return 0.0
    return float(np.mean(np.abs(samples) >= level))


def level_dbfs(samples: np.ndarray) -> float:
    """RMS level of a block in dBFS (-120 for silence): the live level meter."""
    if samples.size == 0:
        return -120.0
    rms = math.sqrt(float(np.mean(samples.astype(np.float64) ** 2)))
    return round(20.0 * math.log10(rms), 1) if rms > 1e-6 else -120.0
