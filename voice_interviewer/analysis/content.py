"""What an answer contains: a concrete example, the candidate's own actions, an outcome, the competency.

Explainable rules over the transcript: each cue returns the words that matched, so
the interviewer can quote its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EXAMPLE = re.compile(
    r"\b(once|one time|one day|last (?:week|month|year|winter|summer|spring|fall|autumn|christmas)"
    r"|yesterday|when i (?:was|worked)|at my (?:last|previous|old|first) job|there was (?:a|an|this)"
    r"|i remember|a customer (?:called|came|who|wrote|emailed)|a (?:man|woman|lady|gentleman) (?:called|came|who))\b"
    r"|\b\d+\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself)\b", re.IGNORECASE)
_OTHERS = re.compile(r"\b(we|our|us|they|the company|the team|management)\b", re.IGNORECASE)
_OUTCOME = re.compile(
    r"\b(in the end|ended up|as a result|result(?:ed)?|resolved|solved|fixed|thanked|thank me|happy|satisfied"
    r"|calmed down|refund(?:ed)?|worked out|turned out|finally|which meant|so that|got (?:her|his|their) \w+ back"
    r"|came back|never (?:had|heard)|the outcome)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ContentCues:
    example: tuple[str, ...]
    first_person: tuple[str, ...]
    others: tuple[str, ...]
    outcome: tuple[str, ...]
    keywords: tuple[str, ...]


def _hits(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in pattern.finditer(text))


def content_cues(transcript: str, keywords: tuple[str, ...] = ()) -> ContentCues:
    low = transcript.lower()
    return ContentCues(
        example=_hits(_EXAMPLE, transcript),
        first_person=_hits(_FIRST_PERSON, transcript),
        others=_hits(_OTHERS, transcript),
        outcome=_hits(_OUTCOME, transcript),
        keywords=tuple(k for k in keywords if k in low),
    )
