"""Text to speech with pyttsx3 (espeak-ng on Linux), rendered to PCM before it is played.

Rendering to a temporary WAV first gives one code path for speakers, files and
tests: whatever the sink, it receives the same 16 kHz samples.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import threading
from pathlib import Path

import numpy as np

from voice_interviewer.audio.wav import read_audio
from voice_interviewer.errors import UserError


class Synthesizer:
    def __init__(self, voice: str | None = None, rate_wpm: int = 165) -> None:
        try:
            import pyttsx3

            self._engine = pyttsx3.init()
        except Exception as exc:  # missing espeak-ng shows up as OSError / RuntimeError
            raise UserError(
                "No speech synthesizer is available (on Debian/Ubuntu: sudo apt-get install espeak-ng)."
            ) from exc
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", lambda name=None, completed=True: self._finished.set())
        self.voices = {v.id: v.name for v in self._engine.getProperty("voices")}
        self.voice = self.pick_voice(voice)
        self.rate_wpm = rate_wpm

    def pick_voice(self, wanted: str | None) -> str:
        """A voice id from an id or a name fragment; by default an American, else any English voice."""
        if wanted:
            for vid, name in self.voices.items():
                if wanted == vid or wanted.lower() == name.lower():
                    return vid
            for vid, name in self.voices.items():
                if wanted.lower() in vid.lower() or wanted.lower() in name.lower():
                    return vid
            raise UserError(f"There is no voice named '{wanted}'.")
        for preferred in ("en-us", "en_us", "english (america)", "en-gb", "english"):
            for vid, name in self.voices.items():
                if preferred in vid.lower() or preferred in name.lower():
                    return vid
        if not self.voices:
            raise UserError("The speech synthesizer has no voices installed.")
        return next(iter(self.voices))

    def synthesize(self, text: str, voice: str | None = None, rate_wpm: int | None = None) -> np.ndarray:
        """Speak `text` into 16 kHz mono float32 samples."""
        if not text.strip():
            return np.zeros(0, dtype=np.float32)
        self._engine.setProperty("voice", self.pick_voice(voice) if voice else self.voice)
        self._engine.setProperty("rate", rate_wpm or self.rate_wpm)
        with tempfile.TemporaryDirectory(prefix="vi-tts-") as tmp:
            path = Path(tmp) / "speech.wav"
            self._finished.clear()
            # the espeak driver prints "Audio saved to ..." on stdout, which would corrupt --json output
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.save_to_file(text, str(path))
                self._engine.runAndWait()
                # pyttsx3's espeak driver can return from runAndWait before the file is written:
                # wait for its finished-utterance notice
                self._finished.wait(timeout=max(10.0, len(text) / 5))
            if not path.exists() or path.stat().st_size <= 44:
                raise UserError("The speech synthesizer produced no audio.")
            return read_audio(path)
