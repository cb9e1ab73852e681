"""Filler words: filled pauses (um, uh...) and lexical fillers used as filler (like, you know...).

Context rules keep real uses out: "I really like helping people", "what kind of
plan do you have", "do you know your account number" hold no filler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FILLED_PAUSES = frozenset(
    {"um", "umm", "ummm", "uh", "uhh", "uhm", "er", "err", "erm", "ah", "ahh", "hmm", "hm", "hmmm", "mm", "mmm"}
)
# words Whisper writes for a filled pause in some accents ("uh" in a non-rhotic accent reads
# as "or"): they do not explain a sound set off by silence, which is heard again on its own
SOUND_LIKE_A_FILLED_PAUSE = frozenset({"or", "oh"})
SINGLE_LEXICAL = frozenset({"basically", "actually", "literally"})
SENTENCE_INITIAL = frozenset({"so", "well", "okay", "ok"})
# words after which "like" is a verb or a preposition, not a filler ("I like", "would like", "looks like")
LIKE_IS_MEANT_AFTER = frozenset(
    {"i", "you", "we", "they", "would", "really", "don't", "didn't", "do", "did", "to", "i'd", "we'd",
     "you'd", "they'd", "people", "also", "feel", "felt", "feels", "look", "looks", "looked", "sound",
     "sounds", "sounded", "seem", "seems", "something", "anything", "nothing", "more", "much", "not",
     "customers", "he", "she", "who", "just"}
)
# "to like" then a bare verb is no verb "like" ("try to like fix it", never "learn to like fix"):
# common verbs of a support answer, for when Whisper writes no commas and the pauses are short
BARE_VERB_AFTER_TO_LIKE = frozenset(
    {"be", "do", "get", "go", "make", "take", "give", "find", "keep", "let", "put", "see", "say", "tell", "talk",
     "ask", "call", "help", "fix", "check", "explain", "listen", "calm", "solve", "sort", "figure", "handle",
     "deal", "reach", "send", "try", "work", "look", "walk", "change", "move", "pay", "refund", "cancel",
     "transfer", "escalate", "apologize", "apologise", "understand", "follow", "stay", "wait", "come",
     "write", "read", "think", "feel", "show", "start", "stop", "ring"}
)
# "like" right before a new clause's subject is a filler (unless a verb before it wants it)
LIKE_BEFORE_A_NEW_CLAUSE = frozenset({"i", "we", "they", "he", "she", "i'm", "we're", "they're", "um", "uh"})
# words before "kind of" / "sort of" that make it a noun phrase ("what kind of plan")
KIND_IS_MEANT_AFTER = frozenset({"what", "a", "the", "this", "that", "any", "some", "which", "every", "one", "same", "different", "each", "no", "these", "those", "all"})
# "do you know your account number": a real question, not a filler
YOU_KNOW_IS_MEANT_AFTER = frozenset({"do", "did", "don't", "didn't", "if", "what", "as", "would", "will", "can", "could", "let", "you'd", "to"})
# "that is what I mean", "do I mean the bill?": meant, not a filler
I_MEAN_IS_MEANT_AFTER = frozenset({"what", "do", "did", "don't", "didn't", "if", "whatever", "which", "who"})

_PUNCT = re.compile(r"[^\w']+")


def normalize(token: str) -> str:
    return _PUNCT.sub("", token.lower()).strip("'")


def is_filled_pause(token: str) -> bool:
    return normalize(token) in FILLED_PAUSES


def _ends_clause(token: str) -> bool:
    return token.rstrip().endswith((".", "?", "!", ",", ";", ":", "-", "…"))


def _ends_sentence(token: str) -> bool:
    return token.rstrip().endswith((".", "?", "!"))


@dataclass(frozen=True)
class FillerSpan:
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    kind: str  # "filled_pause" or "lexical"


def find_fillers(tokens: list[str], pause_before: set[int] | frozenset[int] = frozenset()) -> list[FillerSpan]:
    """Filler spans in a list of ASR tokens (with their punctuation).

    `pause_before`: indices of the tokens a silent gap comes before. A pause marks the end
    of a phrase as a comma does, and Whisper often writes no punctuation at all ("fix it
    <0.5 s> you know the company"). Filled pauses between the two words of "you know" /
    "I mean" do not part them: Whisper places an "um" said next to them between them.
    """
    words = [normalize(t) for t in tokens]
    # punctuation is read off the last real word before each token: a filled pause heard on
    # its own comes back as "Um." and would start a sentence in "freezing, Um. so I booked"
    last_real, seen, paused, pause_seen = [], ".", [], False
    for i, (t, w) in enumerate(zip(tokens, words)):
        pause_seen = pause_seen or i in pause_before
        last_real.append(seen)
        paused.append(pause_seen)
        if w not in FILLED_PAUSES:
            seen, pause_seen = t, False

    def ends_phrase(i: int) -> bool:
        return _ends_clause(tokens[i]) or (i + 1 < len(tokens) and paused[i + 1])

    def next_word(i: int) -> int:
        """The index of the next token that is no filled pause (len(words) if none)."""
        j = i + 1
        while j < len(words) and words[j] in FILLED_PAUSES:
            j += 1
        return j

    spans: list[FillerSpan] = []
    i = 0
    while i < len(words):
        w = words[i]
        prev = words[i - 1] if i > 0 else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        prev_raw = last_real[i]
        at_sentence_start = _ends_sentence(prev_raw)
        after_break = _ends_clause(prev_raw) or paused[i]
        j = next_word(i)
        second = words[j] if j < len(words) else ""
        if w in FILLED_PAUSES:
            spans.append(FillerSpan(i, i, "filled_pause"))
        elif w in SINGLE_LEXICAL:
            spans.append(FillerSpan(i, i, "lexical"))
        elif w in SENTENCE_INITIAL and at_sentence_start and nxt:
            spans.append(FillerSpan(i, i, "lexical"))
        elif w == "like" and ((after_break and ends_phrase(i)) or prev not in LIKE_IS_MEANT_AFTER and (
            after_break or ends_phrase(i) or prev in {"was", "is", "were", "it's", "and", "but", "um", "uh"}
            or nxt in LIKE_BEFORE_A_NEW_CLAUSE  # "when a caller is angry like I let them finish"
        ) or prev == "to" and nxt in BARE_VERB_AFTER_TO_LIKE):
            # set off on both sides ("try to, like, fix it") it is a filler whatever comes before,
            # and so it is between "to" and a bare verb ("try to like fix it")
            spans.append(FillerSpan(i, i, "lexical"))
        elif w == "you" and second == "know" and prev not in YOU_KNOW_IS_MEANT_AFTER and (
            ends_phrase(j) or after_break or j + 1 >= len(words)
        ):
            i = _two_word_filler(spans, i, j)
            continue
        elif w == "i" and second == "mean" and prev not in I_MEAN_IS_MEANT_AFTER and (ends_phrase(j) or after_break):
            i = _two_word_filler(spans, i, j)
            continue
        elif w in {"kind", "sort"} and nxt == "of" and prev not in KIND_IS_MEANT_AFTER:
            spans.append(FillerSpan(i, i + 1, "lexical"))
            i += 2
            continue
        i += 1
    return spans


def _two_word_filler(spans: list[FillerSpan], first: int, last: int) -> int:
    """Add a two-word filler from `first` to `last` and the filled pauses between; the index after it."""
    spans.append(FillerSpan(first, last, "lexical"))
    spans += [FillerSpan(k, k, "filled_pause") for k in range(first + 1, last)]
    return last + 1


def merge_filled_pauses(words: list, extra: list, tolerance_s: float) -> list:
    """Add the filled pauses of a second pass (`extra`) that the first pass (`words`) lacks.

    Both are lists of objects with .text, .start and .end; the first pass's words and
    timing stay as they are. A filled pause counts as already there when one lies
    within `tolerance_s`.
    """
    have = [(w.start, w.end) for w in words if is_filled_pause(w.text)]
    added = []
    for w in extra:
        if not is_filled_pause(w.text):
            continue
        if any(w.start <= e + tolerance_s and w.end >= s - tolerance_s for s, e in have):
            continue
        added.append(w)
        have.append((w.start, w.end))
    return sorted([*words, *added], key=lambda w: (w.start, w.end))
