"""When a spoken turn is over: frame-by-frame Silero VAD, plus what the words so far say.

Silence alone cannot tell a thinking pause from a finished answer, so the silence
needed depends on the transcript: Whisper writes "and..." or "I went to the..." for
a phrase cut off mid-sentence, and a trailing "and", "because" or "um" means the
speaker is still going. A finished sentence ends the turn after a short silence,
unless it announces a pause to think ("let me think"), or on a call a silent look-up ("Let
me pull up your account."), or is the hesitant start of an answer ("Uh, let me see").
"""

from __future__ import annotations

import re

import numpy as np

from voice_interviewer.analysis.fillers import FILLED_PAUSES, SOUND_LIKE_A_FILLED_PAUSE, is_filled_pause
from voice_interviewer.config import SAMPLE_RATE, LiveConfig

FRAME = 512  # Silero's window at 16 kHz: 32 ms
FRAME_S = FRAME / SAMPLE_RATE
_CONTEXT = 64  # samples of the previous frame Silero v6 reads with each frame

# words after which nobody stops on purpose
_CONTINUING = frozenset(
    "and but so or because then um uh er erm ah hmm the a an to of with for in on at was were is "
    "i i'm my we our that which who like if when while as about from".split()
) | FILLED_PAUSES
# said just before a pause to think, which is longer than a pause mid-sentence ("let me" is
# heard as "left me" or "last me" over a phone line)
_THINKING_ALOUD = re.compile(
    r"\b((lemme|(let|left|last|lit|led) me) (think|see|remember|recall)|let's see"
    r"|(good|great|interesting|tough|hard) question"
    r"|give me an? (second|sec|moment|minute)|(one|just a) (second|sec|moment|minute)|hold on"
    r"|how (do|should|can) i (put|say|explain) (this|it|that)|where (do|should|can) i (start|begin))\W*$",
    re.IGNORECASE,
)
# on a call, what an agent says before looking something up in silence ("Let me pull up your
# account.", "One moment, please.", "Bear with me while I check that."): the last clause is a
# short look-up said so, or a request to hold. "I'll look into it and call you back" is a next
# step, not a hold: no "I'll" alone, and nothing said to happen later ("back", "tomorrow").
_LOOK_UP = (r"(check|double[- ]check|look|pull|bring|find|see|take a look|have a look|search|open|review|access"
            r"|go through|go into|get into|log into|dig into)\b")
_NOT_LATER = r"(?![^.!?,;]*\b(back|tomorrow|later|next week|tonight)\b)"
_PUTS_ON_HOLD = re.compile(
    r"(^|[.!?,;]\s+)((ok(ay)?|so|right|alright|sure|great),?\s+)?"
    r"(let me|let's|i'll just|i will just|i'm just going to|i'm going to|i am going to)\s+(just\s+|quickly\s+)?"
    + _LOOK_UP + _NOT_LATER + r"[^.!?,;]{0,40}[.!?]?\s*$"
    r"|\b(while|as) i\s+(just\s+|quickly\s+)?" + _LOOK_UP + _NOT_LATER + r"[^.!?,;]{0,40}[.!?]?\s*$"
    r"|\b(one moment|bear with me|hold on|please hold|just a (second|sec|moment|minute)"
    r"|give me (a|one) (second|sec|moment|minute))\b\W*(please\W*)?$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9']+")
_CUT_OFF = re.compile(r"(\.\.\.|…|[-–—,;:])\s*$")


def sounds_finished(text: str) -> bool:
    """True unless the transcript so far ends cut off ("...", a dash, a comma) or on a word nobody ends on.

    A missing full stop alone means little: Whisper often leaves it off a short last phrase.
    A "that" it ends a sentence with is an ending ("She was happy with that."): it was most of
    the finished answers bench/trailing_filler.py kept waiting; one cut off is "that..." or "that".
    """
    stripped = text.strip()
    if not stripped or _CUT_OFF.search(stripped):
        return False
    words = re.findall(r"[a-z']+", stripped.lower())
    if words and words[-1] == "that" and stripped[-1] in ".!?":
        return True
    return not (words and words[-1] in _CONTINUING)


def thinks_aloud(text: str) -> bool:
    """True when the words so far end on a phrase people say before they stop to think. Filled
    pauses are left out: the primed pass writes one inside it ("Let Uh, me think.")."""
    kept = [t for t in text.split() if not is_filled_pause(t)]
    return bool(_THINKING_ALOUD.search(" ".join(kept)))


def puts_on_hold(text: str) -> bool:
    """True when the words so far end as an agent's do before a silent look-up on a call
    ("Let me pull up your account.", "I understand, let me check that for you.", "One moment.")."""
    return bool(_PUTS_ON_HOLD.search(text.strip()))


def announced_pause_s(text: str, cfg: LiveConfig, on_call: bool = False) -> float | None:
    """The silence the words so far say is coming, when they announce one: a look-up on a call
    (`on_hold_silence_s`), a pause to think (`thinking_aloud_silence_s`); else None."""
    if on_call and puts_on_hold(text):
        return cfg.on_hold_silence_s
    if thinks_aloud(text):
        return cfg.thinking_aloud_silence_s
    return None


def hesitant_start(text: str, cfg: LiveConfig) -> bool:
    """True for a turn so far that began with a filled pause and has a few words after it
    ("Uh, let me dig."): the start of an answer being thought out, whatever the words after
    the filler were heard as."""
    words = [w.lower() for w in _WORD.findall(text)]
    return bool(words) and (words[0] in FILLED_PAUSES or words[0] in SOUND_LIKE_A_FILLED_PAUSE) and (
        sum(w not in FILLED_PAUSES for w in words[1:]) <= cfg.hesitant_start_words)


def silence_to_end_turn(text: str, is_command: bool, cfg: LiveConfig, last_stretch_heard: bool = True,
                        ends_on_filler_sound: bool = False, on_call: bool = False) -> float:
    """Seconds of silence after the last word that close the turn, given the words so far.

    `last_stretch_heard`: whether Whisper wrote any word for the last stretch of speech. A
    lone "uh" said after a pause comes back as nothing (heard alone, it is no word to
    Whisper), and the words before it may end a sentence: the speaker is still thinking.
    `ends_on_filler_sound`: the speech ends on a filled pause glued to the last word, which
    the text leaves out ("the same day-uhh" written "the same day."): thinking too.
    `on_call`: the speaker is an agent on a role-play call, who may put the customer on hold.
    """
    if not last_stretch_heard:
        return cfg.unfinished_silence_s
    if is_command:
        return cfg.finished_silence_s
    announced = announced_pause_s(text, cfg, on_call)
    if announced is not None:
        return announced
    if ends_on_filler_sound or not sounds_finished(text) or hesitant_start(text, cfg):
        return cfg.unfinished_silence_s
    if len(_WORD.findall(text)) < cfg.short_answer_words:
        return cfg.short_answer_silence_s
    return cfg.finished_silence_s


class StreamingVad:
    """Silero VAD (the ONNX model faster-whisper ships) fed 32 ms frames as they arrive.

    Keeps the model's recurrent state between frames, so probabilities are the same
    as faster-whisper's whole-file pass (checked in the tests).
    """

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros((1, _CONTEXT), np.float32)
        self._pending = np.zeros(0, np.float32)

    def feed(self, samples: np.ndarray) -> list[float]:
        """Speech probabilities of every whole frame now available."""
        audio = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        whole = audio.size // FRAME * FRAME
        self._pending = audio[whole:]
        probs: list[float] = []
        for start in range(0, whole, FRAME):
            frame = audio[start:start + FRAME][None, :]
            out, self._h, self._c = self._session.run(
                None, {"input": np.concatenate([self._context, frame], axis=1), "h": self._h, "c": self._c}
            )
            self._context = frame[:, -_CONTEXT:]
            probs.append(float(np.ravel(out)[0]))
        return probs
