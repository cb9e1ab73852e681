"""Full-duplex audio for hands-free sessions: one microphone stream and one speaker stream, open all session.

The microphone runs the whole time (so the candidate can talk over the interviewer
and nothing said between turns is lost); every sample has a place on the session
clock. The speaker is a persistent callback stream fed from a buffer, so a line
starts as soon as it is queued and stops within one buffer when the candidate
barges in. (Opening a stream per line through PulseAudio cost about 2 s a line.)
"""

from __future__ import annotations

import threading
import time

import numpy as np

from voice_interviewer.audio.devices import (
    START_ALLOWANCE_S,
    STALL_S,
    DeviceLost,
    _finish_in_background,
    resolve_device,
    sd,
)
from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError


class LiveAudio:
    def __init__(self, input_device: str | int | None, output_device: str | int | None, clock,
                 block: int = 512) -> None:
        self.input_device = resolve_device(input_device, "input")
        self.output_device = resolve_device(output_device, "output")
        self.clock, self.block = clock, block
        self.output_latency_s = 0.05  # until the stream reports its own
        self.overflows = 0
        # the whole session's microphone audio, grown by doubling (30 minutes = 115 MB)
        self._mic = np.zeros(SAMPLE_RATE * 60, np.float32)
        self._mic_count = 0  # samples received so far
        self._mic_t0: float | None = None  # session clock time of sample 0
        self._last_mic_at = 0.0
        self._lock = threading.Lock()
        # speaker state, shared with the output callback
        self._line = np.zeros(0, np.float32)
        self._pos = 0
        self._line_done = threading.Event()
        self._line_done.set()
        self._last_out_at = 0.0
        self._in: sd.InputStream | None = None
        self._out: sd.OutputStream | None = None

    # -- streams ------------------------------------------------------------------
    def _on_input(self, indata, frames, time_info, status) -> None:  # noqa: ANN001 (PortAudio signature)
        if status.input_overflow:
            self.overflows += 1
        chunk = indata[:, 0].copy()
        now = time.monotonic()
        with self._lock:
            if self._mic_t0 is None:
                self._mic_t0 = self.clock.now() - frames / SAMPLE_RATE
            end = self._mic_count + frames
            if end > self._mic.size:
                grown = np.zeros(max(end, 2 * self._mic.size), np.float32)
                grown[:self._mic_count] = self._mic[:self._mic_count]
                self._mic = grown
            self._mic[self._mic_count:end] = chunk
            self._mic_count = end
            self._last_mic_at = now

    def _on_output(self, outdata, frames, time_info, status) -> None:  # noqa: ANN001
        self._last_out_at = time.monotonic()
        line, pos = self._line, self._pos
        take = min(frames, max(0, line.size - pos))
        outdata[:take, 0] = line[pos:pos + take]
        outdata[take:, 0] = 0.0
        self._pos = pos + take
        if take < frames:
            self._line_done.set()

    def start(self) -> None:
        try:
            self._in = sd.InputStream(samplerate=SAMPLE_RATE, channels=1, dtype="float32", blocksize=self.block,
                                      device=self.input_device, callback=self._on_input)
            # PortAudio's "high" latency: 35 ms through PulseAudio here. An explicit small
            # number was worse: 50 ms asked for gave 1 s, or silence, through the ALSA plugin
            self._out = sd.OutputStream(samplerate=SAMPLE_RATE, channels=1, dtype="float32", latency="high",
                                        device=self.output_device, callback=self._on_output)
            self.output_latency_s = float(self._out.latency)
            self._last_mic_at = self._last_out_at = time.monotonic()
            self._in.start()
            self._out.start()
        except sd.PortAudioError as exc:
            self.close()
            raise UserError(f"Could not open the microphone or the speaker ({exc}).") from exc

    def close(self) -> None:
        for stream in (self._in, self._out):
            if stream is not None:
                _finish_in_background(lambda s=stream: (s.abort(), s.close()), 2.0)
        self._in = self._out = None

    def check(self) -> None:
        """Raise DeviceLost when the microphone or the speaker stopped running (a pulled headset)."""
        now = time.monotonic()
        mic_limit = STALL_S if self._mic_count else START_ALLOWANCE_S
        if self._in is not None and now - self._last_mic_at > mic_limit:
            raise DeviceLost("The microphone stopped sending audio (was the headset unplugged?).")
        if self._out is not None and now - self._last_out_at > START_ALLOWANCE_S:
            raise DeviceLost("The speaker stopped playing (was the headset unplugged?).")

    # -- microphone ---------------------------------------------------------------
    @property
    def mic_count(self) -> int:
        return self._mic_count

    def mic_time(self, index: int) -> float:
        """Session clock time of microphone sample `index`."""
        t0 = self._mic_t0 if self._mic_t0 is not None else self.clock.now()
        return t0 + index / SAMPLE_RATE

    def mic_audio(self, start: int, end: int | None = None) -> np.ndarray:
        """Microphone samples [start, end) (end: all received so far)."""
        with self._lock:
            stop = self._mic_count if end is None else min(end, self._mic_count)
            return self._mic[start:stop].copy()

    # -- speaker ------------------------------------------------------------------
    def start_line(self, samples: np.ndarray) -> None:
        self._pos = 0
        self._line = samples.astype(np.float32, copy=False)
        self._line_done.clear()

    def stop_line(self) -> None:
        self._line = np.zeros(0, np.float32)
        self._pos = 0
        self._line_done.set()


    def line_finished(self) -> bool:
        return self._line_done.is_set()
