"""A simulated candidate on the PulseAudio null sinks: it hears the interviewer and answers by voice.

It listens to the interviewer's sink monitor (`parec`), waits until the interviewer
has stopped talking, thinks, and speaks its answer into the microphone sink
(`pacat`), pieces separated by thinking pauses. Everything it writes is paced in
real time, so it knows when each of its words reached the microphone, and it logs
when the interviewer's voice starts and stops. From those logs come the reply gap
(the candidate's last word to the interviewer's next word) and any talking over.
Used by the end-to-end tests and by bench/latency.py.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SR = 16_000
BLOCK = 320  # 20 ms
VOICE_DB = -45.0  # the interviewer's voice on the monitor is louder than this
QUIET_S = 1.0  # the interviewer has finished after this much quiet (it leaves ~0.75 s between two lines)


@dataclass
class Turn:
    """One reply of the candidate: when its speech started and ended (monotonic seconds)."""

    text: str
    speech_start: float
    speech_end: float
    pauses: list[tuple[float, float]] = field(default_factory=list)  # thinking pauses inside the answer


def _db(block: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(block.astype(np.float64) ** 2))) if block.size else 0.0
    return 20 * np.log10(rms) if rms > 1e-7 else -140.0


class SimulatedCandidate:
    def __init__(self, env: dict) -> None:
        self.env = env
        self.turns: list[Turn] = []
        self.voice_spans: list[list[float]] = []  # [start, end] of each stretch of the interviewer's voice
        self._heard: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._speaking_until = 0.0
        self._rec = subprocess.Popen(
            ["parec", "--device=vi_speaker.monitor", "--format=s16le", f"--rate={SR}", "--channels=1", "--latency=640"],
            env=env, stdout=subprocess.PIPE)
        # the microphone sink is written through PortAudio (bench/mic_writer.py): pacat buffered 2 s
        self._play = subprocess.Popen(
            [sys.executable, "-m", "bench.mic_writer"], cwd=str(ROOT),
            env={**env, "PULSE_SINK": "vi_mic"}, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
        threading.Thread(target=self._listen, daemon=True).start()
        time.sleep(1.0)  # both streams up before the first word

    # -- the two real-time loops ------------------------------------------------------
    def _listen(self) -> None:
        while not self._stop.is_set():
            raw = self._rec.stdout.read(BLOCK * 2)
            if not raw:
                return
            now = time.monotonic() - 0.02  # parec's buffer: the block was played a little earlier
            block = np.frombuffer(raw, "<i2").astype(np.float32) / 32768
            with self._lock:
                self._heard.append(block)
                if _db(block) > VOICE_DB:
                    if self.voice_spans and now - self.voice_spans[-1][1] < 0.3:
                        self.voice_spans[-1][1] = now
                    else:
                        self.voice_spans.append([now, now])

    # -- what a test or the bench calls -----------------------------------------------
    def interviewer_voice(self) -> np.ndarray:
        with self._lock:
            return np.concatenate(self._heard) if self._heard else np.zeros(0, np.float32)

    def interviewer_is_talking(self) -> bool:
        with self._lock:
            return bool(self.voice_spans) and time.monotonic() - self.voice_spans[-1][1] < QUIET_S

    def wait_for_interviewer(self, timeout: float = 120.0, after: float = 0.0) -> bool:
        """Wait until the interviewer has spoken (after `after`) and gone quiet; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                spoke = bool(self.voice_spans) and self.voice_spans[-1][1] > after
                quiet = spoke and time.monotonic() - self.voice_spans[-1][1] >= QUIET_S
            if quiet:
                return True
            time.sleep(0.02)
        return False

    def wait_for_interviewer_to_start(self, timeout: float = 120.0, after: float = 0.0) -> float | None:
        """Wait until the interviewer starts a line after `after`; when it started (None on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                started = [s for s, _ in self.voice_spans if s > after]
            if started:
                return started[0]
            time.sleep(0.01)
        return None

    def say(self, pieces: list, text: str = "", yield_to_interviewer: bool = False) -> Turn:
        """Speak `pieces` (arrays of speech, or floats: seconds of thinking) and return when done.

        `yield_to_interviewer`: stop talking, as a person would, when the interviewer cuts in.
        """
        audio = []
        marks: list[tuple[int, int]] = []
        pos = 0
        for p in pieces:
            a = np.zeros(int(p * SR), np.float32) if isinstance(p, (int, float)) else p.astype(np.float32)
            if isinstance(p, (int, float)):
                marks.append((pos, pos + a.size))
            audio.append(a)
            pos += a.size
        samples = np.concatenate(audio)
        data = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        # nothing is queued between answers (the writer plays silence then), so the first
        # sample plays one output buffer from now
        begin = time.monotonic() + 0.035
        loud = np.flatnonzero(np.abs(samples) > 0.01)
        first = loud[0] / SR if loud.size else 0.0
        last = loud[-1] / SR if loud.size else 0.0
        turn = Turn(text, begin + first, begin + last, [(begin + a / SR, begin + b / SR) for a, b in marks])
        self.turns.append(turn)
        if not yield_to_interviewer:
            threading.Thread(target=self._write, args=(data,), daemon=True).start()
            time.sleep(max(0.0, begin + samples.size / SR - time.monotonic()))
            return turn
        step = int(0.1 * SR) * 2  # bytes of 100 ms, written in real time so it can stop
        for k in range(0, len(data), step):
            self._write(data[k:k + step])
            time.sleep(max(0.0, begin + (k + step) / 2 / SR - time.monotonic()))
            with self._lock:
                cut_in = [a for a, _ in self.voice_spans if a > turn.speech_start + 0.3]
            if cut_in:
                turn.speech_end = min(turn.speech_end, time.monotonic())
                time.sleep(0.1)
                break
        return turn

    def _write(self, data: bytes) -> None:
        try:
            self._play.stdin.write(data)
            self._play.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def close(self) -> None:
        self._stop.set()
        for proc in (self._play, self._rec):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()


def reply_gaps(candidate: SimulatedCandidate) -> list[float]:
    """Seconds from the end of each answer to the interviewer's next words."""
    gaps = []
    for turn in candidate.turns:
        nxt = [s for s, _ in candidate.voice_spans if s > turn.speech_end]
        if nxt:
            gaps.append(nxt[0] - turn.speech_end)
    return gaps


def barge_in_stops(candidate: SimulatedCandidate) -> list[float]:
    """For each answer begun while the interviewer was talking: seconds until the interviewer fell silent."""
    out = []
    for turn in candidate.turns:
        for start, end in candidate.voice_spans:
            if start < turn.speech_start < end:
                out.append(end - turn.speech_start)
    return out


def talked_over(candidate: SimulatedCandidate, allowance_s: float = 0.3) -> list[tuple[float, float]]:
    """Stretches where the interviewer's voice ran over the candidate's speech for longer than `allowance_s`.

    A thinking pause inside an answer counts: the interviewer must not start there.
    Voice that stops within the allowance (it noticed and fell silent) is not counted, nor
    a line the candidate chose to talk over (barge_in_stops measures how fast that stops).
    """
    out = []
    for turn in candidate.turns:
        for start, end in candidate.voice_spans:
            if start < turn.speech_start:
                continue
            overlap = min(end, turn.speech_end) - max(start, turn.speech_start)
            if overlap > allowance_s:
                out.append((max(start, turn.speech_start), min(end, turn.speech_end)))
    return out


def spoken_over(candidate: SimulatedCandidate, allowance_s: float = 0.3) -> list[tuple[float, float]]:
    """Stretches where the interviewer's voice ran over the candidate's words for longer than
    `allowance_s`; unlike talked_over, its thinking pauses are left out ("Take your time." may
    be said into one)."""
    out = []
    for turn in candidate.turns:
        edges = [turn.speech_start, *[t for pause in turn.pauses for t in pause if t > turn.speech_start],
                 turn.speech_end]
        spoken = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b > a]
        for start, end in candidate.voice_spans:
            for a, b in spoken:
                if min(end, b) - max(start, a) > allowance_s:
                    out.append((max(start, a), min(end, b)))
    return out
