"""Ground truth for pace on the recordings of real people in ../shared/audio.

The speaking span of each recording was marked by hand from its 10 ms energy
envelope: the first frame where the voice rises out of the room noise and the last
frame before it falls back into it (JFK's reverb and the applause after "country"
excluded), to about 0.03 s. The words are the reference text's, counted as the app
counts them (one per space-separated token: "don't" is one word).
"""

from __future__ import annotations

SPOKEN_SPAN_S = {
    "jfk.flac": (0.33, 10.20),
    "osr_us_000_0034_8k.wav": (1.24, 34.78),
    "desk_bottle_16k.wav": (2.63, 15.96),
}


def reference_words(text: str) -> int:
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def true_wpm(name: str, text: str) -> float:
    start, end = SPOKEN_SPAN_S[name]
    return reference_words(text) / ((end - start) / 60)
