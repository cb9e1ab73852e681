"""Where the interviewer's voice goes: a WAV file here; a speaker in `devices.DeviceSink`.

Every sink takes 16 kHz mono float32 through `play(samples)` and returns when the
audio has been delivered, so the interview loop is the same for files, devices and tests.
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Protocol

import numpy as np

from voice_interviewer.audio.wav import to_int16
from voice_interviewer.config import SAMPLE_RATE


class AudioSink(Protocol):
    def play(self, samples: np.ndarray) -> None: ...

    def close(self) -> None: ...


class WavFileSink:
    """Appends everything played to one WAV file (the recording of a demo call)."""

    def __init__(self, path: str | Path, sample_rate: int = SAMPLE_RATE) -> None:
        self.path = Path(path)
        self.sample_rate = sample_rate
        self._wav = wave.open(str(self.path), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        self.seconds_written = 0.0

    def play(self, samples: np.ndarray) -> None:
        self._wav.writeframes(to_int16(samples).tobytes())
        self.seconds_written += samples.size / self.sample_rate

    def close(self) -> None:
        if self._wav is not None:
            self._wav.close()
            self._wav = None


class TeeSink:
    """Plays on the first sink (a speaker), then records the same audio on the second (a tape)."""

    def __init__(self, first: AudioSink, second: AudioSink) -> None:
        self.first, self.second = first, second

    def play(self, samples: np.ndarray) -> None:
        self.first.play(samples)
        self.second.play(samples)

    def close(self) -> None:
        self.first.close()
        self.second.close()
