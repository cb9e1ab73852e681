"""Plays raw 16 kHz s16le audio from stdin on the default PortAudio output, as soon as it arrives.

The simulated candidate's mouth. (pacat held 2 s of audio in its buffer on a null
sink whatever latency it was asked for; a PortAudio stream through PulseAudio
plays within about 35 ms.) Run with PULSE_SINK set to the sink to speak into.
"""

from __future__ import annotations

import collections
import sys
import threading

import numpy as np
import sounddevice as sd

BLOCK = 320


def main() -> None:
    blocks: collections.deque[np.ndarray] = collections.deque()
    done = threading.Event()

    def read() -> None:
        while True:
            raw = sys.stdin.buffer.read(BLOCK * 2)
            if not raw:
                done.set()
                return
            blocks.append(np.frombuffer(raw, "<i2").astype(np.float32) / 32768)

    def play(outdata, frames, time_info, status) -> None:
        out = outdata[:, 0]
        filled = 0
        while filled < frames and blocks:
            b = blocks[0]
            take = min(frames - filled, b.size)
            out[filled:filled + take] = b[:take]
            filled += take
            if take == b.size:
                blocks.popleft()
            else:
                blocks[0] = b[take:]
        out[filled:] = 0

    threading.Thread(target=read, daemon=True).start()
    with sd.OutputStream(samplerate=16000, channels=1, dtype="float32", latency="high", callback=play):
        done.wait()


if __name__ == "__main__":
    main()
