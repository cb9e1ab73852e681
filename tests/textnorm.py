"""Word error rate after normalising case, punctuation and spoken numbers."""

from __future__ import annotations

import re

import jiwer

_NUMBERS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eighty": "80", "twenty": "20",
}


def normalize(text: str) -> str:
    text = text.lower().replace("$", " ").replace("-", " ")
    text = re.sub(r"[^\w\s']", " ", text)
    words = [_NUMBERS.get(w, w) for w in text.split()]
    return " ".join(words)


def wer(reference: str, hypothesis: str) -> float:
    return jiwer.wer(normalize(reference), normalize(hypothesis))


def find_phrase(text: str, phrase: str, max_wrong_words: int = 1) -> int:
    """Word index where `phrase` best matches `text`, or -1.

    tiny.en mishears espeak's voice a word at a time ("to help a customer" came back as
    "a help a customer" once in CI), so a window of the phrase's length may differ from it
    by up to `max_wrong_words` words and still count as the phrase heard.
    """
    words, wanted = normalize(text).split(), normalize(phrase).split()
    best, where = max_wrong_words + 1, -1
    for start in range(max(len(words) - len(wanted) + 1, 0)):
        wrong = sum(a != b for a, b in zip(words[start:start + len(wanted)], wanted))
        if wrong < best:
            best, where = wrong, start
    return where
