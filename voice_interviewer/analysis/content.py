"""What an answer contains: explainable rules over the transcript.

STAR structure (situation, task, action, result), specificity, first-person action,
empathy and ownership language, the question's competency keywords, and requests
about the question itself ("could you repeat that?", "what do you mean?"). Every
cue keeps the words that matched, so the interviewer can quote its evidence. A
smarter back-end can replace `content_cues` as long as it returns `ContentCues`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _rx(*alternatives: str) -> re.Pattern[str]:
    # longest first, so "i'll make sure" wins over "i'll"
    return re.compile(r"\b(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")\b", re.IGNORECASE)


_NUMBER_WORDS = r"two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand"
SITUATION = _rx(
    r"once", r"one (?:time|day|morning|evening|afternoon)", r"last (?:week|month|year|winter|summer|spring|fall|autumn|christmas)",
    r"yesterday", r"when i (?:was|worked)", r"at my (?:last|previous|old|first) job", r"there was (?:a|an|this)",
    r"i remember", r"a customer (?:called|came|who|wrote|emailed|rang)", r"a (?:man|woman|lady|gentleman|client|caller) (?:called|came|who|rang)",
)
TASK = _rx(r"i (?:had|needed) to", r"my (?:job|role|task|goal) was", r"i was (?:asked|responsible|supposed) to", r"the (?:goal|problem) was")
ACTION = _rx(
    r"i (?:called|checked|booked|listened|asked|explained|offered|found|fixed|escalated|stayed|followed up|sent|gave|wrote|"
    r"looked|tracked|arranged|apologi[sz]ed|refunded|made sure|spoke|organi[sz]ed|sorted|prioriti[sz]ed|decided|noticed|realised|realized|took)",
)
RESULT = _rx(
    r"in the end", r"ended up", r"as a result", r"result(?:ed)?", r"resolved", r"solved", r"fixed", r"thanked", r"thank me",
    r"happy", r"satisfied", r"calmed down", r"refund(?:ed)?", r"worked out", r"turned out", r"finally", r"which meant",
    r"came back", r"never (?:had|heard)", r"the outcome", r"stayed (?:with us|a customer)",
)
SPECIFIC = re.compile(
    r"\b\d[\d,.:]*\b|\b(?:" + _NUMBER_WORDS + r")\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"morning|afternoon|evening|minutes?|hours?|days?|weeks?|dollars?|pounds?|euros?|percent)\b",
    re.IGNORECASE,
)
FIRST_PERSON = _rx(r"i", r"i'm", r"i've", r"i'd", r"i'll", r"me", r"my", r"myself")
OTHERS = _rx(r"we", r"our", r"us", r"they", r"the company", r"the team", r"management")
EMPATHY = _rx(
    r"i understand", r"i can understand", r"i'm (?:so |very |really )?sorry", r"i am (?:so |very )?sorry", r"i apologi[sz]e",
    r"i apologi[sz]ed", r"apologi[sz]e for", r"that must (?:be|have been)", r"i hear you", r"i know how", r"frustrating",
    r"i'd be (?:upset|frustrated|annoyed) too", r"i see why", r"that's not okay", r"you're right to",
)
OWNERSHIP = _rx(
    r"i'll", r"i will", r"let me", r"i'm going to", r"i am going to", r"i'll make sure", r"i will make sure",
    r"i'll personally", r"i can (?:fix|sort|help|do|check|look)", r"leave it with me", r"i'll take care",
)
REPEAT_REQUEST = _rx(
    r"repeat (?:the|that|your) question", r"(?:can|could|would) you repeat", r"say (?:that|it) again", r"say the question again",
    r"what was the question", r"pardon", r"didn't (?:hear|catch) (?:the|that|you)", r"come again",
)
CLARIFY_REQUEST = _rx(
    r"what do you mean", r"(?:could|can) you clarify", r"clarify (?:the|that|what)", r"what does (?:that|it) mean",
    r"(?:could|can) you (?:rephrase|explain) (?:the|that)", r"i don't (?:understand|get) the question", r"not sure what you mean",
)


@dataclass(frozen=True)
class ContentCues:
    situation: tuple[str, ...]
    task: tuple[str, ...]
    action: tuple[str, ...]
    result: tuple[str, ...]
    specific: tuple[str, ...]
    first_person: tuple[str, ...]
    others: tuple[str, ...]
    empathy: tuple[str, ...]
    ownership: tuple[str, ...]
    keywords: tuple[str, ...]
    repeat_request: tuple[str, ...]
    clarify_request: tuple[str, ...]

    @property
    def example(self) -> tuple[str, ...]:
        """A concrete situation: a time, place or story opener, or specific details."""
        return self.situation + self.specific

    @property
    def outcome(self) -> tuple[str, ...]:
        return self.result

    def star(self) -> dict[str, bool]:
        return {"situation": bool(self.situation), "task": bool(self.task), "action": bool(self.action), "result": bool(self.result)}


def _hits(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in pattern.finditer(text))


def content_cues(transcript: str, keywords: tuple[str, ...] = ()) -> ContentCues:
    low = transcript.lower().replace("’", "'")
    return ContentCues(
        situation=_hits(SITUATION, low),
        task=_hits(TASK, low),
        action=_hits(ACTION, low),
        result=_hits(RESULT, low),
        specific=_hits(SPECIFIC, low),
        first_person=_hits(FIRST_PERSON, low),
        others=_hits(OTHERS, low),
        empathy=_hits(EMPATHY, low),
        ownership=_hits(OWNERSHIP, low),
        keywords=tuple(k for k in keywords if k in low),
        repeat_request=_hits(REPEAT_REQUEST, low),
        clarify_request=_hits(CLARIFY_REQUEST, low),
    )
