"""Where the speech is: Silero VAD (the ONNX model faster-whisper ships), run with onnxruntime."""

from __future__ import annotations

import numpy as np

from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig


def speech_regions(samples: np.ndarray, config: AnalysisConfig | None = None) -> list[tuple[float, float]]:
    """Speech intervals in seconds, split wherever silence lasts `vad_min_silence_ms` or more."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    cfg = config or AnalysisConfig()
    if samples.size < SAMPLE_RATE // 10:
        return []
    options = VadOptions(
        threshold=cfg.vad_threshold,
        min_silence_duration_ms=cfg.vad_min_silence_ms,
        min_speech_duration_ms=cfg.vad_min_speech_ms,
        speech_pad_ms=cfg.vad_speech_pad_ms,
    )
    stamps = get_speech_timestamps(samples.astype(np.float32, copy=False), options)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]
