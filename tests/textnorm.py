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
