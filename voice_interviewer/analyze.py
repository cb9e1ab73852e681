"""Analyse one recorded answer: decode, transcribe, find speech, measure (I/O at this edge only)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from voice_interviewer.analysis.fillers import merge_filled_pauses
from voice_interviewer.analysis.metrics import answer_metrics
from voice_interviewer.audio.wav import read_audio
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.speech.asr import Transcriber, Transcript
from voice_interviewer.speech.vad import speech_regions


def analyze_samples(
    samples: np.ndarray, transcriber: Transcriber, config: AnalysisConfig, file: str | None = None
) -> dict:
    transcript = transcriber.transcribe(samples)
    if config.filler_pass_prompt and transcript.words:
        primed = transcriber.transcribe(samples, prompt=config.filler_pass_prompt)
        transcript = replace(transcript, words=merge_filled_pauses(transcript.words, primed.words, config.filler_merge_s))
    regions = speech_regions(samples, config)
    return answer_metrics(transcript, samples, regions, config, file=file)


def analyze_transcribed(samples: np.ndarray, transcript: Transcript, config: AnalysisConfig,
                        regions: list[tuple[float, float]] | None = None) -> dict:
    """Metrics of an answer already transcribed (and its speech found) while it was spoken: live sessions."""
    if regions is None:
        regions = speech_regions(samples, config)
    return answer_metrics(transcript, samples, regions, config)


def analyze_file(path: str, transcriber: Transcriber, config: AnalysisConfig) -> dict:
    return analyze_samples(read_audio(path), transcriber, config, file=str(path))
