"""Text to speech, rendered to PCM (through a temporary WAV) before it is played.

Rendering first gives one code path for speakers, files and tests: whatever the
sink, it receives the same 16 kHz samples.

Two back-ends, one interface: on Linux the espeak-ng program itself, and elsewhere
pyttsx3 (SAPI5 on Windows, NSSpeechSynthesizer on macOS). On Linux pyttsx3 would
drive the same espeak-ng engine, but its espeak driver (2.99) returns from
`runAndWait` before the file is written and now and then applies a rate change to
the wrong utterance; the espeak-ng command is synchronous and takes 10 to 30 ms.
"""

from __future__ import annotations

import contextlib
import functools
import io
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from voice_interviewer.audio.wav import read_audio
from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError

INSTALL_HINT = "on Debian/Ubuntu: sudo apt-get install espeak-ng"


class _EspeakCommand:
    """The espeak-ng program: one synchronous process per utterance."""

    def __init__(self, program: str) -> None:
        self.program = program

    def _listing(self, option: str) -> list[list[str]]:
        """The rows of `espeak-ng --voices...`: Pty Language Age/Gender VoiceName File ..."""
        out = subprocess.run([self.program, option], capture_output=True, text=True, timeout=30)
        return [cols for cols in (line.split() for line in out.stdout.splitlines()[1:]) if len(cols) >= 5]

    def voices(self) -> dict[str, str]:
        # the file is the id espeak-ng accepts
        return {cols[4]: f"{cols[3].replace('_', ' ')} [{cols[1]}]" for cols in self._listing("--voices")}

    @functools.cached_property
    def variants(self) -> frozenset[str]:
        """Names of espeak-ng's voice variants (m1..m7, f1..f5, klatt...), as "+name" accepts them."""
        return frozenset(cols[4].split("/")[-1] for cols in self._listing("--voices=variant"))

    def render(self, text: str, voice: str, rate_wpm: int, path: Path) -> None:
        proc = subprocess.run(
            [self.program, "-v", voice, "-s", str(rate_wpm), "-w", str(path), "--stdin"],
            input=text, capture_output=True, text=True, timeout=120,
        )
        if proc.returncode != 0:
            raise UserError(f"espeak-ng could not speak with voice '{voice}': {proc.stderr.strip() or proc.returncode}.")


class _Pyttsx3:
    """pyttsx3 on Windows and macOS (and on Linux when the espeak-ng program is missing)."""

    def __init__(self) -> None:
        try:
            import pyttsx3

            self._engine = pyttsx3.init()
        except Exception as exc:  # a missing engine shows up as OSError / RuntimeError
            raise UserError(f"No speech synthesizer is available ({INSTALL_HINT}).") from exc
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", lambda name=None, completed=True: self._finished.set())

    def voices(self) -> dict[str, str]:
        return {v.id: v.name for v in self._engine.getProperty("voices")}

    def _wait_idle(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self._engine.isBusy() and time.monotonic() < deadline:
            time.sleep(0.002)

    def render(self, text: str, voice: str, rate_wpm: int, path: Path) -> None:
        self._wait_idle()
        self._engine.setProperty("voice", voice)
        self._engine.setProperty("rate", rate_wpm)
        self._finished.clear()
        # some drivers print "Audio saved to ..." on stdout, which would corrupt --json output
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            self._finished.wait(timeout=max(10.0, len(text) / 5))
            self._wait_idle()


def trim_trailing_silence(audio: np.ndarray, keep_s: float = 0.05, floor: float = 0.003) -> np.ndarray:
    """espeak-ng ends every line with ~0.33 s of silence: dead air before the candidate may answer."""
    loud = np.flatnonzero(np.abs(audio) > floor)
    if loud.size == 0:
        return audio
    return audio[: min(audio.size, loud[-1] + 1 + int(keep_s * SAMPLE_RATE))]


class Synthesizer:
    def __init__(self, voice: str | None = None, rate_wpm: int = 165) -> None:
        program = shutil.which("espeak-ng")
        self._backend = _EspeakCommand(program) if program and sys.platform.startswith("linux") else _Pyttsx3()
        self.voices = self._backend.voices()
        if not self.voices:
            raise UserError(f"The speech synthesizer has no voices installed ({INSTALL_HINT}).")
        self.voice = self.pick_voice(voice)
        self.rate_wpm = rate_wpm

    def pick_voice(self, wanted: str | None) -> str:
        """A voice id from an id or a name fragment; by default an American, else any English voice.

        With espeak-ng a variant may follow a '+' ("en-us+f3": a female voice), as espeak-ng takes it.
        """
        if wanted and "+" in wanted and isinstance(self._backend, _EspeakCommand):
            base, variant = wanted.split("+", 1)
            if variant not in self._backend.variants:
                raise UserError(f"There is no voice variant named '{variant}' (see: espeak-ng --voices=variant).")
            return f"{self.pick_voice(base)}+{variant}"
        if wanted:
            low = wanted.lower()
            for vid, name in self.voices.items():
                if low == vid.lower() or low == name.lower():
                    return vid
            for vid, name in self.voices.items():
                if low in vid.lower() or low in name.lower():
                    return vid
            raise UserError(f"There is no voice named '{wanted}'.")
        for preferred in ("en-us", "en_us", "english (america)", "en-gb", "english"):
            for vid, name in self.voices.items():
                if preferred in vid.lower() or preferred in name.lower():
                    return vid
        return next(iter(self.voices))

    def synthesize(self, text: str, voice: str | None = None, rate_wpm: int | None = None) -> np.ndarray:
        """Speak `text` into 16 kHz mono float32 samples."""
        if not text.strip():
            return np.zeros(0, dtype=np.float32)
        with tempfile.TemporaryDirectory(prefix="vi-tts-") as tmp:
            path = Path(tmp) / "speech.wav"
            self._backend.render(text, self.pick_voice(voice) if voice else self.voice, rate_wpm or self.rate_wpm, path)
            if not path.exists() or path.stat().st_size <= 44:
                raise UserError("The speech synthesizer produced no audio.")
            return trim_trailing_silence(read_audio(path))
