"""Transcribe an answer piece by piece while it is being spoken.

Each stretch of speech (cut at a pause) is transcribed in the background as soon as
the speaker pauses: the plain pass and the filler-primed pass run side by side (the
model is loaded with two workers), so when the turn ends only the last stretch can
still be in progress. The pieces join into one Transcript with answer-relative times.
A third worker then looks in each finished piece for a loop both passes fell into, the
speech and the filled pauses both passes missed (analyze.hear_loops_again,
analyze.hear_unheard_speech, analyze.recover_filled_pauses); sessions
wait for that only while the reply is prepared, so the turn ends no later for it.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import numpy as np

from voice_interviewer.analysis.passes import combine_passes, doubtful_filled_pauses, sayable_in
from voice_interviewer.analyze import (
    ends_on_filled_pause,
    hear_loops_again,
    hear_unheard_speech,
    recover_filled_pauses,
    unprimed_filled_pauses,
)
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig
from voice_interviewer.interview.commands import COMMAND_PROMPT, command_heard_primed, may_be_command
from voice_interviewer.speech.asr import Segment, Transcriber, Transcript, Word
from voice_interviewer.speech.turns import sounds_finished
from voice_interviewer.speech.vad import speech_regions


@dataclass
class Piece:
    """One stretch of an answer's audio, [start, end) in microphone samples."""

    start: int
    end: int
    audio: np.ndarray
    done: threading.Event = field(default_factory=threading.Event)  # both passes done
    refined: threading.Event = field(default_factory=threading.Event)  # missed speech and filled pauses looked for
    cancelled: bool = False
    plain: Transcript | None = None
    primed: Transcript | None = None
    heard: Transcript | None = None  # the two passes combined (analysis/passes.py)
    # filled pauses one pass wrote where the other heard a word: not counted, but they keep a turn open
    doubtful: list[Word] = field(default_factory=list)
    refined_heard: Transcript | None = None  # `heard` with the speech and filled pauses both passes missed
    regions: list[tuple[float, float]] = field(default_factory=list)  # where the speech is, piece-relative
    # its speech ends on a filled pause glued to the last word, which the passes left out
    # (analyze.ends_on_filled_pause): the speaker is still thinking
    ends_on_filler_sound: bool = False
    room_rt60_s: float = 0.0  # the session's room (analysis/silence.py rt60_of_falls): 0.0 dry or not yet known
    hear_command: bool = False  # the first stretch of a turn: may be a voice command misheard
    command: str | None = None  # the command heard primed with the commands, where the plain words gave none
    failure: BaseException | None = None

    @property
    def words(self) -> list[Word]:
        """The words both passes heard, filled pauses included (none until both are done)."""
        return self.heard.words if self.heard is not None else []

    @property
    def text(self) -> str:
        """The words heard, filled pauses included once both passes are done (a trailing "um" matters:
        a doubtful one too, as waiting is the safe side of a turn)."""
        if self.done.is_set() and self.words:
            last = self.words[-1].start  # one written over the last word, or after it, ends the text
            words = sorted([*self.words, *(w for w in self.doubtful if w.start < last)], key=lambda w: (w.start, w.end))
            return " ".join(w.text for w in words + [w for w in self.doubtful if w.start >= last])
        return self.plain.text if self.plain else ""

    def _finish(self, config: AnalysisConfig) -> bool:
        """Combine the passes once both are in (or the plain one heard nothing); True the first time."""
        if self.done.is_set() or self.plain is None or (
                self.primed is None and config.filler_pass_prompt and self.plain.words):
            return False
        self.heard = combine_passes(self.plain, self.primed, config.filler_merge_s, config.loop_min_words)
        self.doubtful = doubtful_filled_pauses(self.plain, self.primed, config.loop_min_words)
        self.done.set()
        return True


class PieceTranscriber:
    """Background workers: one for the plain pass, one for the filler-primed pass."""

    def __init__(self, transcriber: Transcriber, config: AnalysisConfig) -> None:
        self.transcriber, self.config = transcriber, config
        self._lock = threading.Lock()
        self._plain: queue.Queue[Piece | None] = queue.Queue()  # None: stop
        self._primed: queue.Queue[Piece | None] = queue.Queue()
        self._refine: queue.Queue[Piece | None] = queue.Queue()
        self._idle = threading.Condition()  # the refine worker decodes only while no live pass waits or runs
        self._live_jobs = 0
        self._closed = False
        self._threads = [threading.Thread(target=self._work, args=(q, primed), daemon=True)
                         for q, primed in ((self._plain, False), (self._primed, True))]
        self._threads.append(threading.Thread(target=self._work_refine, daemon=True))
        for thread in self._threads:
            thread.start()

    def close(self, timeout_s: float = 30.0) -> None:
        """Stop the workers once the decode each is in is done; the pieces still queued are dropped.

        (A worker left inside the model when the process exits can crash it on the way out.)
        """
        with self._idle:
            self._closed = True
            self._idle.notify_all()
        for q in (self._plain, self._primed, self._refine):
            q.put(None)
        for thread in self._threads:
            thread.join(timeout_s)

    def submit(self, start: int, end: int, audio: np.ndarray, room_rt60_s: float = 0.0,
               hear_command: bool = False) -> Piece:
        piece = Piece(start, end, audio, room_rt60_s=room_rt60_s, hear_command=hear_command)
        with self._idle:
            self._live_jobs += 2 if self.config.filler_pass_prompt else 1
        self._plain.put(piece)
        if self.config.filler_pass_prompt:
            self._primed.put(piece)
        return piece

    def _live_job_done(self) -> None:
        with self._idle:
            self._live_jobs -= 1
            self._idle.notify_all()

    def _when_idle(self, samples: np.ndarray, **options) -> Transcript:
        """A refine decode, started only when no live pass is queued or running: it must never
        delay the passes that decide when the turn ends."""
        with self._idle:
            self._idle.wait_for(lambda: self._live_jobs == 0 or self._closed)
            if self._closed:
                raise RuntimeError("the piece transcriber is closed")
        return self.transcriber.transcribe(samples, **options)

    def _work(self, jobs: queue.Queue[Piece | None], primed: bool) -> None:
        while (piece := jobs.get()) is not None:
            try:
                self._work_on(piece, primed)
            finally:
                self._live_job_done()

    def _work_on(self, piece: Piece, primed: bool) -> None:
        if piece.cancelled or self._closed:
            return
        try:
            # pieces are cut around speech the live VAD found, so Whisper's own VAD is not needed
            # (over a phone line it cut "What" off "What do you mean?")
            result = self.transcriber.transcribe(
                piece.audio, prompt=self.config.filler_pass_prompt if primed else None, vad_filter=False)
            if not primed:  # the speech regions too, so none of it is left for the end of the turn
                piece.regions = speech_regions(piece.audio, self.config)
                result = _unless_made_up(result, piece.regions, self.config)
                if piece.hear_command and may_be_command(result.text):
                    piece.command = self._command_heard(piece)
                # a decode more, beside the primed pass, only where the plain pass ends a sentence
                # and the speech ends on a held sound
                if self.config.filler_pass_prompt and sounds_finished(result.text):
                    piece.ends_on_filler_sound = self._ends_on_filled_pause(piece)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, which raises it
            piece.failure = exc
            piece.done.set()
            piece.refined.set()
            return
        with self._lock:
            if primed:
                piece.primed = result
            else:
                piece.plain = result
            if piece._finish(self.config):
                self._refine.put(piece)

    def _command_heard(self, piece: Piece) -> str | None:
        try:
            heard = self.transcriber.transcribe(piece.audio, prompt=COMMAND_PROMPT, vad_filter=False, word_times=False)
        except Exception:  # noqa: BLE001 - an extra; without it the plain words alone decide
            return None
        return command_heard_primed(heard.text)

    def _ends_on_filled_pause(self, piece: Piece) -> bool:
        try:
            return ends_on_filled_pause(piece.audio, piece.regions, self.transcriber, self.config, piece.room_rt60_s)
        except Exception:  # noqa: BLE001 - an extra; without it the words alone decide the turn
            return False

    def _work_refine(self) -> None:
        polite = SimpleNamespace(transcribe=self._when_idle)  # the transcriber, each decode waiting its turn
        while (piece := self._refine.get()) is not None:
            heard = piece.heard
            try:
                # a piece of speech with no word may be a lone "uh" (Whisper drops one heard alone)
                if not piece.cancelled and piece.failure is None and heard is not None and (heard.words or piece.regions):
                    heard = hear_loops_again(piece.audio, heard, polite, self.config)
                    heard = hear_unheard_speech(piece.audio, heard, piece.regions, polite, self.config)
                    if self.config.filler_pass_prompt:
                        heard = replace(heard, words=recover_filled_pauses(
                            piece.audio, heard.words, piece.regions, polite, self.config,
                            written_unprimed=unprimed_filled_pauses(piece.plain)))
            except Exception:  # noqa: BLE001 - an extra; the piece keeps what both passes heard
                heard = piece.heard
            piece.refined_heard = heard
            piece.refined.set()


def _unless_made_up(heard: Transcript, regions: list[tuple[float, float]], config: AnalysisConfig) -> Transcript:
    """`heard`, or nothing heard when it holds more words than anyone could say in the piece's
    speech (analysis/passes.py `sayable_in`): a lone "So, um," in an echoing room came back as
    "Thank you for joining us for today. Thank you very much.", which reads as a finished
    answer and closed the turn inside the thinking pause. Heard as nothing, the piece keeps the
    turn open and its speech is heard again on its own (`hear_unheard_speech`). Not judged
    where the VAD finds no speech in the piece (it misses some over the phone band)."""
    speech_s = sum(b - a for a, b in regions)
    if not regions or not heard.words or sayable_in([w.text for w in heard.words], speech_s, config.fastest_syllable_s):
        return heard
    return replace(heard, words=[], segments=[], text="")


def join_pieces(pieces: list[Piece], begin: int, total_samples: int, model: str, refined: bool = False,
                wait_s: float = 0.0) -> tuple[Transcript, list[tuple[float, float]]]:
    """One transcript of the answer, and its speech regions, from its pieces; times relative to sample `begin`.

    `refined`: with the speech and filled pauses the refine worker found, waiting up to `wait_s`
    in all; a piece not searched by then keeps both passes' words (and is no longer searched).
    """
    deadline = time.monotonic() + wait_s
    words: list[Word] = []
    segments: list[Segment] = []
    regions: list[tuple[float, float]] = []
    for p in pieces:
        if p.failure is not None:
            raise p.failure
        offset = (p.start - begin) / SAMPLE_RATE
        if refined and not p.refined.wait(max(0.0, deadline - time.monotonic())):
            p.cancelled = True  # too late for this answer: the worker skips it
        heard = p.refined_heard if refined and p.refined.is_set() and p.refined_heard is not None else p.heard
        words += [replace(w, start=w.start + offset, end=w.end + offset) for w in (heard.words if heard else [])]
        said = heard or p.plain  # before both passes are done, the text is the plain pass's
        if said is not None:
            segments += [replace(s, start=s.start + offset, end=s.end + offset) for s in said.segments]
        regions += [(a + offset, b + offset) for a, b in p.regions]
    text = " ".join(s.text for s in segments).strip()
    return Transcript(words, segments, total_samples / SAMPLE_RATE, model, text), regions
