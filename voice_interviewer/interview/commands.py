"""Voice commands: short utterances that steer the session instead of answering.

Only a short utterance is a command, so "I had to stop the service" inside an
answer is not one. Patterns allow for what tiny.en writes ("and the interview"
for "end the interview").
"""

from __future__ import annotations

import re

COMMAND_MAX_WORDS = 8
# a short first stretch of a turn that reads as no command is heard again primed with the
# commands (speech/incremental.py): Whisper then writes a command it had misheard ("Keep it
# wet, clean." over a phone line, "Let's get this one, please." in a room, for "Skip this
# one, please."); bench/commands_heard.py. Each command once, as people say it ("Could you
# say that again?" was heard as "Could you say nap time again?" until it was named here).
COMMAND_PROMPT = ("Repeat the question. Could you say that again? Skip this one. What do you mean? Take a break. "
                  "Let's continue. End the interview.")

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("end", r"\b(end|and|stop|finish|quit) (the |this )?interview\b|^\W*(stop|quit)\W*$|\bthat'?s all for (today|now)\b|\b(let'?s )?stop (here|now|there)\W*$"),
    ("repeat", r"\brepeat (the |that |your )?(question|that|it)\b|\b(say|read|ask) (that|it|the question) again\b"
               r"|^\W*(sorry\W*)?(come again|pardon( me)?)\W*$|^\W*repeat\W*$"),
    ("clarify", r"\bwhat do you mean\b|\b(could|can|would) you (please )?(clarify|explain( that| the question)?|rephrase)\b"
                r"|^\W*clarify\W*$|\bwhat does (that|the question) mean\b"),
    ("skip", r"^\W*(please\W*)?skip\b|\bnext question\b|\b(skip|pass on) (this|that|the) (one|question)\b|^\W*pass\W*$"),
    ("pause", r"^\W*(let'?s )?pause\b|\bpause (the |this )?interview\b|\btake a break\b"),
    ("resume", r"^\W*(resume|unpause)\b|\b(i'?m back|let'?s (continue|go on|carry on)|carry on)\b|^\W*continue\W*$"),
)


# a short turn that sounds like a wish to stop, but is no "end" command: the interviewer asks
# before ending ("I'd like to end in the mute." is how tiny.en heard one espeak voice say "I'd
# like to end the interview."; "Can we stop?"). bench/commands_heard.py. "Stop" with an object
# is an answer ("I need to stop the charges."): only stopping itself counts.
_WANTS_TO = r"\b(i'?d like to|i would like to|i want to|i wanna|can we|could we|i need to|i have to)"
_SOUNDS_LIKE_END = (_WANTS_TO + r" end\b|\bend (the |this )?(mid[- ]?)?inter\w*"
                    r"|" + _WANTS_TO + r" (stop|quit)(\W+(it|this|here|now|there|please|for (now|today)))*\W*$")


def _word_count(lowered: str) -> int:
    return len(re.findall(r"[a-z0-9']+", lowered))


def detect_command(text: str) -> str | None:
    """The command a short utterance gives (end, repeat, clarify, skip, pause, resume), else None."""
    lowered = text.strip().lower()
    if not lowered or _word_count(lowered) > COMMAND_MAX_WORDS:
        return None
    for name, pattern in _PATTERNS:
        if re.search(pattern, lowered):
            return name
    return None


def may_be_command(text: str) -> bool:
    """Whether words heard as no command are short enough to be one misheard."""
    return 0 < _word_count(text.lower()) <= COMMAND_MAX_WORDS and detect_command(text) is None


def command_heard_primed(text: str) -> str | None:
    """The command in what Whisper heard primed with the commands (`COMMAND_PROMPT`). Never
    "end": the prompt can put it into a short answer ("No, never." over a phone line came back
    as "Don't end the interview."), and ending the interview on a mishearing loses the rest.
    An "end" heard so is "confirm_end": the interviewer asks first."""
    command = detect_command(text)
    return "confirm_end" if command == "end" else command


def sounds_like_ending(text: str) -> bool:
    """Whether a short turn that gave no command sounds like the candidate wants to stop: worth
    asking ("Would you like to end the interview?"), not worth ending on."""
    lowered = text.strip().lower()
    return 0 < _word_count(lowered) <= COMMAND_MAX_WORDS and detect_command(text) is None and bool(
        re.search(_SOUNDS_LIKE_END, lowered))
