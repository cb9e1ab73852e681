"""The room a live session is heard in, measured as the session goes on.

An echoing room changes how the end of a turn must be listened for (analyze.py
`ends_on_filled_pause`). One answer may hold too few pauses to tell a room's echo
from a voice's slow fade, but the room is the same all session: how fast the sound
died away at the speech ends of every turn so far is pooled.
"""

from __future__ import annotations

import numpy as np

from voice_interviewer.analysis.silence import frame_runs, rt60_of_falls, speech_end_falls
from voice_interviewer.config import AnalysisConfig


class SessionRoom:
    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config
        self._falls: dict[int, list[float]] = {}  # the rates of fall (dB/s) of each turn, by its key

    def hear(self, turn: int, samples: np.ndarray, speech: np.ndarray, frame_s: float, offset_s: float = 0.0) -> float:
        """Measure turn `turn` as heard so far (its audio `samples`, and whether the live VAD heard
        speech in each of its frames of `frame_s`, the first starting `offset_s` into `samples`);
        the session's RT60 in seconds, 0.0 while dry or not yet known. A turn heard again (it went
        on) replaces what it gave before."""
        speech = np.asarray(speech, dtype=bool)
        regions = [(a + offset_s, b + offset_s) for a, b in frame_runs(speech, frame_s, 0.0, speech.size * frame_s, 0.0)]
        self._falls[turn] = speech_end_falls(samples, regions, self.config)
        return self.rt60_s()

    def rt60_s(self) -> float:
        return rt60_of_falls([r for falls in self._falls.values() for r in falls], self.config)
