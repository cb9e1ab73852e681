"""The live side of a hands-free session: the interviewer's lines on the speaker, and the candidate's turns.

`HandsFree` is both the session's sink (it plays a line and stops it when the
candidate talks over it) and its candidate (it listens until the turn is over). One
microphone stream runs all session and one Silero VAD reads it frame by frame, so a
word said while the interviewer is talking is never lost: it starts the next answer,
or, right after an answer was closed, continues it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from voice_interviewer.analysis.volume import level_dbfs
from voice_interviewer.audio.live import LiveAudio
from voice_interviewer.audio.phone import phone_line
from voice_interviewer.config import SAMPLE_RATE, Config, LiveConfig
from voice_interviewer.interview.bank import Question
from voice_interviewer.interview.commands import detect_command
from voice_interviewer.interview.session import CandidateTurn
from voice_interviewer.speech.asr import Transcriber, Transcript
from voice_interviewer.speech.incremental import Piece, PieceTranscriber, join_pieces
from voice_interviewer.speech.room import SessionRoom
from voice_interviewer.speech.turns import FRAME, FRAME_S, StreamingVad, announced_pause_s, silence_to_end_turn
from voice_interviewer.audio.echo import sounds_like_playback

POLL_S = 0.01
SPEECH_PAD = int(0.1 * SAMPLE_RATE)  # audio kept after the last speech frame of a piece
LEAD_IN = int(0.3 * SAMPLE_RATE)  # and before the first speech of an answer
BURST_GAP = 10  # frames (0.32 s): a shorter break between two speech runs is inside one utterance


class View:
    """What the terminal shows; the plain version prints state changes and transcripts."""

    def state(self, text: str) -> None:
        print(f"  ({text})", flush=True)

    def heard(self, text: str) -> None:
        if text:
            print(f"  you: {text}", flush=True)

    def level(self, dbfs_value: float) -> None:
        pass

    def question(self, text: str) -> None:
        pass


@dataclass
class _Turn:
    """A turn being listened to: where it began, its pieces, and what is not yet transcribed."""

    begin: int
    committed: int
    pieces: list[Piece] = field(default_factory=list)
    tentative: Piece | None = None  # the stretch since the last piece, submitted at a pause
    tentative_speech_end: int = 0  # where the speech before that pause ended
    first_speech: int | None = None
    overflows_at_start: int = 0
    on_call: bool = False  # an agent on a role-play call, who may put the customer on hold

    def text(self) -> str:
        parts = [p.text for p in self.pieces] + ([self.tentative.text] if self.tentative else [])
        return " ".join(t for t in parts if t).strip()

    def command(self, text: str | None = None) -> str | None:
        """The voice command the turn so far gives: in its words (`text`, else what the pieces
        heard), or heard again in its one stretch primed with the commands (speech/incremental.py)."""
        pieces = self.pieces + ([self.tentative] if self.tentative else [])
        return detect_command(self.text() if text is None else text) or (pieces[0].command if len(pieces) == 1 else None)

    def announced_pause_s(self, live: LiveConfig) -> float | None:
        """The silence the words so far say is coming ("let me think", on a call "let me check"), or None."""
        return announced_pause_s(self.text(), live, self.on_call)

    def silence_to_end(self, live: LiveConfig) -> float:
        """The silence that closes this turn now, given what both passes heard so far."""
        text = self.text()
        last = self.tentative or (self.pieces[-1] if self.pieces else None)
        return silence_to_end_turn(text, self.command() is not None, live,
                                   last_stretch_heard=last is None or bool(last.words),
                                   ends_on_filler_sound=last is not None and last.ends_on_filler_sound,
                                   on_call=self.on_call)


class HandsFree:
    def __init__(self, audio: LiveAudio, transcriber: Transcriber, config: Config, view: View | None = None,
                 phone: bool = False) -> None:
        self.audio, self.transcriber, self.config = audio, transcriber, config
        self.live, self.view, self.phone = config.live, view or View(), phone
        self.clock = audio.clock
        self.pieces = PieceTranscriber(transcriber, config.analysis)
        self.vad = StreamingVad()
        self._probs: list[float] = []
        self._run_start: int | None = None  # first frame of the speech run in progress
        self._last_speech: int = -1  # last frame that was speech
        # first frame of the burst the run belongs to: runs apart by less than BURST_GAP are one
        # (the closure of "stop" in "Let's stop here" ends a run; the answer must start at "Let's")
        self._burst_start: int = 0
        self._onset: int | None = None  # sample where the candidate started talking over the last line
        self._last_turn: _Turn | None = None
        self._line: np.ndarray = np.zeros(0, np.float32)
        self._line_start_index = 0
        self._warmed_up = False
        self._line_start_frame = 0
        self._turn_end_frame = 0  # the frame where the candidate's last turn was closed
        self.room = SessionRoom(config.analysis)  # a glued "um" is listened for differently in an echoing room
        self.on_call = False  # the role-play call has begun: the speaker is an agent (call/session.py)

    def close(self) -> None:
        """Let the transcription workers finish the decode they are in (see PieceTranscriber.close)."""
        self.pieces.close()

    # -- the microphone, frame by frame ---------------------------------------------
    def _pump(self) -> None:
        self.audio.check()
        done = len(self._probs) * FRAME
        whole = (self.audio.mic_count - done) // FRAME * FRAME
        if whole <= 0:
            return
        block = self.audio.mic_audio(done, done + whole)
        thr = self.live.vad_threshold
        for p in self.vad.feed(block):
            f = len(self._probs)
            self._probs.append(p)
            if p >= thr:
                if self._run_start is None:
                    self._run_start = f
                    if f - self._last_speech > BURST_GAP:
                        self._burst_start = f
                self._last_speech = f
            elif p < thr - 0.15:  # Silero's own hysteresis: a dip inside a word is not a pause
                self._run_start = None
        self.view.level(level_dbfs(block[-FRAME:]))

    def _speaking_for(self) -> float:
        """Seconds of the speech run in progress (0 when silent)."""
        return 0.0 if self._run_start is None else (len(self._probs) - self._run_start) * FRAME_S

    # -- the sink: the interviewer's lines --------------------------------------------
    def play(self, samples: np.ndarray) -> float | None:
        """Play a line; stop it if the candidate talks over it. Returns when that speech began (session clock)."""
        if samples.size == 0:
            return None
        if self.phone:
            samples = phone_line(samples)
        if not self._warmed_up:
            # the model's first transcription is slow (2 s here): have it while the opening plays
            self._warmed_up = True
            self.pieces.submit(0, 0, samples[: 10 * SAMPLE_RATE])
        self._pump()
        start_frame = self._line_start_frame = len(self._probs)
        self._line, self._line_start_index = samples, self.audio.mic_count
        self.audio.start_line(samples)
        self.view.state("speaking")
        while not self.audio.line_finished():
            time.sleep(POLL_S)
            self._pump()
            # speech that began after the candidate's last turn closed counts, even if it began
            # while the reply was being prepared (a continuation must not be talked over)
            if self._run_start is not None and self._run_start >= min(start_frame, self._turn_end_frame) \
                    and self._speaking_for() >= self.live.barge_in_s:
                onset = self._run_start * FRAME
                if not self._is_own_voice(onset):
                    self.audio.stop_line()
                    self._onset = onset
                    self.view.state("you started talking: listening")
                    return self.audio.mic_time(onset)
        time.sleep(self.audio.output_latency_s)  # the last buffer is still in the speaker
        return None

    def _is_own_voice(self, onset: int) -> bool:
        """Does the microphone hear the interviewer's own line (speakers, no headphones)?"""
        heard = self.audio.mic_audio(onset)
        played_upto = onset - self._line_start_index + heard.size
        played = self._line[max(0, played_upto - heard.size - int(0.5 * SAMPLE_RATE)):max(0, played_upto)]
        return sounds_like_playback(heard, played, self.live.echo_correlation)

    # -- the candidate: one turn -----------------------------------------------------
    def answer(self, question: Question, prompt: str, turn: int) -> CandidateTurn:
        self.view.question(prompt)
        self._pump()
        begin = self._onset if self._onset is not None else self.audio.mic_count
        self._onset = None
        state = _Turn(begin=begin, committed=begin, overflows_at_start=self.audio.overflows, on_call=self.on_call)
        return self._listen(state, allow_silence=True)

    def continue_answer(self) -> CandidateTurn:
        """The candidate kept talking right after the turn was closed: the same answer goes on."""
        state = self._last_turn
        assert state is not None
        self._onset = None
        return self._listen(state, allow_silence=False)

    def keep_listening(self, wait_s: float) -> CandidateTurn | None:
        """After "Take your time." (on a call, "Hello? Are you still there?"): the turn just
        closed goes on if the speaker talks within `wait_s` (or already did, over the line or as
        it ended); None if they stay silent."""
        state = self._last_turn
        assert state is not None
        deadline = self.clock.now() + wait_s
        since = self._line_start_frame
        while self._onset is None:
            if self.clock.now() >= deadline:
                return None
            time.sleep(POLL_S)
            self._pump()
            if self._run_start is not None and self._run_start >= since \
                    and self._speaking_for() >= self.live.speech_start_s:
                onset = (self._burst_start if self._burst_start >= since else self._run_start) * FRAME
                if self._is_own_voice(onset):  # the line itself, heard through speakers
                    since = self._run_start + 1
                else:
                    self._onset = onset
        # the silence before is no piece's business (Whisper invents words in it)
        state.committed = max(state.committed, self._onset - LEAD_IN)
        self._onset = None
        return self._listen(state, allow_silence=False)

    def speech_before(self, deadline: float) -> float | None:
        """After a closing line: did the candidate start talking again (since the line began) before `deadline`?"""
        start_frame = self._line_start_frame
        while self.clock.now() < deadline:
            time.sleep(POLL_S)
            self._pump()
            # speech that began after the candidate's last turn closed counts, even if it began
            # while the reply was being prepared (a continuation must not be talked over)
            if self._run_start is not None and self._run_start >= min(start_frame, self._turn_end_frame) \
                    and self._speaking_for() >= self.live.barge_in_s:
                self._onset = self._run_start * FRAME
                return self.audio.mic_time(self._onset)
        return None

    def wait_for_command(self, wanted: tuple[str, ...]) -> tuple[str, str]:
        """Listen (no time limit) until one of `wanted` commands is said; the command and what was heard."""
        while True:
            self._pump()
            state = _Turn(begin=self.audio.mic_count, committed=self.audio.mic_count,
                          overflows_at_start=self.audio.overflows)
            reply = self._listen(state, allow_silence=False, patient=True)
            heard = reply.transcript.text if reply.transcript else ""
            if reply.command in wanted:
                return reply.command, heard

    def _submit(self, state: _Turn, end: int) -> Piece:
        audio = self.audio.mic_audio(state.committed, end)
        if self.phone:
            audio = phone_line(audio)
        return self.pieces.submit(state.committed, end, audio, room_rt60_s=self._room_rt60_s(state.begin, end),
                                  hear_command=not state.pieces)

    def _room_rt60_s(self, begin: int, end: int) -> float:
        """The session's room (0.0 dry or not yet known), with the turn begun at microphone sample
        `begin` heard up to sample `end`, its speech where the live VAD heard it."""
        speech = np.asarray(self._probs[begin // FRAME: end // FRAME]) >= self.live.vad_threshold
        return self.room.hear(begin, self.audio.mic_audio(begin, end), speech, FRAME_S,
                              offset_s=begin // FRAME * FRAME_S - begin / SAMPLE_RATE)

    def _commit(self, state: _Turn, piece: Piece) -> None:
        state.pieces.append(piece)
        state.committed = piece.end
        state.tentative = None

    def _show_heard(self, text: str, shown: str) -> str:
        """Show what is new in the transcript so far (all of it when a piece was re-heard); returns it."""
        if text != shown:
            self.view.heard(text[len(shown):].strip() if text.startswith(shown) else text)
        return text

    def _listen(self, state: _Turn, allow_silence: bool, patient: bool = False) -> CandidateTurn:
        live = self.live
        self.view.state("listening")
        min_chunk, max_chunk = int(live.min_chunk_s * SAMPLE_RATE), int(live.max_chunk_s * SAMPLE_RATE)
        silent, runaway, waited_out = False, False, False  # waited_out: the pause the words announced
        shown = ""
        while True:
            time.sleep(POLL_S)
            self._pump()
            now_index = len(self._probs) * FRAME
            if state.first_speech is None:
                if self._run_start is not None and self._run_start * FRAME >= state.begin - FRAME \
                        and self._speaking_for() >= live.speech_start_s:
                    burst = self._burst_start * FRAME
                    state.first_speech = burst if burst >= state.begin - FRAME else self._run_start * FRAME
                    # the silence before the answer is no piece's business (Whisper invents words in it)
                    state.committed = max(state.committed, state.first_speech - LEAD_IN)
                elif allow_silence and (now_index - state.begin) / SAMPLE_RATE >= live.no_speech_s:
                    silent = True
                    break
                continue
            if self._run_start is not None:  # speaking
                if state.tentative is not None:  # went on after a pause
                    pause = (self._run_start * FRAME - state.tentative_speech_end) / SAMPLE_RATE
                    if pause >= live.commit_pause_s and state.tentative.end - state.tentative.start >= min_chunk:
                        self._commit(state, state.tentative)
                    else:
                        state.tentative.cancelled = True
                        state.tentative = None
                if now_index - state.committed >= max_chunk:
                    self._commit(state, self._submit(state, now_index))
                # past the limit, the interviewer cuts in at the next breath, or when none comes
                if not patient and (now_index - state.first_speech) / SAMPLE_RATE >= live.max_answer_s + live.breath_wait_s:
                    runaway = True
                    break
                continue
            silence = (len(self._probs) - 1 - self._last_speech) * FRAME_S
            speech_end = (self._last_speech + 1) * FRAME
            # a word or two alone is transcribed only after a longer pause: Whisper is slow and
            # wrong on half a second of audio ("Sorry," came back as "I'll see you next time.")
            pending_s = (speech_end - max(state.committed, state.first_speech)) / SAMPLE_RATE
            wait_s = live.tentative_pause_s if pending_s >= live.short_piece_s else live.commit_pause_s
            if state.tentative is None and silence >= wait_s and speech_end > state.committed:
                state.tentative = self._submit(state, min(speech_end + SPEECH_PAD, now_index))
                state.tentative_speech_end = speech_end
            # the longest a turn waits, unless the words so far announce a longer pause
            announced = state.announced_pause_s(live)
            if silence >= (announced or live.unfinished_silence_s):
                waited_out = announced is not None
                break
            # both passes: the plain one drops a trailing "um", which means the speaker is thinking
            if state.tentative is not None:
                ready = state.tentative.done.is_set()
            else:  # everything said is in committed pieces (the pause began right at a piece's end)
                ready = speech_end <= state.committed and all(p.done.is_set() for p in state.pieces[-1:])
            # past the limit, at a breath, whether or not the words so far are transcribed yet (on a
            # slow machine they were not before the turn closed, and the interviewer never cut in)
            if not patient and silence >= live.breath_s and (speech_end - state.first_speech) / SAMPLE_RATE >= live.max_answer_s:
                runaway = True
                break
            if ready:
                text = state.text()
                shown = self._show_heard(text, shown)
                if silence >= state.silence_to_end(live):
                    waited_out = announced is not None and silence >= announced
                    break
        endpoint = self.clock.now()
        self._turn_end_frame = len(self._probs)
        self.view.state("thinking")
        end_index = self.audio.mic_count
        if state.tentative is not None:
            self._commit(state, state.tentative)
        elif state.first_speech is not None and state.committed < end_index and not silent:
            tail_end = min((self._last_speech + 1) * FRAME + SPEECH_PAD, end_index)
            if tail_end > state.committed:
                self._commit(state, self._submit(state, tail_end))
        if state.first_speech is not None:  # after the last piece: its speech end too, with the silence that closed the turn
            self._room_rt60_s(state.begin, end_index)
        for piece in state.pieces:
            piece.done.wait()
        samples = self.audio.mic_audio(state.begin, end_index)
        if self.phone:
            samples = phone_line(samples)
        transcript, regions = join_pieces(state.pieces, state.begin, samples.size, self.transcriber.model_name)
        pieces, begin, model = list(state.pieces), state.begin, self.transcriber.model_name

        def complete() -> Transcript:
            return join_pieces(pieces, begin, samples.size, model, refined=True, wait_s=self.config.live.refine_wait_s)[0]

        self._show_heard(transcript.text, shown)
        self._last_turn = state
        lost = self.audio.overflows - state.overflows_at_start
        if lost:
            self.view.state(f"warning: the microphone lost {lost} block(s) of audio; the machine may be busy")
        command = None if runaway else state.command(transcript.text)
        return CandidateTurn(
            samples, self.audio.mic_time(state.begin), endpoint,
            self.audio.overflows - state.overflows_at_start,
            transcript=transcript, regions=regions, command=command, silent=silent, runaway=runaway,
            announced_pause=waited_out and command is None, complete=complete,
        )
