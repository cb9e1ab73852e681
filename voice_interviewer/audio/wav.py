"""Reading any audio file into 16 kHz mono float32, and writing WAV files safely."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError


def read_audio(path: str | os.PathLike) -> np.ndarray:
    """Decode WAV, FLAC, MP3... (anything PyAV reads) to 16 kHz mono float32 in [-1, 1]."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"{p}: no such file.")
    if p.is_dir():
        raise UserError(f"{p} is a folder, not an audio file.")
    if not os.access(p, os.R_OK):
        raise UserError(f"{p}: cannot read this file (permission denied).")
    if p.stat().st_size == 0:
        raise UserError(f"{p} is empty: it holds no audio.")
    import av  # PyAV, a faster-whisper dependency; imported late to keep start-up light
    from faster_whisper.audio import decode_audio

    try:
        with av.open(str(p)) as container:
            has_audio = bool(container.streams.audio)
    except Exception as exc:  # PyAV raises many types for undecodable input
        raise UserError(f"{p} is not a readable audio file ({type(exc).__name__}).") from exc
    if not has_audio:
        raise UserError(f"{p} has no audio stream.")
    try:
        samples = decode_audio(str(p), sampling_rate=SAMPLE_RATE)
    except Exception as exc:
        raise UserError(f"{p} could not be decoded ({type(exc).__name__}: {exc}).") from exc
    if samples.size == 0:
        raise UserError(f"{p} has no audio in it (its audio stream is empty).")
    return samples.astype(np.float32, copy=False)


def to_int16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")


def write_wav(path: str | os.PathLike, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write mono 16-bit PCM under a temporary name, fsync, then rename: never a half file."""
    final = Path(path)
    tmp = final.with_name(final.name + ".part")
    with open(tmp, "wb") as fh:
        with wave.open(fh, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(sample_rate)
            w.writeframes(to_int16(samples).tobytes())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    return final
