"""PortAudio microphones and speakers through sounddevice.

Imported only by the commands that use devices, so `analyze` and `report` work on
machines without PortAudio or a sound server.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np

from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError

try:
    import sounddevice as sd
except OSError as exc:  # libportaudio2 missing
    raise UserError(
        "PortAudio is not installed (on Debian/Ubuntu: sudo apt-get install libportaudio2)."
    ) from exc


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: float
    is_default_input: bool
    is_default_output: bool


def list_devices() -> list[Device]:
    try:
        raw = sd.query_devices()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise UserError(f"Could not list audio devices: {exc}.") from exc
    return [
        Device(
            index=i,
            name=str(d["name"]),
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            default_rate=float(d["default_samplerate"]),
            is_default_input=(i == default_in),
            is_default_output=(i == default_out),
        )
        for i, d in enumerate(raw)
    ]


def resolve_device(spec: str | int | None, kind: str) -> int | None:
    """A device index from a name fragment or index; None means the default.

    Raises UserError when there is no such device or no device of that kind at all.
    """
    devices = [d for d in list_devices() if (d.inputs if kind == "input" else d.outputs) > 0]
    noun = "microphone (input device)" if kind == "input" else "speaker (output device)"
    if not devices:
        hint = " Try `make demo` for a session with no microphone." if kind == "input" else ""
        raise UserError(f"No {noun} was found.{hint}")
    if spec is None or spec == "":
        default = next((d for d in devices if (d.is_default_input if kind == "input" else d.is_default_output)), None)
        return (default or devices[0]).index
    if isinstance(spec, int) or str(spec).isdigit():
        idx = int(spec)
        if any(d.index == idx for d in devices):
            return idx
        raise UserError(f"There is no {noun} with index {idx}; `voice-interviewer devices` lists them.")
    matches = [d for d in devices if str(spec).lower() in d.name.lower()]
    exact = [d for d in matches if d.name.lower() == str(spec).lower()]
    if exact:
        return exact[0].index
    if matches:
        return matches[0].index
    raise UserError(f"There is no {noun} named '{spec}'; `voice-interviewer devices` lists them.")


class DeviceLost(UserError):
    """A microphone or speaker stopped working mid-session (a headset pulled out, a sound server gone)."""


def quiet_native_stderr() -> None:
    """From now on, keep PortAudio's and ALSA's C-level chatter off the terminal.

    Python's own messages still show: sys.stderr moves to a copy of the terminal's
    descriptor, and descriptor 2 (where C libraries write) goes to /dev/null. Not
    undone: a lost device leaves an abort stuck in PortAudio's ALSA layer, printing
    the same failure in a tight loop until the process ends.
    """
    if getattr(sys.stderr, "_vi_quiet", False):
        return
    try:
        terminal = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    sys.stderr.flush()
    stream = os.fdopen(terminal, "w", buffering=1)
    stream._vi_quiet = True  # type: ignore[attr-defined]
    sys.stderr = stream
    os.dup2(devnull, 2)
    os.close(devnull)


def _finish_in_background(action, timeout_s: float) -> bool:
    """Run a PortAudio call that can hang on a lost device; False if it did not return in time."""
    worker = threading.Thread(target=action, daemon=True)
    worker.start()
    worker.join(timeout_s)
    return not worker.is_alive()


class DeviceSink:
    """Plays to a speaker and returns when playback is over."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = resolve_device(device, "output")

    def play(self, samples: np.ndarray) -> None:
        if samples.size == 0:
            return
        try:
            sd.play(samples.astype(np.float32), SAMPLE_RATE, device=self.device)
        except sd.PortAudioError as exc:
            raise DeviceLost(f"The speaker stopped working ({exc}).") from exc
        # a speaker that vanishes mid-line never finishes: wait the line's length plus a margin
        if not _finish_in_background(sd.wait, samples.size / SAMPLE_RATE + START_ALLOWANCE_S):
            _finish_in_background(sd.stop, 1.0)
            raise DeviceLost("The speaker stopped playing (was the headset unplugged?).")

    def close(self) -> None:
        pass


STALL_S = 1.5  # no audio from a running microphone for this long means it is gone
START_ALLOWANCE_S = 5.0  # opening a stream through a sound server can take a second or two


class DeviceRecorder:
    """Records the microphone with a callback stream until `stop()` or a time limit.

    Frames are kept in a list by the callback (no work on the audio thread beyond a
    copy); input overflows are counted so lost audio is never silent.
    """

    def __init__(self, device: str | int | None = None, block_s: float = 0.05) -> None:
        self.device = resolve_device(device, "input")
        self.block = int(SAMPLE_RATE * block_s)
        self.overflows = 0
        self._chunks: list[np.ndarray] = []
        self._stopped = threading.Event()
        self._stream: sd.InputStream | None = None
        self._last_frames_at = 0.0

    def _callback(self, indata, frames, time_info, status) -> None:  # noqa: ANN001 (PortAudio signature)
        if status.input_overflow:
            self.overflows += 1
        self._chunks.append(indata[:, 0].copy())
        self._last_frames_at = time.monotonic()

    def stalled(self) -> bool:
        """True when the microphone has sent nothing for STALL_S seconds (longer while it starts)."""
        if self._stream is None:
            return False
        limit = STALL_S if self._chunks else START_ALLOWANCE_S
        return time.monotonic() - self._last_frames_at > limit

    def start(self) -> None:
        try:
            self._stream = sd.InputStream(
                samplerate=SAMPLE_RATE, channels=1, dtype="float32", blocksize=self.block,
                device=self.device, callback=self._callback,
            )
            self._last_frames_at = time.monotonic()
            self._stream.start()
        except sd.PortAudioError as exc:
            raise UserError(f"Could not open the microphone ({exc}).") from exc

    def stop(self) -> np.ndarray:
        self._stopped.set()
        stream, self._stream = self._stream, None
        if stream is not None:
            _finish_in_background(lambda: (stream.abort(), stream.close()), 2.0)
        return self.samples()

    def samples(self) -> np.ndarray:
        chunks = list(self._chunks)
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
